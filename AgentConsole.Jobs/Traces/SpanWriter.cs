using AgentConsole.Domain.Persistence;
using AgentConsole.Domain.Tenancy;
using AgentConsole.Domain.Traces;
using Microsoft.Extensions.Options;
using OpenTelemetry;

namespace AgentConsole.Jobs.Traces;

/// <summary>
/// Drains the span store's queue into the domain database in the background: up to <c>Traces:BatchSize</c> spans per
/// transaction, gathered for at most <c>Traces:FlushIntervalMilliseconds</c>. Its own writes make no spans. A batch
/// the database refuses is counted as lost and the writer goes on; on shutdown it writes what is still queued.
/// </summary>
internal sealed class SpanWriter(SpanStore store, DatabaseProvider database, IOptions<TracesOptions> options, TimeProvider clock, ILogger<SpanWriter> logger)
    : BackgroundService
{
    private DateTimeOffset _lastWarning = DateTimeOffset.MinValue;
    private DateTimeOffset _lastDropWarning = DateTimeOffset.MinValue;
    private long _droppedReported;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        var batch = new List<PendingSpan>(o.BatchSize);
        try
        {
            while (await store.Reader.WaitToReadAsync(stoppingToken))
            {
                Drain(batch, o.BatchSize);
                if (batch.Count < o.BatchSize && o.FlushIntervalMilliseconds > 0)
                {
                    await Task.Delay(o.FlushIntervalMilliseconds, stoppingToken);
                    Drain(batch, o.BatchSize);
                }

                await WriteAsync(batch);
                ReportDrops();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: what is queued now is written below.
        }

        store.Complete();
        do
        {
            Drain(batch, o.BatchSize);
            await WriteAsync(batch);
        }
        while (store.Queued > 0);
    }

    /// <summary>Says in the log, at most once a minute, how many spans were dropped because the queue was full since it last said so.</summary>
    private void ReportDrops()
    {
        var dropped = store.Dropped;
        var now = clock.GetUtcNow();
        if (dropped == _droppedReported || now - _lastDropWarning < TimeSpan.FromMinutes(1))
        {
            return;
        }

        logger.LogWarning(
            "The span store fell behind: {Dropped} spans were dropped because its queue of {Capacity} was full ({Total} since this node started; " +
            "counted as agentconsole.traces.spans_dropped, reason queue_full). Raise Traces:QueueCapacity or Traces:BatchSize, or check the database",
            dropped - _droppedReported, store.Capacity, dropped);
        _droppedReported = dropped;
        _lastDropWarning = now;
    }

    private void Drain(List<PendingSpan> batch, int size)
    {
        while (batch.Count < size && store.Reader.TryRead(out var span))
        {
            batch.Add(span);
        }
    }

    private async Task WriteAsync(List<PendingSpan> batch)
    {
        if (batch.Count == 0)
        {
            return;
        }

        // The store's own database calls must not become spans (which would be stored, and so on).
        using var suppress = SuppressInstrumentationScope.Begin();
        try
        {
            await using var db = database.Create(new TenantContext());
            db.ChangeTracker.AutoDetectChangesEnabled = false;
            foreach (var span in batch)
            {
                db.StoredSpans.Add(StoredSpan.From(span.Activity, span.TenantId, store.Service));
            }

            await db.SaveChangesAsync(CancellationToken.None);
            store.Written(batch.Count);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            store.Lost(batch.Count);
            var now = clock.GetUtcNow();
            if (now - _lastWarning > TimeSpan.FromMinutes(1))
            {
                _lastWarning = now;
                logger.LogWarning(ex, "The span store could not write {Count} spans; they are lost (counted as agentconsole.traces.spans_dropped, reason write_failed)", batch.Count);
            }
        }
        finally
        {
            batch.Clear();
        }
    }
}
