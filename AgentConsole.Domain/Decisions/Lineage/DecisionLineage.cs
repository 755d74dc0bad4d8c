using System.Diagnostics;
using System.Text.Json.Nodes;
using AgentConsole.Domain.Agents;
using AgentConsole.Domain.Pipelines;
using AgentConsole.Domain.Tenancy;

namespace AgentConsole.Domain.Decisions;

/// <summary>
/// The whole story of one decision as one viewer may read it, in order: the case (masked for the viewer by the policy
/// version that routed it) → the agent and version that proposed → the policy version and rules that routed it → the
/// people who reviewed it, with their actions and reasons → what was carried out and the business system's receipt →
/// the outcome and, where known and the viewer may see it, the case's true answer. Every step names its record.
/// </summary>
public sealed record DecisionLineage(
    Guid DecisionId,
    DecisionStatus Status,
    UseCase UseCase,
    DateTimeOffset CreatedAt,
    DateTimeOffset? ResolvedAt,
    double Confidence,
    DecisionView Case,
    LineageAgent Agent,
    LineageRouting Routing,
    IReadOnlyList<LineageStep> Reviews,
    LineageExecution Execution,
    LineageOutcome Outcome,
    LineageRun? Run,
    IReadOnlyList<LineageRecord> Records);

/// <summary>An audit entry a step rests on: its number, when, what, and the trace it happened in.</summary>
/// <param name="TraceId">The W3C trace id (32 hex digits), when one was recorded.</param>
public sealed record LineageRecord(long Id, DateTimeOffset At, string Action, string ActorName, string EntityType, string EntityId, string? TraceId);

/// <summary>The agent version that proposed the decision, and the audit entry of its proposal.</summary>
/// <param name="Implementation">What ran, e.g. <c>builtin:pricing/1</c>.</param>
public sealed record LineageAgent(Guid Id, string Key, string Name, int Version, string? Implementation, LineageRecord? Proposed);

/// <summary>How the decision was routed: the policy version (null when none routed it), the rules that fired, the review it asked for.</summary>
/// <param name="PolicyLabel">The version as people name it, e.g. "Dynamic pricing v3".</param>
/// <param name="FirstQueue">The queue routing sent it to, for a decision routed to review.</param>
public sealed record LineageRouting(
    DecisionRoute Route, string Reason, string RoutedBy, Guid? PolicyVersionId, string? PolicyLabel, IReadOnlyList<string> RulesFired,
    RiskLevel ProposedRisk, RiskLevel Risk, string? ReviewRole, int ReviewersRequired, string? Certification, string? FirstQueue);

/// <summary>What a person (or the SLA ladder) did to the decision.</summary>
public enum LineageStepKind
{
    Claimed,
    Released,
    Approved,
    /// <summary>One of the approvals a four-eyes review needs; the decision went back to its queue.</summary>
    ApprovalRecorded,
    Overridden,
    Rejected,
    Escalated,
    Expired,
    /// <summary>Revealed a field the policy hides from them, with a reason.</summary>
    Revealed,
    /// <summary>One of the rejections a four-eyes review needs; the decision went back to its queue.</summary>
    RejectionRecorded,
    /// <summary>Four-eyes reviewers disagreed: the system escalated it with their verdicts, or (top tier) left it for a senior operator.</summary>
    ReviewersDisagreed,
}

/// <summary>One review step, in the order it happened.</summary>
/// <param name="Reason">Their reason, with values the policy hides from the viewer redacted.</param>
/// <param name="Detail">What else the step says, e.g. "from Pricing — first line to Pricing — seniors", "verdict 1 of 2", "margin floor".</param>
/// <param name="Values">For an override, the values they set.</param>
public sealed record LineageStep(LineageRecord Record, LineageStepKind Kind, ActorKind ActorKind, string ActorName, string? Reason, string? Detail, JsonObject? Values);

/// <summary>What was carried out in the business system, and its receipt.</summary>
/// <param name="Connector">The execution connector, e.g. <c>simulated-erp</c>.</param>
/// <param name="ExternalReference">The business system's reference for the posting (its receipt).</param>
/// <param name="AlreadyApplied">The system answered that the action had already been applied (a retry after a lost answer).</param>
/// <param name="Attempts">Calls made to the business system.</param>
/// <param name="Compensated">Retries ran out and the partial effect was reversed.</param>
/// <param name="Values">The values carried out.</param>
/// <param name="Record">The audit entry of the execution's outcome.</param>
public sealed record LineageExecution(
    ExecutionStatus Status, string? Connector, string? ExternalReference, bool AlreadyApplied, int Attempts, bool Compensated, string? Error,
    JsonObject? Values, LineageRecord? Record);

/// <summary>Whether the viewer sees the case's true answer.</summary>
public enum LineageTruthState
{
    /// <summary>Shown, with whether the outcome agreed with it.</summary>
    Shown,
    /// <summary>The case came without a hidden answer (e.g. another system sent it).</summary>
    NotKnown,
    /// <summary>Kept from this viewer: see <see cref="TrueAnswers.MayShow"/>.</summary>
    Withheld,
}

/// <summary>The case's hidden true answer, as far as the viewer may see it.</summary>
/// <param name="Answer">The answer's proposal fields, when shown.</param>
/// <param name="Agreed">Whether the final action agreed with it; null while nothing was decided.</param>
public sealed record LineageTruth(LineageTruthState State, JsonObject? Answer, bool? Agreed);

/// <summary>How it ended: the status, the values carried out, and the true answer where known.</summary>
public sealed record LineageOutcome(DecisionStatus Status, string? ResolvedBy, JsonObject? Final, LineageTruth Truth);

/// <summary>The pipeline run that carried the case, with its steps and the trace it belongs to.</summary>
/// <param name="TraceId">The run's W3C trace id (32 hex digits), from the trace context it was started in.</param>
/// <param name="Started">The audit entry of the run's start.</param>
public sealed record LineageRun(Guid Id, RunStatus Status, ExecutionStatus ExecutionStatus, int Attempts, DateTimeOffset CreatedAt, string? TraceId, IReadOnlyList<PipelineStep> Steps, LineageRecord? Started)
{
    /// <summary>The trace id of a W3C <c>traceparent</c>, e.g. <c>00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01</c>; null when there is none.</summary>
    public static string? TraceIdOf(string? traceParent) =>
        ActivityContext.TryParse(traceParent, null, out var context) ? context.TraceId.ToHexString() : null;
}

/// <summary>Who may see a case's hidden true answer.</summary>
public static class TrueAnswers
{
    /// <summary>
    /// Auditors and admins, and senior operators once the decision is resolved; never someone who reviews decisions
    /// while it is still open, whatever else they hold — the answer would decide it for them.
    /// </summary>
    public static bool MayShow(IReadOnlyCollection<string> viewerRoles, DecisionStatus status)
    {
        var reviewer = viewerRoles.Contains(Roles.Operator) || viewerRoles.Contains(Roles.SeniorOperator) || viewerRoles.Contains(Roles.Trainee);
        if (status.IsOpen())
        {
            return !reviewer && (viewerRoles.Contains(Roles.Auditor) || viewerRoles.Contains(Roles.Admin));
        }

        return viewerRoles.Contains(Roles.Auditor) || viewerRoles.Contains(Roles.Admin) || viewerRoles.Contains(Roles.SeniorOperator);
    }

    /// <summary>Whether the final action agreed with the true answer; null while nothing was decided.</summary>
    /// <remarks>Carried out: its values against the answer. Rejected or blocked: right when the proposal was wrong.</remarks>
    public static bool? Agreed(UseCase useCase, DecisionStatus status, JsonObject proposal, JsonObject? final, JsonObject truth)
    {
        var schema = ProposalSchema.For(useCase);
        return status switch
        {
            _ when status.IsExecutable() && final is not null => schema.SameOutcome(final, truth),
            DecisionStatus.Rejected or DecisionStatus.Blocked => !schema.SameOutcome(proposal, truth),
            _ => null,
        };
    }
}
