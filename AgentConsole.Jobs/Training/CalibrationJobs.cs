using AgentConsole.Domain.Tenancy;
using AgentConsole.Domain.Training.Calibration;
using Hangfire;
using Microsoft.Extensions.Options;

namespace AgentConsole.Jobs.Training;

/// <summary>
/// Seeds gold items into live queues at the rate each tenant's policies set. Runs every minute; each slot of each queue
/// is seeded once (the database says which are), so a run twice, on two nodes or after a restart adds nothing more.
/// </summary>
public sealed class CalibrationJobs(IServiceScopeFactory scopes, GoldItemSeeding seeding, IOptions<CalibrationOptions> options, ILogger<CalibrationJobs> logger)
{
    [Queue(Pipelines.PipelineJobs.MaintenanceQueue)]
    [AutomaticRetry(Attempts = 0)]
    [DisableConcurrentExecution(60)]
    [JobDisplayName("Seed gold items")]
    public async Task SeedGoldItemsAsync(CancellationToken cancellationToken)
    {
        if (!options.Value.SeedGoldItems)
        {
            return;
        }

        foreach (var tenantId in await seeding.TenantsAsync(cancellationToken))
        {
            // One scope per tenant: a scope works for one tenant only.
            await using var scope = scopes.CreateAsyncScope();
            scope.ServiceProvider.GetRequiredService<TenantContext>().Use(tenantId);
            var added = await scope.ServiceProvider.GetRequiredService<GoldItemSeeding>().SeedDueAsync(cancellationToken);
            if (added > 0)
            {
                logger.LogInformation("Seeded {Count} gold item(s) for tenant {TenantId}", added, tenantId);
            }
        }
    }
}
