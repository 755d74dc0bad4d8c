using AgentConsole.Domain.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace AgentConsole.Domain.Persistence;

/// <summary>Ready when the database answers and its schema matches the code.</summary>
internal sealed class DatabaseHealthCheck(DatabaseProvider provider) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var db = provider.Create(new TenantContext());
            if (!await db.Database.CanConnectAsync(cancellationToken))
            {
                return HealthCheckResult.Unhealthy($"The {provider.Name} database does not answer.");
            }

            var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
            return pending.Count == 0
                ? HealthCheckResult.Healthy($"{provider.Name} database is up to date.")
                : HealthCheckResult.Unhealthy($"The {provider.Name} database schema is older than the code: {pending.Count} migrations are not applied ({string.Join(", ", pending)}).");
        }
        catch (Exception ex)
        {
            return HealthCheckResult.Unhealthy($"The {provider.Name} database failed: {ex.Message}", ex);
        }
    }
}
