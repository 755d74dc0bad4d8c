using AgentConsole.Domain.Pipelines;

namespace AgentConsole.Web.Decisions.Components;

/// <summary>
/// A decision's lineage as a chain of steps — case input, agent, policy, reviewers, execution, outcome — each naming
/// the audit entry it rests on (a link into the audit workspace for those who may search it) and its trace.
/// </summary>
public sealed partial class DecisionLineageView
{
    /// <summary>The lineage shown, already masked for <see cref="Viewer"/>.</summary>
    [Parameter, EditorRequired]
    public DecisionLineage Lineage { get; set; } = default!;

    /// <summary>Who looks: which links lead somewhere for them.</summary>
    [Parameter, EditorRequired]
    public Actor Viewer { get; set; } = default!;

    private ProposalSchema Schema => ProposalSchema.For(Lineage.UseCase);

    private bool MayReadAudit => Viewer.Can(Permissions.ReadAudit);

    /// <summary>The audit workspace's search for one entity's entries.</summary>
    public static string AuditSearch(string entityType, string entityId) => $"/audit?entityType={entityType}&entityId={entityId}";

    private static string RouteText(LineageRouting routing) => routing.Route switch
    {
        DecisionRoute.AutoApprove => "approved automatically, without review",
        DecisionRoute.Block => "blocked, outside the agent's authority",
        _ => routing.FirstQueue is { } queue ? $"sent to review in {queue}" : "sent to review",
    };

    private static string? RequirementText(LineageRouting routing) => routing.ReviewRole is { } role
        ? $"The policy asked for {Roles.WithArticle(role)}{(routing.ReviewersRequired > 1 ? $", {routing.ReviewersRequired} different reviewers (four-eyes)" : "")}"
          + $"{(routing.Certification is { } c ? $", certified {c}" : "")}"
          + $"{(routing.Risk != routing.ProposedRisk ? $"; its rules raised the risk from {routing.ProposedRisk} to {routing.Risk}" : $"; risk {routing.Risk}")}."
        : routing.Risk != routing.ProposedRisk ? $"Its rules raised the risk from {routing.ProposedRisk} to {routing.Risk}." : null;

    private static string RunText(LineageRun run) =>
        $"{Words(run.Status.ToString())}; {string.Join(", ", run.Steps.Select(s => $"{s.Name} {Words(s.Status.ToString())}"))}";

    /// <summary>A name written in PascalCase as words, e.g. "awaiting review".</summary>
    private static string Words(string name) => System.Text.RegularExpressions.Regex.Replace(name, "(?<=[a-z])(?=[A-Z])", " ").ToLowerInvariant();

    /// <summary>Values of the use case's proposal fields, e.g. "discount 12.5 %"; fields without a value are left out.</summary>
    private string ProposalText(System.Text.Json.Nodes.JsonObject values) =>
        string.Join(", ", Schema.Fields.Where(f => values[f.Name] is not null).Select(f => $"{f.Label.ToLowerInvariant()} {CaseFormat.Proposal(values, f)}"));

    private string NoReviewText() => Lineage.Status switch
    {
        DecisionStatus.AutoApproved => "No one: routing approved it automatically.",
        DecisionStatus.Blocked => "No one: routing blocked it.",
        _ => "No one yet: it waits for a reviewer.",
    };

    private string StepText(LineageStep step) => step.Kind switch
    {
        LineageStepKind.ApprovalRecorded => "Approved (four-eyes: one of the verdicts needed)",
        LineageStepKind.RejectionRecorded => "Rejected (four-eyes: one of the verdicts needed)",
        LineageStepKind.ReviewersDisagreed => "Reviewers disagreed",
        LineageStepKind.Overridden when step.Values is { } values => "Overridden to " + ProposalText(values),
        LineageStepKind.Revealed => $"Revealed the {step.Detail ?? "hidden field"}",
        var kind => kind.ToString(),
    };

    private (string Text, Color Color) ExecutionText()
    {
        var e = Lineage.Execution;
        var attempts = e.Attempts > 1 ? $" on attempt {e.Attempts}" : "";
        return e.Status switch
        {
            ExecutionStatus.Succeeded => ($"Carried out in the business system{attempts}{(e.AlreadyApplied ? " (it had already applied it: an earlier answer was lost)" : "")}.", Color.Success),
            ExecutionStatus.Compensated => ($"Not carried out: {e.Attempts} attempts failed and the partial posting was reversed (compensated). {e.Error}", Color.Error),
            ExecutionStatus.Failed => ($"Not carried out after {e.Attempts} attempts. {e.Error}", Color.Error),
            ExecutionStatus.Pending => ($"Being carried out in the business system{(e.Error is { } error ? $"; {error}" : "")}.", Color.Info),
            _ when Lineage.Status.IsOpen() => ("Nothing yet: it is carried out once a reviewer approves it.", Color.Default),
            _ => ($"Nothing to carry out: the decision was {Lineage.Status.Label().ToLowerInvariant()}.", Color.Default),
        };
    }

    private string OutcomeText()
    {
        var o = Lineage.Outcome;
        var by = o.ResolvedBy is { } name && o.Status is not (DecisionStatus.AutoApproved or DecisionStatus.Blocked) ? $" by {name}" : "";
        var values = o.Final is { } final && o.Status.IsExecutable() ? ": " + ProposalText(final) : "";
        return o.Status.IsOpen()
            ? $"Open: {o.Status.Label().ToLowerInvariant()}."
            : $"{o.Status.Label()}{by}{(Lineage.ResolvedAt is { } at ? $" at {TimeText.Utc(at)}" : "")}{values}.";
    }

    private string AgreementText(bool agreed) => (Lineage.Status, agreed) switch
    {
        (DecisionStatus.Rejected or DecisionStatus.Blocked, true) => "the proposal it refused was wrong.",
        (DecisionStatus.Rejected or DecisionStatus.Blocked, false) => "the proposal it refused was right.",
        (_, true) => "what was carried out matches it.",
        _ => "what was carried out does not match it.",
    };
}
