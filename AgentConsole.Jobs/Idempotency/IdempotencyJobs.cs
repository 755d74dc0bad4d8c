using AgentConsole.Domain.Idempotency;
using Hangfire;

namespace AgentConsole.Jobs.Idempotency;

/// <summary>Deletes API idempotency keys (and their stored answers) once they expire (<c>Api:IdempotencyKeyHours</c>).</summary>
public sealed class IdempotencyJobs(IdempotencyService idempotency)
{
    [Queue(Pipelines.PipelineJobs.MaintenanceQueue)]
    [AutomaticRetry(Attempts = 0)]
    [DisableConcurrentExecution(60)]
    [JobDisplayName("Purge expired idempotency keys")]
    public Task PurgeExpiredAsync(CancellationToken cancellationToken) => idempotency.PurgeExpiredAsync(cancellationToken);
}
