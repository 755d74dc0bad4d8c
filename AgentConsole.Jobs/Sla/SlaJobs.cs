using AgentConsole.Domain.Queues.Sla;
using Hangfire;

namespace AgentConsole.Jobs.Sla;

/// <summary>Every minute: lapsed claim leases go back to their queues and each due SLA ladder step fires, once.</summary>
public sealed class SlaJobs(SlaSweep sweep)
{
    [Queue(Pipelines.PipelineJobs.MaintenanceQueue)]
    [AutomaticRetry(Attempts = 0)]
    [DisableConcurrentExecution(60)]
    [JobDisplayName("Run SLA ladders and expire lapsed claims")]
    public async Task<string> SweepAsync(CancellationToken cancellationToken)
    {
        var result = await sweep.RunAsync(cancellationToken);
        return $"{result.Due} due, {result.StepsFired} steps fired, {result.LeasesExpired} leases expired";
    }
}
