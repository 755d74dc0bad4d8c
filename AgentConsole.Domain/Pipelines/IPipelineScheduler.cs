namespace AgentConsole.Domain.Pipelines;

/// <summary>
/// Hands work to the job system after the database has recorded it. Jobs may run twice; the
/// services they call check the database first.
/// </summary>
public interface IPipelineScheduler
{
    void EnqueueRun(Guid tenantId, Guid runId);

    void EnqueueExecution(Guid tenantId, Guid decisionId);
}
