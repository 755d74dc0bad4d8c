using AgentConsole.Domain.Persistence;

namespace AgentConsole.Web.Components;

/// <summary>
/// Watches, once per node, whether the database answers. Open consoles show a notice while it does
/// not, and reload everything they show when it is back (events may have been missed meanwhile).
/// </summary>
public sealed class DatabaseWatch(DatabaseProvider database, DecisionEventBus events, ILogger<DatabaseWatch> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);

    /// <summary>False from the first failed probe until one succeeds again.</summary>
    public bool Available { get; private set; } = true;

    /// <summary>Raised when <see cref="Available"/> changes.</summary>
    public event Action? Changed;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            var available = await ProbeAsync(stoppingToken);
            if (available == Available)
            {
                continue;
            }

            Available = available;
            logger.Log(available ? LogLevel.Information : LogLevel.Warning, "The {Provider} database is {State}", database.Name, available ? "back" : "not answering");
            Changed?.Invoke();
            if (available)
            {
                await events.ResyncAsync();
            }
        }
    }

    private async Task<bool> ProbeAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(Interval);
            await using var db = database.Create(new TenantContext());
            return await db.Database.CanConnectAsync(timeout.Token);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }
}
