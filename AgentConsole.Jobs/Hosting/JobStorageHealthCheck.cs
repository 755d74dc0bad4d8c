using Hangfire;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace AgentConsole.Jobs.Hosting;

/// <summary>Ready when the Hangfire storage opens a connection.</summary>
internal sealed class JobStorageHealthCheck(JobStorage storage, IOptions<JobsOptions> options) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            using var connection = storage.GetConnection();
            return Task.FromResult(HealthCheckResult.Healthy($"The {options.Value.Storage} job storage answers."));
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy($"The {options.Value.Storage} job storage failed: {ex.GetBaseException().Message}", ex));
        }
    }
}
