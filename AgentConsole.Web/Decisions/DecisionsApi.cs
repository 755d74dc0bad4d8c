using System.Text.Json.Nodes;
using AgentConsole.Web.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AgentConsole.Web.Decisions;

/// <summary>A reviewer's action. <c>ExpectedVersion</c> (from GET) makes a stale action fail instead of overwriting.</summary>
public sealed record DecisionActionRequest(string? Reason, int? ExpectedVersion);

/// <summary>An override: the edited proposal values (checked by the same rules as the console's form), a reason and the version seen.</summary>
public sealed record OverrideRequest(JsonObject? Values, string? Reason, int? ExpectedVersion);

/// <summary>A decision as API clients see it.</summary>
public sealed record DecisionResponse(
    Guid Id, string Subject, string UseCase, string Status, string Route, string RouteReason, string RoutedBy, Guid? QueueId,
    double Confidence, string Risk, string Rationale, IReadOnlyList<string> Evidence, JsonObject Inputs, JsonObject Proposal, JsonObject? Final,
    Guid AgentId, int AgentVersion, string? ClaimedBy, string? ResolvedBy, DateTimeOffset CreatedAt, DateTimeOffset? DueAt, DateTimeOffset? ResolvedAt, int Version,
    Guid? PolicyVersionId, IReadOnlyList<string> RulesFired, string? ReviewRole, int ReviewersRequired, string? ReviewCertification)
{
    /// <param name="inputs">The inputs as the caller may see them (masked by the policy in force).</param>
    public static DecisionResponse From(Decision d, JsonObject inputs) => new(
        d.Id, d.Subject, d.UseCase.ToString(), d.Status.ToString(), d.Route.ToString(), d.RouteReason, d.RoutedBy, d.QueueId,
        d.Confidence, d.Risk.ToString(), d.Rationale, [.. d.Explanation.Evidence.Select(e => e.Text)], inputs, d.Proposal, d.Final,
        d.AgentId, d.AgentVersion, d.ClaimedByName, d.ResolvedByName, d.CreatedAt, d.DueAt, d.ResolvedAt, d.Version,
        d.PolicyVersionId, d.RulesFired, d.ReviewRole, d.ReviewersRequired, d.ReviewCertification);
}

/// <summary>Decisions for API clients: read one, and act on it exactly as the console does.</summary>
public static class DecisionsApi
{
    public static RouteGroupBuilder MapDecisionsApi(this IEndpointRouteBuilder endpoints)
    {
        var read = endpoints.MapApiGroup("/api/decisions", Permissions.ViewQueues);
        read.MapGet("/{decisionId:guid}", GetAsync);

        var act = endpoints.MapApiGroup("/api/decisions", Permissions.ActOnDecisions);
        act.MapPost("/{decisionId:guid}/claim", ClaimAsync);
        act.MapPost("/{decisionId:guid}/release", ReleaseAsync);
        act.MapPost("/{decisionId:guid}/approve", ApproveAsync);
        act.MapPost("/{decisionId:guid}/override", OverrideAsync);
        act.MapPost("/{decisionId:guid}/reject", RejectAsync);
        act.MapPost("/{decisionId:guid}/escalate", EscalateAsync);
        return act;
    }

    public static async Task<Results<Ok<DecisionResponse>, NotFound>> GetAsync(Guid decisionId, HttpContext http, DecisionQueries decisions, CancellationToken cancellationToken) =>
        await decisions.GetAsync(decisionId, http.Actor().Roles, cancellationToken) is { } detail
            ? TypedResults.Ok(DecisionResponse.From(detail.Decision, detail.Inputs))
            : TypedResults.NotFound();

    /// <summary>The decision after an action, with the inputs the caller's roles may see.</summary>
    private static async Task<DecisionResponse> RespondAsync(Decision decision, HttpContext http, DecisionQueries queries, CancellationToken cancellationToken) =>
        DecisionResponse.From(decision, await queries.MaskedInputsAsync(decision, http.Actor().Roles, cancellationToken));

    public static async Task<Ok<DecisionResponse>> ClaimAsync(Guid decisionId, HttpContext http, DecisionService decisions, DecisionQueries queries, CancellationToken cancellationToken) =>
        TypedResults.Ok(await RespondAsync(await decisions.ClaimAsync(decisionId, http.Actor(), cancellationToken), http, queries, cancellationToken));

    public static async Task<Ok<DecisionResponse>> ReleaseAsync(Guid decisionId, DecisionActionRequest? request, HttpContext http, DecisionService decisions, DecisionQueries queries, CancellationToken cancellationToken) =>
        TypedResults.Ok(await RespondAsync(await decisions.ReleaseAsync(decisionId, http.Actor(), request?.Reason, cancellationToken), http, queries, cancellationToken));

    public static async Task<Ok<DecisionResponse>> ApproveAsync(Guid decisionId, DecisionActionRequest request, HttpContext http, DecisionService decisions, DecisionQueries queries, CancellationToken cancellationToken) =>
        TypedResults.Ok(await RespondAsync(await decisions.ApproveAsync(decisionId, http.Actor(), request.Reason ?? "", request.ExpectedVersion, cancellationToken), http, queries, cancellationToken));

    public static async Task<Ok<DecisionResponse>> OverrideAsync(Guid decisionId, OverrideRequest request, HttpContext http, DecisionService decisions, DecisionQueries queries, CancellationToken cancellationToken) =>
        TypedResults.Ok(await RespondAsync(await decisions.OverrideAsync(decisionId, http.Actor(), request.Values, request.Reason ?? "", request.ExpectedVersion, cancellationToken), http, queries, cancellationToken));

    public static async Task<Ok<DecisionResponse>> RejectAsync(Guid decisionId, DecisionActionRequest request, HttpContext http, DecisionService decisions, DecisionQueries queries, CancellationToken cancellationToken) =>
        TypedResults.Ok(await RespondAsync(await decisions.RejectAsync(decisionId, http.Actor(), request.Reason ?? "", request.ExpectedVersion, cancellationToken), http, queries, cancellationToken));

    public static async Task<Ok<DecisionResponse>> EscalateAsync(Guid decisionId, DecisionActionRequest request, HttpContext http, DecisionService decisions, DecisionQueries queries, CancellationToken cancellationToken) =>
        TypedResults.Ok(await RespondAsync(await decisions.EscalateAsync(decisionId, http.Actor(), request.Reason ?? "", request.ExpectedVersion, cancellationToken), http, queries, cancellationToken));
}
