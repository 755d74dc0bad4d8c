using AgentConsole.Domain.Agents.Pause;
using AgentConsole.Domain.Decisions;
using AgentConsole.Domain.Notifications;
using AgentConsole.Domain.Notifications.Sending;
using AgentConsole.Domain.Persistence;
using AgentConsole.Domain.Tenancy;
using Hangfire;
using Microsoft.EntityFrameworkCore;

namespace AgentConsole.Jobs.Notifications;

/// <summary>
/// Sends the notification outbox (e-mails and webhook posts): every minute, and at once after a step that may have
/// written deliveries. Safe to run twice or on two workers at once: each delivery is claimed before it is sent.
/// </summary>
public sealed class NotificationJobs(DeliveryDispatcher dispatcher, NotificationRetention retention, IBackgroundJobClient jobs, TimeProvider clock)
{
    public const string Queue = "notifications";

    [Queue(Queue)]
    [AutomaticRetry(Attempts = 0)]
    [JobDisplayName("Send due notifications by e-mail and webhook")]
    public async Task<string> SendDueAsync(CancellationToken cancellationToken)
    {
        var result = await dispatcher.RunAsync(cancellationToken);
        var wait = result.NextDueAt - clock.GetUtcNow();
        if (result.Retrying > 0 && wait < TimeSpan.FromMinutes(1))
        {
            // A retry due within the minute goes out then, not at the next minutely pass.
            jobs.Schedule<NotificationJobs>(j => j.SendDueAsync(CancellationToken.None), wait < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : wait.Value);
        }

        return $"{result.Sent} sent, {result.Retrying} to retry, {result.Failed} failed";
    }

    [Queue(Pipelines.PipelineJobs.MaintenanceQueue)]
    [AutomaticRetry(Attempts = 0)]
    [DisableConcurrentExecution(60)]
    [JobDisplayName("Delete expired notifications and deliveries")]
    public async Task<string> PurgeExpiredAsync(CancellationToken cancellationToken)
    {
        var purged = await retention.PurgeExpiredAsync(cancellationToken);
        return $"{purged.Notifications} notifications and {purged.Deliveries} deliveries deleted";
    }
}

/// <summary>
/// After a committed step that may have written deliveries (an assignment, a take-back, an SLA warning, a breaker's
/// pause), starts the delivery job at once when something waits, at most once a second. A kick lost with the process is
/// made up by the minutely pass.
/// </summary>
internal sealed class DeliveryKick(DecisionEventBus decisions, AgentPauseEvents pauses, DatabaseProvider provider, IBackgroundJobClient jobs, ILogger<DeliveryKick> logger)
    : IHostedService, IDisposable
{
    private IDisposable? _decisions;
    private IDisposable? _pauses;
    private long _lastKick;
    private int _checking;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _decisions = decisions.Subscribe(e => e.Kind is DecisionEventKind.Assigned or DecisionEventKind.Released or DecisionEventKind.SlaWarned ? KickAsync() : Task.CompletedTask,
            EventScope.CommittedHere);
        _pauses = pauses.Subscribe(e => e.Paused && e.ByBreaker ? KickAsync() : Task.CompletedTask);
        return Task.CompletedTask;
    }

    private async Task KickAsync()
    {
        var now = Environment.TickCount64;
        if (now - Interlocked.Read(ref _lastKick) < 1000 || Interlocked.Exchange(ref _checking, 1) == 1)
        {
            return;
        }

        try
        {
            Interlocked.Exchange(ref _lastKick, now);
            await using var db = provider.Create(new TenantContext());
            if (await db.Deliveries.IgnoreQueryFilters().AnyAsync(d => d.Status == DeliveryStatus.Pending))
            {
                jobs.Enqueue<NotificationJobs>(j => j.SendDueAsync(CancellationToken.None));
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning(ex, "Could not start the notification delivery job; the minutely pass sends what waits");
        }
        finally
        {
            Interlocked.Exchange(ref _checking, 0);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        Dispose();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        _decisions?.Dispose();
        _pauses?.Dispose();
    }
}
