using System.Text.Json.Nodes;

namespace AgentConsole.Web.Decisions;

/// <summary>
/// A decision's lineage as API clients see it, step by step, each step with the audit entry it rests on (<c>entryId</c>)
/// and the trace it happened in (<c>traceId</c>, for <c>/traces/{traceId}</c>). The case is masked for the caller as
/// <c>GET /api/decisions/{id}</c> masks it; <c>outcome.truth.state</c> is <c>Withheld</c> for callers who may not see
/// the case's true answer.
/// </summary>
public sealed record LineageResponse(
    Guid Id, string Status, string UseCase, DateTimeOffset CreatedAt, DateTimeOffset? ResolvedAt,
    LineageResponse.CaseInput Case, LineageResponse.AgentStep Agent, LineageResponse.PolicyStep Policy, IReadOnlyList<LineageResponse.ReviewStep> Reviews,
    LineageResponse.ExecutionStep Execution, LineageResponse.OutcomeStep Outcome, LineageResponse.RunStep? Run, IReadOnlyList<LineageResponse.Entry> Records)
{
    public static LineageResponse From(DecisionLineage l) => new(
        l.DecisionId, l.Status.ToString(), l.UseCase.ToString(), l.CreatedAt, l.ResolvedAt,
        new CaseInput(l.Case.Subject, l.Case.Inputs, [.. l.Case.Mask.Fields.Select(f => new MaskedFieldResponse(f.Name, f.Label, f.MayReveal))],
            l.Case.Proposal, l.Confidence, l.Case.Rationale, l.Case.RationaleNote, [.. l.Case.Evidence.Select(e => e.Text)]),
        new AgentStep(l.Agent.Id, l.Agent.Key, l.Agent.Name, l.Agent.Version, l.Agent.Implementation, l.Agent.Proposed?.Id, l.Agent.Proposed?.TraceId),
        new PolicyStep(l.Routing.Route.ToString(), l.Routing.Reason, l.Routing.RoutedBy, l.Routing.PolicyVersionId, l.Routing.PolicyLabel, l.Routing.RulesFired,
            l.Routing.ProposedRisk.ToString(), l.Routing.Risk.ToString(), l.Routing.ReviewRole, l.Routing.ReviewersRequired, l.Routing.Certification, l.Routing.FirstQueue),
        [.. l.Reviews.Select(r => new ReviewStep(r.Record.Id, r.Record.At, r.Kind.ToString(), r.ActorKind.ToString(), r.ActorName, r.Reason, r.Detail, r.Values, r.Record.TraceId))],
        new ExecutionStep(l.Execution.Status.ToString(), l.Execution.Connector, l.Execution.ExternalReference, l.Execution.AlreadyApplied, l.Execution.Attempts,
            l.Execution.Compensated, l.Execution.Error, l.Execution.Values, l.Execution.Record?.Id, l.Execution.Record?.TraceId),
        new OutcomeStep(l.Outcome.Status.ToString(), l.Outcome.ResolvedBy, l.Outcome.Final, new Truth(l.Outcome.Truth.State.ToString(), l.Outcome.Truth.Answer, l.Outcome.Truth.Agreed)),
        l.Run is not { } run ? null : new RunStep(run.Id, run.Status.ToString(), run.ExecutionStatus.ToString(), run.Attempts, run.CreatedAt, run.TraceId,
            [.. run.Steps.Select(s => new RunStepState(s.Name, s.Status.ToString(), s.Attempts, s.Error))], run.Started?.Id),
        [.. l.Records.Select(r => new Entry(r.Id, r.At, r.Action, r.ActorName, r.EntityType, r.TraceId))]);

    /// <summary>The case as the caller may see it.</summary>
    public sealed record CaseInput(
        string Subject, JsonObject Inputs, IReadOnlyList<MaskedFieldResponse> Masked, JsonObject Proposal, double Confidence, string? Rationale,
        string? RationaleNote, IReadOnlyList<string> Evidence);

    /// <summary>The agent version that proposed, and its proposal's audit entry.</summary>
    public sealed record AgentStep(Guid Id, string Key, string Name, int Version, string? Implementation, long? EntryId, string? TraceId);

    /// <summary>The policy version that routed it (null when none did) and the rules that fired.</summary>
    public sealed record PolicyStep(
        string Route, string Reason, string RoutedBy, Guid? VersionId, string? Label, IReadOnlyList<string> RulesFired, string ProposedRisk, string Risk,
        string? ReviewRole, int ReviewersRequired, string? Certification, string? FirstQueue);

    /// <summary>One person's step (or the SLA ladder's), in order: Claimed, Released, Approved, ApprovalRecorded (four-eyes), Overridden, Rejected, Escalated, Expired, Revealed.</summary>
    public sealed record ReviewStep(long EntryId, DateTimeOffset At, string Kind, string ActorKind, string Actor, string? Reason, string? Detail, JsonObject? Values, string? TraceId);

    /// <summary>What was carried out, and the business system's receipt.</summary>
    public sealed record ExecutionStep(
        string Status, string? Connector, string? ExternalReference, bool AlreadyApplied, int Attempts, bool Compensated, string? Error, JsonObject? Values,
        long? EntryId, string? TraceId);

    /// <summary>How it ended; the true answer where known and the caller may see it.</summary>
    public sealed record OutcomeStep(string Status, string? ResolvedBy, JsonObject? Final, Truth Truth);

    /// <summary><c>State</c>: Shown, NotKnown or Withheld; <c>Agreed</c>: whether the final action agreed with the answer (null while undecided).</summary>
    public sealed record Truth(string State, JsonObject? Answer, bool? Agreed);

    /// <summary>The pipeline run and its trace.</summary>
    public sealed record RunStep(Guid Id, string Status, string ExecutionStatus, int Attempts, DateTimeOffset CreatedAt, string? TraceId, IReadOnlyList<RunStepState> Steps, long? StartedEntryId);

    /// <summary>One step of the run.</summary>
    public sealed record RunStepState(string Name, string Status, int Attempts, string? Error);

    /// <summary>An audit entry of the decision or its run.</summary>
    public sealed record Entry(long Id, DateTimeOffset At, string Action, string Actor, string EntityType, string? TraceId);
}
