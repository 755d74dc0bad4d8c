using AgentConsole.Domain.Policies;
using AgentConsole.Web.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AgentConsole.Web.Policies;

/// <summary>A document to check or save.</summary>
public sealed record PolicyDocumentRequest(string? Document, string? ChangeNote, int? ExpectedVersion);

/// <summary>A submission to the board; no start time means as soon as it is approved.</summary>
public sealed record PolicySubmitRequest(DateTimeOffset? EffectiveFrom, int? ExpectedVersion);

/// <summary>A board member's approval or rejection. <c>ReviewedAgainst</c> is the version in force the reviewer compared it with.</summary>
public sealed record PolicyReviewRequest(string? Comment, int? ExpectedVersion, Guid? ReviewedAgainst);

/// <summary>A new draft, from a version of the scope (by default the one in force).</summary>
public sealed record PolicyDraftRequest(Guid? FromVersionId);

/// <summary>The outcome of checking a document: every problem with its line and column.</summary>
public sealed record PolicyValidationResponse(bool Valid, IReadOnlyList<PolicyProblem> Problems);

/// <summary>How many decisions move from one route to another.</summary>
public sealed record RouteTransition(DecisionRoute From, DecisionRoute To, int Count);

/// <summary>A what-if simulation as API clients see it.</summary>
public sealed record PolicySimulationResponse(
    int CandidateNumber, int? CurrentNumber, DateTimeOffset Since, DateTimeOffset Until, int Replayed, bool Truncated,
    RouteCounts Current, RouteCounts Candidate, int Changed, IReadOnlyList<RouteTransition> Transitions,
    IReadOnlyList<AgentRouteChange> ByAgent, IReadOnlyList<QueueLoadChange> ByQueue,
    AutoApprovalErrors CurrentErrors, AutoApprovalErrors CandidateErrors, IReadOnlyList<FlippedDecision> Flipped, int FlippedTotal)
{
    public static PolicySimulationResponse Of(PolicySimulation s) => new(
        s.CandidateNumber, s.CurrentNumber, s.From, s.To, s.Replayed, s.Truncated, s.Current, s.Candidate, s.Changed,
        [.. s.Transitions.Select(t => new RouteTransition(t.Key.From, t.Key.To, t.Value))], s.ByAgent, s.ByQueue, s.CurrentErrors, s.CandidateErrors, s.Flipped, s.FlippedTotal);
}

/// <summary>One version as API clients see it.</summary>
public sealed record PolicyVersionResponse(
    Guid Id, Guid ScopeId, int Number, string Status, string Document, string ChangeNote, string Author, int Approvals, int ApprovalsRequired,
    DateTimeOffset CreatedAt, DateTimeOffset? SubmittedAt, DateTimeOffset? EffectiveFrom, DateTimeOffset? ActivatedAt, DateTimeOffset? SupersededAt, int Version)
{
    public static PolicyVersionResponse From(PolicyVersion v) => new(
        v.Id, v.ScopeId, v.Number, v.Status.ToString(), v.Document, v.ChangeNote, v.AuthorName, v.Approvals.Count, v.ApprovalsRequired,
        v.CreatedAt, v.SubmittedAt, v.EffectiveFrom, v.ActivatedAt, v.SupersededAt, v.Version);

    public static PolicyVersionResponse From(PolicyVersionDetail d) => new(
        d.Summary.Id, d.Scope.Id, d.Summary.Number, d.Summary.Status.ToString(), d.Document, d.Summary.ChangeNote, d.Summary.AuthorName, d.Summary.Approvals,
        d.Summary.ApprovalsRequired, d.Summary.CreatedAt, d.Summary.SubmittedAt, d.Summary.EffectiveFrom, d.Summary.ActivatedAt, d.Summary.SupersededAt, d.ConcurrencyVersion);
}

/// <summary>
/// Policies for API clients and CI pipelines: read them, check a document, draft, submit,
/// approve or reject, and simulate — through the same service and rules as the console.
/// </summary>
public static class PoliciesApi
{
    public static IEndpointRouteBuilder MapPoliciesApi(this IEndpointRouteBuilder endpoints)
    {
        var read = endpoints.MapApiGroup("/api/policies", Permissions.ViewPolicies);
        read.MapGet("/", async (PolicyQueries policies, CancellationToken ct) => TypedResults.Ok(await policies.ListAsync(ct)));
        read.MapGet("/schema", () => TypedResults.Text(PolicyDocumentParser.SchemaText, "application/schema+json"));
        read.MapGet("/{scopeId:guid}/versions", GetVersionsAsync);
        read.MapGet("/versions/{versionId:guid}", GetVersionAsync);
        read.MapPost("/{scopeId:guid}/validate", ValidateAsync);
        read.MapGet("/versions/{versionId:guid}/simulation", SimulateAsync);

        // Writing needs the author's or the board's role; the service checks which, as for the console.
        read.MapPost("/{scopeId:guid}/drafts", DraftAsync);
        read.MapPut("/versions/{versionId:guid}", SaveAsync);
        read.MapPost("/versions/{versionId:guid}/submit", SubmitAsync);
        read.MapPost("/versions/{versionId:guid}/approve", ApproveAsync);
        read.MapPost("/versions/{versionId:guid}/reject", RejectAsync);
        return endpoints;
    }

    public static async Task<Results<Ok<IReadOnlyList<PolicyVersionSummary>>, NotFound>> GetVersionsAsync(Guid scopeId, PolicyQueries policies, CancellationToken cancellationToken) =>
        await policies.ScopeAsync(scopeId, cancellationToken) is { } scope ? TypedResults.Ok(scope.Versions) : TypedResults.NotFound();

    public static async Task<Results<Ok<PolicyVersionResponse>, NotFound>> GetVersionAsync(Guid versionId, PolicyQueries policies, CancellationToken cancellationToken) =>
        await policies.VersionAsync(versionId, cancellationToken) is { } version ? TypedResults.Ok(PolicyVersionResponse.From(version)) : TypedResults.NotFound();

    public static async Task<Ok<PolicyValidationResponse>> ValidateAsync(Guid scopeId, PolicyDocumentRequest request, PolicyService policies, CancellationToken cancellationToken)
    {
        var problems = await policies.ValidateAsync(scopeId, RequireDocument(request), cancellationToken);
        return TypedResults.Ok(new PolicyValidationResponse(problems.Count == 0, problems));
    }

    public static async Task<Ok<PolicySimulationResponse>> SimulateAsync(Guid versionId, int? days, HttpContext http, PolicySimulator simulator, CancellationToken cancellationToken) =>
        TypedResults.Ok(PolicySimulationResponse.Of(await simulator.SimulateAsync(versionId, http.Actor().Roles, days ?? PolicySimulator.DefaultDays, cancellationToken: cancellationToken)));

    public static async Task<Created<PolicyVersionResponse>> DraftAsync(Guid scopeId, PolicyDraftRequest? request, HttpContext http, PolicyService policies, CancellationToken cancellationToken)
    {
        var draft = await policies.CreateDraftAsync(http.Actor(), scopeId, request?.FromVersionId, cancellationToken);
        return TypedResults.Created($"/api/policies/versions/{draft.Id}", PolicyVersionResponse.From(draft));
    }

    public static async Task<Ok<PolicyVersionResponse>> SaveAsync(Guid versionId, PolicyDocumentRequest request, HttpContext http, PolicyService policies, CancellationToken cancellationToken) =>
        TypedResults.Ok(PolicyVersionResponse.From(await policies.SaveDraftAsync(http.Actor(), versionId, RequireDocument(request), request.ChangeNote ?? "", request.ExpectedVersion, cancellationToken)));

    public static async Task<Ok<PolicyVersionResponse>> SubmitAsync(Guid versionId, PolicySubmitRequest? request, HttpContext http, PolicyService policies, CancellationToken cancellationToken) =>
        TypedResults.Ok(PolicyVersionResponse.From(await policies.SubmitAsync(http.Actor(), versionId, request?.EffectiveFrom, request?.ExpectedVersion, cancellationToken)));

    public static async Task<Ok<PolicyVersionResponse>> ApproveAsync(Guid versionId, PolicyReviewRequest? request, HttpContext http, PolicyService policies, CancellationToken cancellationToken) =>
        TypedResults.Ok(PolicyVersionResponse.From(await policies.ApproveAsync(http.Actor(), versionId, request?.Comment, request?.ExpectedVersion, request?.ReviewedAgainst, cancellationToken)));

    public static async Task<Ok<PolicyVersionResponse>> RejectAsync(Guid versionId, PolicyReviewRequest request, HttpContext http, PolicyService policies, CancellationToken cancellationToken) =>
        TypedResults.Ok(PolicyVersionResponse.From(await policies.RejectAsync(http.Actor(), versionId, request.Comment ?? "", request.ExpectedVersion, cancellationToken)));

    private static string RequireDocument(PolicyDocumentRequest request) =>
        string.IsNullOrWhiteSpace(request.Document)
            ? throw DomainException.Invalid("policy.document-required", "Send the policy document (YAML) in 'document'.",
                new Dictionary<string, string[]> { ["document"] = ["Required."] })
            : request.Document;
}
