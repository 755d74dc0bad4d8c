using System.Collections.Concurrent;
using AgentConsole.Domain.Pipelines;

namespace AgentConsole.Tests.Infrastructure;

/// <summary>Records what would be handed to Hangfire, so a test drives the jobs itself, step by step.</summary>
public sealed class RecordingScheduler : IPipelineScheduler
{
    public ConcurrentQueue<Guid> Runs { get; } = new();

    public ConcurrentQueue<Guid> Executions { get; } = new();

    public void EnqueueRun(Guid tenantId, Guid runId) => Runs.Enqueue(runId);

    public void EnqueueExecution(Guid tenantId, Guid decisionId) => Executions.Enqueue(decisionId);
}
