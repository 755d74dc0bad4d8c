using AgentConsole.Domain.Pipelines;
using AgentConsole.Domain.Tenancy;
using Microsoft.Extensions.Options;

namespace AgentConsole.Jobs.Pipelines;

/// <summary>
/// The simulated business feed of the embedded default: every few seconds each demo tenant gets
/// new cases, so queues fill within a minute of the first start.
/// </summary>
internal sealed class DemoFeedService(IServiceScopeFactory scopes, IOptions<DemoOptions> options, ILogger<DemoFeedService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        if (!o.Enabled || !o.Feed)
        {
            return;
        }

        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(o.FeedEverySeconds));
        do
        {
            try
            {
                await TickAsync(o, stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning(ex, "The demo feed skipped a tick");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private async Task TickAsync(DemoOptions o, CancellationToken cancellationToken)
    {
        IReadOnlyList<Tenant> tenants;
        await using (var scope = scopes.CreateAsyncScope())
        {
            tenants = await scope.ServiceProvider.GetRequiredService<UserDirectory>().TenantsAsync(cancellationToken);
        }

        foreach (var tenant in tenants)
        {
            await using var scope = scopes.CreateAsyncScope();
            scope.ServiceProvider.GetRequiredService<TenantContext>().Use(tenant.Id);
            await scope.ServiceProvider.GetRequiredService<CaseFeed>().FeedAsync(o.CasesPerTick, o.MaxOpenPerQueue, cancellationToken);
        }
    }
}
