using System.Text.Json.Nodes;
using AgentConsole.Domain.Traces;
using AgentConsole.Web.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AgentConsole.Web.Traces;

/// <summary>A trace search's query string, all as text: <see cref="TraceSearch.Parse"/> reads it and says what is wrong.</summary>
public sealed record TraceSearchQuery(
    string? DecisionId, string? RunId, string? Agent, string? Status, string? From, string? To, string? MinDurationMs, string? Page, string? PageSize)
{
    public TraceSearch Parse(DateTimeOffset now) => TraceSearch.Parse(now, DecisionId, RunId, Agent, Status, From, To, MinDurationMs, Page, PageSize);
}

/// <summary>One trace in a search's answer; <c>status</c> is <c>error</c> when a span of it failed, else <c>ok</c>.</summary>
public sealed record TraceSummaryResponse(
    string TraceId, string Name, DateTimeOffset StartedAt, double DurationMs, int Spans, int Errors, string Status, string? Agent, Guid? DecisionId, Guid? RunId)
{
    public static TraceSummaryResponse From(TraceSummary t) => new(
        t.TraceId, t.RootName, t.StartedAt, t.Duration.TotalMilliseconds, t.SpanCount, t.ErrorCount, t.ErrorCount > 0 ? "error" : "ok", t.AgentKey, t.DecisionId, t.RunId);
}

/// <summary>A page of traces, newest first, with the time range searched.</summary>
public sealed record TraceSearchResponse(IReadOnlyList<TraceSummaryResponse> Items, int Total, int Page, int PageSize, DateTimeOffset? From, DateTimeOffset? To)
{
    public static TraceSearchResponse Of(TraceSearchResult r) =>
        new([.. r.Items.Select(TraceSummaryResponse.From)], r.Total, r.Search.Page, r.Search.PageSize, r.From, r.To);
}

/// <summary>One span: <c>linked</c> for a span of another trace that joins this one (a reviewer's action); attributes, events and links as stored.</summary>
public sealed record SpanResponse(
    string TraceId, string SpanId, string? ParentSpanId, string Name, string Kind, string Service, DateTimeOffset StartedAt, double DurationMs,
    string Status, string? StatusDescription, bool Linked, int Depth, JsonNode? Attributes, JsonNode? Events, JsonNode? Links)
{
    public static SpanResponse From(WaterfallRow row) => new(
        row.Span.TraceId, row.Span.SpanId, row.Span.ParentSpanId, row.Span.Name, row.Span.Kind, row.Span.Service, row.Span.StartedAt,
        row.Span.Duration.TotalMilliseconds, row.Span.Status.ToString().ToLowerInvariant(), row.Span.StatusDescription, row.Linked, row.Depth,
        JsonNode.Parse(row.Span.AttributesJson), JsonNode.Parse(row.Span.EventsJson), JsonNode.Parse(row.Span.LinksJson));
}

/// <summary>
/// A trace: its spans in waterfall order (parents before children), the decision and run it carried, the run's trace
/// it joins when it is a reviewer's own (<c>joinsTraceId</c>), and its page in the tracing backend when configured.
/// </summary>
public sealed record TraceResponse(
    string TraceId, DateTimeOffset StartedAt, double DurationMs, int Errors, Guid? DecisionId, Guid? RunId, string? JoinsTraceId, string? ExternalUrl, bool Truncated,
    IReadOnlyList<SpanResponse> Spans)
{
    public static TraceResponse From(TraceDetail d) => new(
        d.View.TraceId, d.View.StartedAt, d.View.Duration.TotalMilliseconds, d.View.ErrorCount, d.View.DecisionId, d.View.RunId, d.View.JoinsTraceId, d.ExternalUrl, d.Truncated,
        [.. d.View.Rows.Select(SpanResponse.From)]);
}

/// <summary>The tenant's stored traces, for API clients: search them, read one.</summary>
public static class TracesApi
{
    public static IEndpointRouteBuilder MapTracesApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapApiGroup("/api/traces", Permissions.ViewTraces);
        api.MapGet("/", SearchAsync);
        api.MapGet("/{traceId}", GetAsync);
        return endpoints;
    }

    /// <summary>Malformed or absurd criteria answer 400 with a message per field.</summary>
    public static async Task<Ok<TraceSearchResponse>> SearchAsync([AsParameters] TraceSearchQuery query, TraceQueries traces, TimeProvider clock, CancellationToken cancellationToken) =>
        TypedResults.Ok(TraceSearchResponse.Of(await traces.SearchAsync(query.Parse(clock.GetUtcNow()), cancellationToken)));

    /// <summary>400 for an id that is not a trace id; 404 for a trace the caller's tenant has no span of.</summary>
    public static async Task<Results<Ok<TraceResponse>, NotFound>> GetAsync(string traceId, TraceQueries traces, CancellationToken cancellationToken) =>
        await traces.GetAsync(traceId, cancellationToken) is { } trace ? TypedResults.Ok(TraceResponse.From(trace)) : TypedResults.NotFound();
}
