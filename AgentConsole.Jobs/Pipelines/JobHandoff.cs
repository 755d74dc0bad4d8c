using System.Diagnostics;
using System.Threading.Channels;
using Hangfire;

namespace AgentConsole.Jobs.Pipelines;

/// <summary>
/// Enqueues pipeline jobs in the background, in the order they were recorded, so a request that recorded work (an
/// approval, a new case) answers as soon as its own transaction commits: the job store's own locking and retries (on
/// the embedded SQLite store, a quarter of a second per busy retry) never hold up a person. The work is already in the
/// database when it is posted, so nothing depends on the hand-off: a job lost to a crash before it was enqueued is
/// re-driven by the reconciler, which finds the run that did not move. Each job joins the trace it was recorded in.
/// On shutdown, what was posted is enqueued before the host stops.
/// </summary>
public sealed class JobHandoff(IBackgroundJobClient jobs, ILogger<JobHandoff> logger) : BackgroundService
{
    private readonly Channel<(Action<IBackgroundJobClient> Enqueue, string? TraceParent)> _pending =
        Channel.CreateUnbounded<(Action<IBackgroundJobClient>, string?)>(new UnboundedChannelOptions { SingleReader = true });

    /// <summary>Queues an enqueue; the caller's current activity is the trace the job joins.</summary>
    public void Post(Action<IBackgroundJobClient> enqueue)
    {
        if (!_pending.Writer.TryWrite((enqueue, Activity.Current?.Id)))
        {
            // The host is stopping: enqueue in place rather than lose the hand-off.
            enqueue(jobs);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Read until the writer completes (at stop), not until stoppingToken: what was posted is still handed over.
        await foreach (var (enqueue, traceParent) in _pending.Reader.ReadAllAsync(CancellationToken.None))
        {
            using var trace = Traces.TraceContextJobFilter.EnqueuingFor(traceParent);
            try
            {
                enqueue(jobs);
            }
            catch (Exception ex)
            {
                logger.LogWarning(ex, "A pipeline job could not be enqueued; the reconciler re-drives its run");
            }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        _pending.Writer.TryComplete();
        if (ExecuteTask is { } running)
        {
            await running.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        await base.StopAsync(cancellationToken);
    }
}
