using AgentConsole.Domain.Agents;
using AgentConsole.Domain.Tenancy;

namespace AgentConsole.Domain.Pipelines;

/// <summary>Where a pipeline run stands. Written before its job is enqueued; the database is the truth.</summary>
public enum RunStatus
{
    /// <summary>Recorded; its job has not started (or vanished — the reconciler re-drives it).</summary>
    Pending,
    Running,
    /// <summary>The decision waits in a review queue.</summary>
    AwaitingReview,
    /// <summary>An approved decision is being carried out by the execution connector.</summary>
    Executing,
    Completed,
    Failed,
    /// <summary>The agent is paused and its policy holds proposals: the proposal is kept, and routed when the agent is resumed.</summary>
    Held,
}

/// <summary>Whether the approved action has been carried out, apart from the review status.</summary>
public enum ExecutionStatus
{
    NotRequired,
    Pending,
    Succeeded,
    /// <summary>Retries ran out; the partial effect was reversed by the compensating action.</summary>
    Compensated,
    Failed,
}

public enum StepStatus
{
    Pending,
    Running,
    Succeeded,
    Failed,
    Skipped,
}

/// <summary>
/// One case going through the agent pipeline: propose → route → review → execute. Like a decision, it refuses
/// a move its current state does not allow.
/// </summary>
public sealed class PipelineRun : ITenantOwned
{
    public const string ProposeStep = "propose";
    public const string RouteStep = "route";
    public const string ReviewStep = "review";
    public const string ExecuteStep = "execute";

    private readonly List<PipelineStep> _steps = [];

    private PipelineRun()
    {
    }

    public PipelineRun(Guid id, Guid tenantId, Guid agentId, UseCase useCase, string subject, string inputJson, string truthJson, string? traceParent, DateTimeOffset now, string? idempotencyKey = null)
    {
        IdempotencyKey = idempotencyKey;
        Id = id;
        TenantId = tenantId;
        AgentId = agentId;
        UseCase = useCase;
        Subject = subject;
        InputJson = inputJson;
        TruthJson = truthJson;
        TraceParent = traceParent;
        CreatedAt = now;
        UpdatedAt = now;
        Status = RunStatus.Pending;
        ExecutionStatus = ExecutionStatus.NotRequired;
        var order = 0;
        foreach (var name in new[] { ProposeStep, RouteStep, ReviewStep, ExecuteStep })
        {
            _steps.Add(new PipelineStep(Guid.NewGuid(), tenantId, id, name, ++order));
        }
    }

    public Guid Id { get; private set; }

    public Guid TenantId { get; private set; }

    public Guid AgentId { get; private set; }

    public UseCase UseCase { get; private set; }

    public string Subject { get; private set; } = "";

    public string InputJson { get; private set; } = "{}";

    /// <summary>The case's hidden true answer (for accuracy, drift and training); never shown to reviewers.</summary>
    public string TruthJson { get; private set; } = "{}";

    public RunStatus Status { get; private set; }

    public ExecutionStatus ExecutionStatus { get; private set; }

    /// <summary>How many times a job started on this run.</summary>
    public int Attempts { get; private set; }

    public Guid? DecisionId { get; private set; }

    /// <summary>The submitting client's <c>Idempotency-Key</c>, unique per tenant: a repeat of the submission finds this run.</summary>
    public string? IdempotencyKey { get; private set; }

    /// <summary>W3C trace context of whoever started the run, so its jobs join the same trace.</summary>
    public string? TraceParent { get; private set; }

    public string? LastError { get; private set; }

    /// <summary>The proposal kept while the run is held (JSON); routed as it is when the agent is resumed.</summary>
    public string? HeldProposalJson { get; private set; }

    /// <summary>Why the run is held, e.g. who paused the agent and why.</summary>
    public string? HeldReason { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    public int Version { get; private set; }

    public IReadOnlyCollection<PipelineStep> Steps => _steps;

    public PipelineStep Step(string name) => _steps.Single(s => s.Name == name);

    public void StartAttempt(DateTimeOffset now)
    {
        if (Status is not (RunStatus.Pending or RunStatus.Running))
        {
            throw DomainException.Conflict("run.not-runnable", $"Run {Id} is {Status} and has nothing left to propose.");
        }

        Status = RunStatus.Running;
        Attempts++;
        Touch(now);
    }

    /// <summary>An attempt to propose failed; the job system retries it.</summary>
    public void AttemptFailed(string error, DateTimeOffset now)
    {
        Require("record a failed attempt on", RunStatus.Running);
        LastError = error;
        Touch(now);
    }

    public void Proposed(Guid decisionId, bool awaitsReview, bool executable, DateTimeOffset now)
    {
        Require("record a proposal on", RunStatus.Running);
        DecisionId = decisionId;
        Step(ProposeStep).Succeed(now);
        Step(RouteStep).Succeed(now);
        if (awaitsReview)
        {
            Status = RunStatus.AwaitingReview;
            Step(ReviewStep).Start(now);
        }
        else
        {
            Step(ReviewStep).Skip();
            MarkResolved(executable, now);
        }

        Touch(now);
    }

    /// <summary>The agent is paused and its policy holds proposals: the proposal is kept, the route step waits.</summary>
    public void Hold(string proposalJson, string reason, DateTimeOffset now)
    {
        Require("hold", RunStatus.Running);
        HeldProposalJson = proposalJson;
        HeldReason = reason;
        Step(ProposeStep).Succeed(now);
        Step(RouteStep).Start(now);
        Status = RunStatus.Held;
        Touch(now);
    }

    /// <summary>The agent was resumed: the held run goes back to its job, which routes the kept proposal.</summary>
    public void Unhold(DateTimeOffset now)
    {
        Require("release the hold on", RunStatus.Held);
        HeldReason = null;
        Status = RunStatus.Pending;
        Touch(now);
    }

    /// <summary>A person resolved the decision: execute it, or finish without executing.</summary>
    public void Reviewed(bool executable, DateTimeOffset now)
    {
        Require("record a review on", RunStatus.AwaitingReview);
        Step(ReviewStep).Succeed(now);
        MarkResolved(executable, now);
        Touch(now);
    }

    public void ExecutionSucceeded(DateTimeOffset now)
    {
        RequireExecuting("record an execution on");
        Step(ExecuteStep).Succeed(now);
        ExecutionStatus = ExecutionStatus.Succeeded;
        Status = RunStatus.Completed;
        LastError = null;
        Touch(now);
    }

    public void ExecutionAttemptFailed(string error, DateTimeOffset now)
    {
        RequireExecuting("record a failed execution attempt on");
        Step(ExecuteStep).Attempted(error);
        LastError = error;
        Touch(now);
    }

    public void ExecutionGaveUp(bool compensated, string error, DateTimeOffset now)
    {
        RequireExecuting("give up executing");
        Step(ExecuteStep).GiveUp(error, now);
        ExecutionStatus = compensated ? ExecutionStatus.Compensated : ExecutionStatus.Failed;
        Status = RunStatus.Failed;
        LastError = error;
        Touch(now);
    }

    public void Fail(string step, string error, DateTimeOffset now)
    {
        Require("fail", RunStatus.Pending, RunStatus.Running);
        Step(step).Fail(error, now);
        Status = RunStatus.Failed;
        LastError = error;
        Touch(now);
    }

    /// <summary>The reconciler handed the run to the job system again.</summary>
    public void Redriven(DateTimeOffset now)
    {
        Require("re-drive", RunStatus.Pending, RunStatus.Running, RunStatus.Executing);
        Touch(now);
    }

    private void Require(string verb, params RunStatus[] allowed)
    {
        if (!allowed.Contains(Status))
        {
            throw DomainException.Conflict("run.illegal-transition", $"Cannot {verb} run {Id}: it is {Status}.");
        }
    }

    private void RequireExecuting(string verb)
    {
        Require(verb, RunStatus.Executing);
        if (ExecutionStatus != ExecutionStatus.Pending)
        {
            throw DomainException.Conflict("run.illegal-transition", $"Cannot {verb} run {Id}: its execution is {ExecutionStatus}.");
        }
    }

    private void MarkResolved(bool executable, DateTimeOffset now)
    {
        if (executable)
        {
            Status = RunStatus.Executing;
            ExecutionStatus = ExecutionStatus.Pending;
            Step(ExecuteStep).Start(now);
        }
        else
        {
            Step(ExecuteStep).Skip();
            Status = RunStatus.Completed;
        }
    }

    private void Touch(DateTimeOffset now)
    {
        UpdatedAt = now;
        Version++;
    }
}

/// <summary>One step of a run, with its attempts.</summary>
public sealed class PipelineStep : ITenantOwned
{
    private PipelineStep()
    {
    }

    internal PipelineStep(Guid id, Guid tenantId, Guid runId, string name, int order)
    {
        Id = id;
        TenantId = tenantId;
        RunId = runId;
        Name = name;
        Order = order;
        Status = StepStatus.Pending;
    }

    public Guid Id { get; private set; }

    public Guid TenantId { get; private set; }

    public Guid RunId { get; private set; }

    public string Name { get; private set; } = "";

    public int Order { get; private set; }

    public StepStatus Status { get; private set; }

    public int Attempts { get; private set; }

    public DateTimeOffset? StartedAt { get; private set; }

    public DateTimeOffset? CompletedAt { get; private set; }

    public string? Error { get; private set; }

    internal void Start(DateTimeOffset now)
    {
        Status = StepStatus.Running;
        StartedAt ??= now;
    }

    internal void Succeed(DateTimeOffset now)
    {
        StartedAt ??= now;
        Attempts++;
        Status = StepStatus.Succeeded;
        CompletedAt = now;
        Error = null;
    }

    internal void Attempted(string error)
    {
        Attempts++;
        Error = error;
    }

    internal void Fail(string error, DateTimeOffset now)
    {
        Attempts++;
        Status = StepStatus.Failed;
        CompletedAt = now;
        Error = error;
    }

    /// <summary>Fails after the attempts already counted: giving up is not another attempt.</summary>
    internal void GiveUp(string error, DateTimeOffset now)
    {
        Status = StepStatus.Failed;
        CompletedAt = now;
        Error = error;
    }

    internal void Skip() => Status = StepStatus.Skipped;
}
