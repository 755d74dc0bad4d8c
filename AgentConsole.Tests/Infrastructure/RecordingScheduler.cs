using System.Collections.Concurrent;
using AgentConsole.Domain.Pipelines;

namespace AgentConsole.Tests.Infrastructure;

/// <summary>Records what would be handed to Hangfire, so a test drives the jobs itself, step by step.</summary>
public sealed class RecordingScheduler : IPipelineScheduler
{
    public ConcurrentQueue<Guid> Runs { get; } = new();

    public ConcurrentQueue<Guid> Executions { get; } = new();

    /// <summary>Every job with the tenant it runs for, in order, for a test that runs them all as Hangfire would.</summary>
    public ConcurrentQueue<(Guid TenantId, Guid Id, bool IsExecution)> Jobs { get; } = new();

    public void EnqueueRun(Guid tenantId, Guid runId)
    {
        Runs.Enqueue(runId);
        Jobs.Enqueue((tenantId, runId, false));
    }

    public void EnqueueExecution(Guid tenantId, Guid decisionId)
    {
        Executions.Enqueue(decisionId);
        Jobs.Enqueue((tenantId, decisionId, true));
    }
}
