using AgentConsole.Web.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AgentConsole.Web.Audit;

/// <summary>An audit search in the query string; every field optional (see <see cref="AuditSearchInput"/>).</summary>
/// <param name="Page">The page, from 1 (search only).</param>
/// <param name="PageSize">Entries per page, 1–200, 50 by default (search only).</param>
/// <param name="Format"><c>csv</c> (the default) or <c>jsonl</c> (export only).</param>
public sealed record AuditQueryParameters(
    string? Actor, string? Action, string? EntityType, string? EntityId, string? From, string? To, string? Text, string? Page, string? PageSize, string? Format)
{
    public AuditSearchInput Search() => new() { Actor = Actor, Action = Action, EntityType = EntityType, EntityId = EntityId, From = From, To = To, Text = Text };

    /// <summary>The page asked for, 1 when none.</summary>
    public int PageNumber() => Number(Page, "page", 1);

    /// <summary>The page size asked for, <see cref="AuditQueries.DefaultPageSize"/> when none.</summary>
    public int PageLength() => Number(PageSize, "pageSize", AuditQueries.DefaultPageSize);

    private static int Number(string? value, string name, int none) =>
        string.IsNullOrWhiteSpace(value) ? none
        : int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number) ? number
        : throw DomainException.Invalid("audit.page-invalid", $"The query parameter '{name}' must be a whole number.",
            new Dictionary<string, string[]> { [name] = ["Must be a whole number."] });
}

/// <summary>One audit entry as API clients see it; <c>before</c> and <c>after</c> are the JSON snapshots as text.</summary>
public sealed record AuditEntryResponse(
    long Id, DateTimeOffset At, string ActorKind, string ActorId, string ActorName, string Action, string EntityType, string EntityId,
    string? Reason, string? TraceId, string? Before, string? After)
{
    public static AuditEntryResponse From(AuditRecord e) =>
        new(e.Id, e.At, e.ActorKind.ToString(), e.ActorId, e.ActorName, e.Action, e.EntityType, e.EntityId, e.Reason, e.TraceId, e.BeforeJson, e.AfterJson);
}

/// <summary>A page of an audit search, newest first, and how many entries match in all.</summary>
public sealed record AuditEntriesResponse(int Page, int PageSize, int Total, int Pages, IReadOnlyList<AuditEntryResponse> Entries)
{
    public static AuditEntriesResponse From(AuditSearchResult page) =>
        new(page.Page, page.PageSize, page.Total, page.Pages, [.. page.Entries.Select(AuditEntryResponse.From)]);
}

/// <summary>The audit trail for auditors and admins: search it a page at a time, or export a whole search, streamed.</summary>
public static class AuditApi
{
    public static IEndpointRouteBuilder MapAuditApi(this IEndpointRouteBuilder endpoints)
    {
        var audit = endpoints.MapApiGroup("/api/audit/entries", Permissions.ReadAudit);
        audit.MapGet("/", SearchAsync);
        audit.MapGet("/export", ExportAsync);
        return endpoints;
    }

    /// <summary>One page of the search; a field that cannot be read, or an action no entry has, answers 400 naming it.</summary>
    public static async Task<Ok<AuditEntriesResponse>> SearchAsync(
        [AsParameters] AuditQueryParameters query, HttpContext http, AuditQueries audit, TimeProvider clock, CancellationToken cancellationToken)
    {
        var filter = AuditFilter.Require(query.Search(), clock.GetUtcNow());
        var (page, pageSize) = (query.PageNumber(), query.PageLength());
        await audit.RequireKnownActionAsync(filter, cancellationToken);
        return TypedResults.Ok(AuditEntriesResponse.From(await audit.SearchAsync(filter, page, pageSize, http.Actor().Roles, cancellationToken)));
    }

    /// <summary>
    /// Every entry of the search, oldest first, as a CSV or JSON Lines download written while it is read from the
    /// database. The search is checked before anything is sent, so a bad one still answers a 400.
    /// </summary>
    public static async Task<PushStreamHttpResult> ExportAsync(
        [AsParameters] AuditQueryParameters query, HttpContext http, AuditQueries audit, TimeProvider clock, CancellationToken cancellationToken)
    {
        var (filter, export, roles) = (AuditFilter.Require(query.Search(), clock.GetUtcNow()), AuditExport.For(query.Format), http.Actor().Roles);
        await audit.RequireKnownActionAsync(filter, cancellationToken);
        return TypedResults.Stream(body => export.WriteAsync(body, audit.StreamAsync(filter, roles, http.RequestAborted), http.RequestAborted),
            export.ContentType, export.FileName(clock.GetUtcNow()));
    }
}
