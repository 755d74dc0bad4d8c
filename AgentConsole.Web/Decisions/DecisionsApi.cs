using System.Text.Json.Nodes;
using AgentConsole.Domain.Decisions.Bulk;
using AgentConsole.Web.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AgentConsole.Web.Decisions;

/// <summary>A reviewer's action. <c>ExpectedVersion</c> (from GET) makes a stale action fail instead of overwriting.</summary>
public sealed record DecisionActionRequest(string? Reason, int? ExpectedVersion);

/// <summary>An override: the edited proposal values (checked by the same rules as the console's form), a reason and the version seen.</summary>
public sealed record OverrideRequest(JsonObject? Values, string? Reason, int? ExpectedVersion);

/// <summary>A request to reveal one masked case field of a decision: which field, and why (recorded in the audit trail).</summary>
public sealed record RevealRequest(string? Field, string? Reason);

/// <summary>A case field hidden from the caller; <c>CanReveal</c> when the policy lets the caller reveal it with a reason.</summary>
public sealed record MaskedFieldResponse(string Field, string Label, bool CanReveal);

/// <summary>What a reveal shows: the field's value and the evidence lines (and rationale) it had kept hidden. For this answer only.</summary>
public sealed record RevealResponse(string Field, string Label, JsonNode? Value, IReadOnlyList<string> Evidence, string? Rationale)
{
    public static RevealResponse From(RevealedField r) => new(r.Reveal.Field, r.Label, r.Value, r.Evidence, r.Rationale);
}

/// <summary>
/// A decision as API clients see it: the case masked for the caller by the policy version that routed it. A hidden
/// evidence line reads "Hidden by policy: …"; <c>RationaleNote</c> says when the rationale is shortened or hidden;
/// <c>Masked</c> lists the fields hidden from the caller.
/// </summary>
public sealed record DecisionResponse(
    Guid Id, string Subject, string UseCase, string Status, string Route, string RouteReason, string RoutedBy, Guid? QueueId,
    double Confidence, string Risk, string? Rationale, IReadOnlyList<string> Evidence, JsonObject Inputs, JsonObject Proposal, JsonObject? Final,
    Guid AgentId, int AgentVersion, string? ClaimedBy, string? ResolvedBy, DateTimeOffset CreatedAt, DateTimeOffset? DueAt, DateTimeOffset? ResolvedAt, int Version,
    Guid? PolicyVersionId, IReadOnlyList<string> RulesFired, string? ReviewRole, int ReviewersRequired, string? ReviewCertification,
    string? RationaleNote, IReadOnlyList<MaskedFieldResponse> Masked)
{
    /// <summary>When <see cref="ReviewCertification"/> is set: whether the caller holds it valid now, so may claim and decide.</summary>
    public bool? HoldsCertification { get; init; }

    /// <summary>Why the caller may not claim or decide it for lack of the certification; null when they may.</summary>
    public string? CertificationMissing { get; init; }

    /// <summary>This answer with the caller's standing on the certification the decision needs, if any.</summary>
    public async Task<DecisionResponse> ForAsync(Actor caller, CertificationQueries certifications, CancellationToken cancellationToken)
    {
        if (ReviewCertification is not { } key)
        {
            return this;
        }

        var missing = (await certifications.StandingAsync(caller, [key], cancellationToken))[key];
        return this with { HoldsCertification = missing is null, CertificationMissing = missing };
    }

    /// <summary>Why the caller may not claim or decide it because calibration paused them from its risk level; null when no pause stands in the way.</summary>
    public string? PausedReason { get; init; }

    /// <summary>Where the policy asks for several reviewers: the verdicts as the caller may see them, and any disagreement; null otherwise.</summary>
    public FourEyesResponse? FourEyes { get; init; }

    /// <summary>This answer with the caller's calibration pause on its use case and risk level, if any.</summary>
    public async Task<DecisionResponse> PausedForAsync(Actor caller, Decision decision, Domain.Training.Calibration.CalibrationQueries calibration, CancellationToken cancellationToken) =>
        this with { PausedReason = await calibration.PausedFromAsync(caller, decision.UseCase, decision.Risk, cancellationToken) };

    /// <param name="view">The case as the caller may see it.</param>
    public static DecisionResponse From(Decision d, DecisionView view) => new(
        d.Id, view.Subject, d.UseCase.ToString(), d.Status.ToString(), d.Route.ToString(), d.RouteReason, d.RoutedBy, d.QueueId,
        d.Confidence, d.Risk.ToString(), view.Rationale, [.. view.Evidence.Select(e => e.Text)], view.Inputs, view.Proposal, view.Final,
        d.AgentId, d.AgentVersion, d.ClaimedByName, d.ResolvedByName, d.CreatedAt, d.DueAt, d.ResolvedAt, d.Version,
        d.PolicyVersionId, d.RulesFired, d.ReviewRole, d.ReviewersRequired, d.ReviewCertification,
        view.RationaleNote, [.. view.Mask.Fields.Select(f => new MaskedFieldResponse(f.Name, f.Label, f.MayReveal))]);
}

/// <summary>One four-eyes verdict: who, <c>approve</c> or <c>reject</c>, why (masked values redacted) and when.</summary>
public sealed record VerdictResponse(string Reviewer, string Verdict, string? Reason, DateTimeOffset At);

/// <summary>Four-eyes reviewers who disagreed: <c>Escalated</c> to the queue <c>ToQueueId</c>, or (top tier) left for a senior operator's decision.</summary>
public sealed record DisagreementResponse(DateTimeOffset At, bool Escalated, Guid? ToQueueId, IReadOnlyList<VerdictResponse> Verdicts);

/// <summary>
/// A four-eyes decision's verdicts as the caller may see them. While the caller may review it and has not given their
/// verdict, <c>VerdictsHidden</c> is true and <c>Verdicts</c> (the current round's) is empty; <c>VerdictsGiven</c> counts
/// them without saying whose or which. <c>Disagreements</c> (earlier rounds) are the evidence the decision carries and
/// always shown. <c>NeedsSeniorDecision</c>: reviewers disagreed in the top tier and one senior operator who gave neither
/// verdict decides it.
/// </summary>
public sealed record FourEyesResponse(
    int VerdictsRequired, int VerdictsGiven, bool VerdictsHidden, IReadOnlyList<VerdictResponse> Verdicts, bool NeedsSeniorDecision,
    IReadOnlyList<DisagreementResponse> Disagreements)
{
    public static FourEyesResponse? Of(DecisionDetail detail, Actor caller)
    {
        var d = detail.Decision;
        if (d.ReviewersRequired < 2)
        {
            return null;
        }

        var hidden = d.HidesVerdictsFrom(caller);
        return new FourEyesResponse(d.ReviewersRequired, d.VerdictsGiven, hidden,
            hidden ? [] : [.. detail.RoundVerdicts.Select(r => new VerdictResponse(r.ActorName, r.Action == ReviewAction.Approved ? "approve" : "reject", r.Reason is null ? null : detail.View.Redact(r.Reason), r.At))],
            d.NeedsSeniorDecision && d.Status.IsOpen(),
            [.. detail.Disagreements.Select(x => new DisagreementResponse(x.At, x.Escalated, x.ToQueueId, [.. x.Verdicts.Select(v => new VerdictResponse(v.Reviewer, v.Verdict, v.Reason, v.At))]))]);
    }
}

/// <summary>A bulk review: <c>action</c> Approve or Reject (any case); <c>reason</c> one for every item (not needed for a preview).</summary>
public sealed record BulkRequest(IReadOnlyList<Guid>? DecisionIds, string? Action, string? Reason)
{
    public BulkAction ParsedAction => Enum.TryParse<BulkAction>(Action?.Trim(), ignoreCase: true, out var a) && Enum.IsDefined(a) && !int.TryParse(Action, out _) ? a : (BulkAction)(-1);
}

public sealed record BulkPreviewResponse(string Action, string? PolicyVersion, int Included, IReadOnlyList<BulkItem> Items);

public sealed record BulkOutcomeResponse(Guid DecisionId, bool Done, string? Status, string? RefusedBecause);

/// <summary>Decisions for API clients: read one, and act on it exactly as the console does.</summary>
public static class DecisionsApi
{
    public static IEndpointRouteBuilder MapDecisionsApi(this IEndpointRouteBuilder endpoints)
    {
        var read = endpoints.MapApiGroup("/api/decisions", Permissions.ViewQueues);
        read.MapGet("/{decisionId:guid}", GetAsync);
        read.MapGet("/{decisionId:guid}/lineage", GetLineageAsync);
        read.MapPost("/{decisionId:guid}/reveal", RevealAsync);

        var act = endpoints.MapApiGroup("/api/decisions", Permissions.ActOnDecisions);
        act.MapPost("/{decisionId:guid}/claim", ClaimAsync);
        act.MapPost("/{decisionId:guid}/release", ReleaseAsync);
        act.MapPost("/{decisionId:guid}/approve", ApproveAsync);
        act.MapPost("/{decisionId:guid}/override", OverrideAsync);
        act.MapPost("/{decisionId:guid}/reject", RejectAsync);
        act.MapPost("/{decisionId:guid}/escalate", EscalateAsync);
        act.MapPost("/bulk/preview", PreviewBulkAsync);
        act.MapPost("/bulk", BulkAsync);
        return endpoints;
    }

    public static async Task<Results<Ok<DecisionResponse>, NotFound>> GetAsync(
        Guid decisionId, HttpContext http, DecisionQueries decisions, CertificationQueries certifications, Domain.Training.Calibration.CalibrationQueries calibration,
        CancellationToken cancellationToken) =>
        await decisions.GetForAsync(decisionId, http.Actor(), cancellationToken: cancellationToken) is { } detail
            ? TypedResults.Ok(await (await (DecisionResponse.From(detail.Decision, detail.View) with { FourEyes = FourEyesResponse.Of(detail, http.Actor()) })
                .ForAsync(http.Actor(), certifications, cancellationToken)).PausedForAsync(http.Actor(), detail.Decision, calibration, cancellationToken))
            : TypedResults.NotFound();

    /// <summary>The decision's lineage, masked for the caller; 404 for a decision of another tenant or none.</summary>
    public static async Task<Results<Ok<LineageResponse>, NotFound>> GetLineageAsync(Guid decisionId, HttpContext http, DecisionLineageQueries lineages, CancellationToken cancellationToken) =>
        await lineages.GetAsync(decisionId, http.Actor(), cancellationToken) is { } lineage ? TypedResults.Ok(LineageResponse.From(lineage)) : TypedResults.NotFound();

    /// <summary>Reveals one masked field for this answer only: 403 when the policy does not let the caller, 400 without a reason or for a field not hidden.</summary>
    /// <remarks>The answer is never stored (no-store): not by caches, not for an Idempotency-Key's repeats, so every reveal is audited.</remarks>
    public static async Task<Ok<RevealResponse>> RevealAsync(Guid decisionId, RevealRequest request, HttpContext http, MaskedFieldReveal reveal, CancellationToken cancellationToken)
    {
        var revealed = await reveal.RevealAsync(decisionId, http.Actor(), request.Field, request.Reason, cancellationToken);
        http.Response.Headers.CacheControl = "no-store";
        return TypedResults.Ok(RevealResponse.From(revealed));
    }

    /// <summary>The decision after an action, its case as the caller may see it.</summary>
    private static async Task<DecisionResponse> RespondAsync(Decision decision, HttpContext http, DecisionQueries queries, CancellationToken cancellationToken) =>
        DecisionResponse.From(decision, await queries.ViewAsync(decision, http.Actor().Roles, cancellationToken));

    public static async Task<Ok<DecisionResponse>> ClaimAsync(Guid decisionId, HttpContext http, DecisionService decisions, DecisionQueries queries, CancellationToken cancellationToken) =>
        TypedResults.Ok(await RespondAsync(await decisions.ClaimAsync(decisionId, http.Actor(), cancellationToken), http, queries, cancellationToken));

    public static async Task<Ok<DecisionResponse>> ReleaseAsync(Guid decisionId, DecisionActionRequest? request, HttpContext http, DecisionService decisions, DecisionQueries queries, CancellationToken cancellationToken) =>
        TypedResults.Ok(await RespondAsync(await decisions.ReleaseAsync(decisionId, http.Actor(), request?.Reason, cancellationToken), http, queries, cancellationToken));

    /// <summary>What a bulk review would include and leave out (with why); 400 naming <c>decisionIds</c> or <c>action</c>.</summary>
    public static async Task<Ok<BulkPreviewResponse>> PreviewBulkAsync(BulkRequest request, HttpContext http, BulkReview bulk, CancellationToken cancellationToken)
    {
        var preview = await bulk.PreviewAsync(http.Actor(), request.DecisionIds ?? [], request.ParsedAction, cancellationToken);
        return TypedResults.Ok(new BulkPreviewResponse(preview.Action.ToString(), preview.PolicyLabel, preview.Included, preview.Items));
    }

    /// <summary>Approves or rejects every included item, each on its own (audited, certification checked); 200 with each item's outcome.</summary>
    public static async Task<Ok<IReadOnlyList<BulkOutcomeResponse>>> BulkAsync(BulkRequest request, HttpContext http, BulkReview bulk, CancellationToken cancellationToken)
    {
        var outcomes = await bulk.ExecuteAsync(http.Actor(), request.DecisionIds ?? [], request.ParsedAction, request.Reason ?? "", cancellationToken);
        return TypedResults.Ok<IReadOnlyList<BulkOutcomeResponse>>([.. outcomes.Select(o => new BulkOutcomeResponse(o.DecisionId, o.Done, o.Status?.ToString(), o.RefusedBecause))]);
    }

    public static async Task<Ok<DecisionResponse>> ApproveAsync(Guid decisionId, DecisionActionRequest request, HttpContext http, DecisionService decisions, DecisionQueries queries, CancellationToken cancellationToken) =>
        TypedResults.Ok(await RespondAsync(await decisions.ApproveAsync(decisionId, http.Actor(), request.Reason ?? "", request.ExpectedVersion, cancellationToken), http, queries, cancellationToken));

    public static async Task<Ok<DecisionResponse>> OverrideAsync(Guid decisionId, OverrideRequest request, HttpContext http, DecisionService decisions, DecisionQueries queries, CancellationToken cancellationToken) =>
        TypedResults.Ok(await RespondAsync(await decisions.OverrideAsync(decisionId, http.Actor(), request.Values, request.Reason ?? "", request.ExpectedVersion, cancellationToken), http, queries, cancellationToken));

    public static async Task<Ok<DecisionResponse>> RejectAsync(Guid decisionId, DecisionActionRequest request, HttpContext http, DecisionService decisions, DecisionQueries queries, CancellationToken cancellationToken) =>
        TypedResults.Ok(await RespondAsync(await decisions.RejectAsync(decisionId, http.Actor(), request.Reason ?? "", request.ExpectedVersion, cancellationToken), http, queries, cancellationToken));

    public static async Task<Ok<DecisionResponse>> EscalateAsync(Guid decisionId, DecisionActionRequest request, HttpContext http, DecisionService decisions, DecisionQueries queries, CancellationToken cancellationToken) =>
        TypedResults.Ok(await RespondAsync(await decisions.EscalateAsync(decisionId, http.Actor(), request.Reason ?? "", request.ExpectedVersion, cancellationToken), http, queries, cancellationToken));
}
