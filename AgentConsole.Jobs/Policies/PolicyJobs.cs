using AgentConsole.Domain.Policies;
using Hangfire;

namespace AgentConsole.Jobs.Policies;

/// <summary>Starts approved policy versions at their chosen time. Routing already follows the time; this records it.</summary>
public sealed class PolicyJobs(PolicyService policies)
{
    [Queue(Pipelines.PipelineJobs.MaintenanceQueue)]
    [AutomaticRetry(Attempts = 0)]
    [DisableConcurrentExecution(60)]
    [JobDisplayName("Start scheduled policy versions")]
    public Task ActivateDueAsync(CancellationToken cancellationToken) => policies.ActivateDueAsync(cancellationToken);
}
