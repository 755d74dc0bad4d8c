using AgentConsole.Domain.Traces;
using Hangfire;

namespace AgentConsole.Jobs.Traces;

/// <summary>Deletes stored spans older than <c>Traces:RetentionDays</c>, for every tenant.</summary>
public sealed class TraceJobs(SpanRetention retention)
{
    [Queue(Pipelines.PipelineJobs.MaintenanceQueue)]
    [AutomaticRetry(Attempts = 0)]
    [DisableConcurrentExecution(60)]
    [JobDisplayName("Delete expired spans")]
    public Task PurgeExpiredAsync(CancellationToken cancellationToken) => retention.PurgeExpiredAsync(cancellationToken);
}
