using AgentConsole.Domain.Execution;
using AgentConsole.Domain.Pipelines;
using AgentConsole.Domain.Tenancy;
using Hangfire;

namespace AgentConsole.Jobs.Pipelines;

/// <summary>
/// The Hangfire jobs of the agent pipeline. Each takes ids only, works for one tenant, and is
/// safe to run twice: the Domain services check the database before any side effect.
/// </summary>
public sealed class PipelineJobs(IServiceProvider services, TenantContext tenant)
{
    public const string PipelinesQueue = "pipelines";
    public const string ExecutionQueue = "execution";
    public const string MaintenanceQueue = "maintenance";

    [Queue(PipelinesQueue)]
    [AutomaticRetry(Attempts = 3, DelaysInSeconds = [2, 10, 30])]
    [JobDisplayName("Propose and route run {1}")]
    public Task ProposeAsync(Guid tenantId, Guid runId, CancellationToken cancellationToken)
    {
        tenant.Use(tenantId);
        return services.GetRequiredService<PipelineService>().ProcessRunAsync(runId, cancellationToken);
    }

    [Queue(ExecutionQueue)]
    [AutomaticRetry(Attempts = 3, DelaysInSeconds = [5, 30, 120])]
    [JobDisplayName("Execute decision {1}")]
    public Task ExecuteAsync(Guid tenantId, Guid decisionId, CancellationToken cancellationToken)
    {
        tenant.Use(tenantId);
        return services.GetRequiredService<ExecutionService>().ExecuteAsync(decisionId, cancellationToken);
    }

    [Queue(MaintenanceQueue)]
    [AutomaticRetry(Attempts = 0)]
    [DisableConcurrentExecution(60)]
    [JobDisplayName("Re-drive stalled runs")]
    public Task ReconcileAsync(CancellationToken cancellationToken) =>
        services.GetRequiredService<RunReconciler>().ReconcileAsync(cancellationToken);
}

/// <summary>Hands recorded work to Hangfire through <see cref="JobHandoff"/>, never on the caller's path.</summary>
internal sealed class HangfirePipelineScheduler(JobHandoff handoff) : IPipelineScheduler
{
    public void EnqueueRun(Guid tenantId, Guid runId) =>
        handoff.Post(jobs => jobs.Enqueue<PipelineJobs>(j => j.ProposeAsync(tenantId, runId, CancellationToken.None)));

    public void EnqueueExecution(Guid tenantId, Guid decisionId) =>
        handoff.Post(jobs => jobs.Enqueue<PipelineJobs>(j => j.ExecuteAsync(tenantId, decisionId, CancellationToken.None)));
}
