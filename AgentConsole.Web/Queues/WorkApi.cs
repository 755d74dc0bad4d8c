using AgentConsole.Domain.Queues.Leases;
using AgentConsole.Domain.Queues.Sla;
using AgentConsole.Web.Decisions;
using AgentConsole.Web.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AgentConsole.Web.Queues;

/// <summary>A senior operator's assignment: to whom (a user id) and why.</summary>
public sealed record AssignRequest(Guid? AssigneeId, string? Reason);

/// <summary>A senior operator's release of a decision someone holds or was given: why.</summary>
public sealed record SupervisorReleaseRequest(string? Reason);

/// <summary>
/// Work across the queues for API clients: the caller's work, what they may take, what needs a senior's attention;
/// lease heartbeats for a claim; senior operators' assignments; the tenant's business calendar (admins).
/// </summary>
public static class WorkApi
{
    public static IEndpointRouteBuilder MapWorkApi(this IEndpointRouteBuilder endpoints)
    {
        var work = endpoints.MapApiGroup("/api/work", Permissions.ActOnDecisions);
        work.MapGet("/mine", MineAsync);
        work.MapGet("/available", AvailableAsync);

        var attention = endpoints.MapApiGroup("/api/work", Permissions.SuperviseQueues);
        attention.MapGet("/attention", NeedsAttentionAsync);

        var lease = endpoints.MapApiGroup("/api/decisions", Permissions.ActOnDecisions);
        lease.MapPost("/{decisionId:guid}/lease", RenewLeaseAsync);

        var supervise = endpoints.MapApiGroup("/api/decisions", Permissions.SuperviseQueues);
        supervise.MapGet("/{decisionId:guid}/assignees", CandidatesAsync);
        supervise.MapPost("/{decisionId:guid}/assignment", AssignAsync);
        supervise.MapPost("/{decisionId:guid}/assignment/release", ReleaseAsync);

        var calendar = endpoints.MapApiGroup("/api/business-calendar", Permissions.Administer);
        calendar.MapGet("/", GetCalendarAsync);
        calendar.MapPut("/", UpdateCalendarAsync);
        return endpoints;
    }

    /// <summary>Open decisions the caller claimed or was assigned, soonest due first.</summary>
    public static async Task<Ok<IReadOnlyList<DecisionListItem>>> MineAsync(HttpContext http, WorkViews views, CancellationToken cancellationToken) =>
        TypedResults.Ok(await views.MineAsync(http.Actor(), cancellationToken));

    /// <summary>Open, unclaimed decisions the caller may take: their queue role, the review role and the certification the policy names.</summary>
    public static async Task<Ok<IReadOnlyList<DecisionListItem>>> AvailableAsync(HttpContext http, WorkViews views, CancellationToken cancellationToken) =>
        TypedResults.Ok(await views.AvailableAsync(http.Actor(), cancellationToken));

    /// <summary>Overdue items, items about to breach, stuck leases and items nobody eligible can take, each with why.</summary>
    public static async Task<Ok<IReadOnlyList<AttentionItem>>> NeedsAttentionAsync(HttpContext http, WorkViews views, CancellationToken cancellationToken) =>
        TypedResults.Ok(await views.NeedsAttentionAsync(http.Actor(), cancellationToken));

    /// <summary>Renews the caller's claim (a client that claims must call this within <c>Queues:LeaseSeconds</c>); 409 when the claim moved on.</summary>
    public static async Task<Ok<LeaseStanding>> RenewLeaseAsync(Guid decisionId, HttpContext http, ClaimLeases leases, CancellationToken cancellationToken) =>
        TypedResults.Ok(await leases.RenewAsync(decisionId, http.Actor(), cancellationToken));

    /// <summary>The people the decision may be given to.</summary>
    public static async Task<Ok<IReadOnlyList<Assignee>>> CandidatesAsync(Guid decisionId, HttpContext http, Assignments assignments, CancellationToken cancellationToken) =>
        TypedResults.Ok(await assignments.CandidatesAsync(decisionId, http.Actor(), cancellationToken));

    /// <summary>Assigns (or reassigns) the decision; 400 per field for a missing reason or a person who may not decide it.</summary>
    public static async Task<Ok<DecisionResponse>> AssignAsync(
        Guid decisionId, AssignRequest? request, HttpContext http, Assignments assignments, DecisionQueries queries, CancellationToken cancellationToken)
    {
        var decision = await assignments.AssignAsync(decisionId, http.Actor(), request?.AssigneeId, request?.Reason, cancellationToken);
        return TypedResults.Ok(DecisionResponse.From(decision, await queries.ViewAsync(decision, http.Actor().Roles, cancellationToken)));
    }

    /// <summary>Takes the decision back from whoever holds it or was given it; 400 without a reason.</summary>
    public static async Task<Ok<DecisionResponse>> ReleaseAsync(
        Guid decisionId, SupervisorReleaseRequest? request, HttpContext http, Assignments assignments, DecisionQueries queries, CancellationToken cancellationToken)
    {
        var decision = await assignments.ReleaseAsync(decisionId, http.Actor(), request?.Reason, cancellationToken);
        return TypedResults.Ok(DecisionResponse.From(decision, await queries.ViewAsync(decision, http.Actor().Roles, cancellationToken)));
    }

    /// <summary>The tenant's business calendar (24/7 UTC until an admin sets one).</summary>
    public static async Task<Ok<BusinessCalendarView>> GetCalendarAsync(BusinessCalendars calendars, CancellationToken cancellationToken) =>
        TypedResults.Ok(await calendars.GetAsync(cancellationToken));

    /// <summary>Sets the whole calendar; 400 with an error per field, changing nothing.</summary>
    public static async Task<Ok<BusinessCalendarView>> UpdateCalendarAsync(BusinessCalendarInput? input, HttpContext http, BusinessCalendars calendars, CancellationToken cancellationToken) =>
        TypedResults.Ok(await calendars.UpdateAsync(http.Actor(), input ?? new BusinessCalendarInput(null, null, null, null, null, null), cancellationToken));
}
