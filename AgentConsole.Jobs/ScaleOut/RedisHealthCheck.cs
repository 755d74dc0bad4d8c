using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace AgentConsole.Jobs.ScaleOut;

/// <summary>Degraded while Redis is unreachable: this node still works, but events from other nodes pause.</summary>
internal sealed class RedisHealthCheck(RedisConnection redis) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var problem = await redis.CheckAsync(TimeSpan.Zero, cancellationToken);
        return problem is null
            ? HealthCheckResult.Healthy($"Redis at {redis.Target} answers.")
            : HealthCheckResult.Degraded($"{problem}. Live updates between nodes are paused until it returns.");
    }
}
