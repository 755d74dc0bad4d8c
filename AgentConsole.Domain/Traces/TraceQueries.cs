using AgentConsole.Domain.Persistence;
using AgentConsole.Domain.Pipelines;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AgentConsole.Domain.Traces;

/// <summary>One trace in a search's results: when it began, how long it took, how it ended, and what it was about.</summary>
/// <param name="RootName">Its first span's name, e.g. <c>intake pricing</c> or <c>POST /api/agents/{agentKey}/runs</c>.</param>
public sealed record TraceSummary(
    string TraceId, DateTimeOffset StartedAt, TimeSpan Duration, int SpanCount, int ErrorCount, string RootName, string? AgentKey, Guid? DecisionId, Guid? RunId);

/// <summary>A page of traces, newest first, and how many match in all.</summary>
public sealed record TraceSearchResult(IReadOnlyList<TraceSummary> Items, int Total, TraceSearch Search, DateTimeOffset? From, DateTimeOffset? To)
{
    public int Pages => Math.Max(1, (Total + Search.PageSize - 1) / Search.PageSize);
}

/// <summary>The run a trace carried, as far as the trace page shows it.</summary>
public sealed record TraceRun(Guid RunId, RunStatus Status, ExecutionStatus ExecutionStatus, Guid? DecisionId);

/// <summary>A trace's waterfall, the run it carried, and its page in the tracing backend when one is configured.</summary>
/// <param name="Truncated">More spans than <see cref="TraceQueries.MaxSpans"/> belong to it; the first ones are shown.</param>
public sealed record TraceDetail(TraceView View, TraceRun? Run, string? ExternalUrl, bool Truncated);

/// <summary>
/// Reads stored traces for the current tenant (the query filter keeps other tenants' spans out): searches that group
/// spans into traces on the database, and one trace's waterfall. A review that joins a run's trace through a link
/// counts as part of that trace.
/// </summary>
public sealed class TraceQueries(IAgentConsoleDbFactory dbs, TimeProvider clock, IOptions<TracesOptions> options)
{
    /// <summary>The most spans one trace view reads.</summary>
    public const int MaxSpans = 5_000;

    public async Task<TraceSearchResult> SearchAsync(TraceSearch search, CancellationToken cancellationToken = default)
    {
        var (from, to) = search.RangeAt(clock.GetUtcNow());
        await using var db = dbs.Create();
        IQueryable<StoredSpan> spans = db.StoredSpans.AsNoTracking();
        if (from is { } f)
        {
            // A trace that began in the range has no span before its start.
            var fromMicros = StoredSpan.ToMicros(f);
            spans = spans.Where(s => s.StartMicros >= fromMicros);
        }

        if (search.ById)
        {
            var marked = db.StoredSpans.AsNoTracking();
            if (search.DecisionId is { } decisionId)
            {
                marked = marked.Where(s => s.DecisionId == decisionId);
            }

            if (search.RunId is { } runId)
            {
                marked = marked.Where(s => s.RunId == runId);
            }

            var keys = await marked.Select(s => s.LinkedTraceId ?? s.TraceId).Distinct().Take(1_000).ToListAsync(cancellationToken);
            List<string?> nullable = [.. keys];
            spans = spans.Where(s => keys.Contains(s.TraceId) || nullable.Contains(s.LinkedTraceId));
        }

        if (search.AgentKey is { } agent)
        {
            var ofAgent = db.StoredSpans.AsNoTracking().Where(s => s.AgentKey == agent).Select(s => s.LinkedTraceId ?? s.TraceId);
            spans = spans.Where(s => ofAgent.Contains(s.LinkedTraceId ?? s.TraceId));
        }

        var traces = spans
            .GroupBy(s => s.LinkedTraceId ?? s.TraceId)
            .Select(g => new
            {
                TraceId = g.Key,
                Start = g.Min(s => s.StartMicros),
                End = g.Max(s => s.EndMicros),
                Spans = g.Count(),
                Errors = g.Sum(s => s.Status == SpanStatus.Error ? 1 : 0),
            });
        if (to is { } t)
        {
            var toMicros = StoredSpan.ToMicros(t);
            traces = traces.Where(x => x.Start < toMicros);
        }

        if (search.MinDuration is { } min)
        {
            var minMicros = (long)min.TotalMicroseconds;
            traces = traces.Where(x => x.End - x.Start >= minMicros);
        }

        if (search.Errors is { } errors)
        {
            traces = errors ? traces.Where(x => x.Errors > 0) : traces.Where(x => x.Errors == 0);
        }

        var total = await traces.CountAsync(cancellationToken);
        var page = await traces.OrderByDescending(x => x.Start).ThenBy(x => x.TraceId)
            .Skip((search.Page - 1) * search.PageSize).Take(search.PageSize).ToListAsync(cancellationToken);
        if (page.Count == 0)
        {
            return new TraceSearchResult([], total, search, from, to);
        }

        // What each trace was about: its first span's name, and the decision, run and agent its spans name.
        List<string> ids = [.. page.Select(p => p.TraceId)];
        List<string?> linkedIds = [.. ids];
        var details = await db.StoredSpans.AsNoTracking()
            .Where(s => ids.Contains(s.TraceId) || linkedIds.Contains(s.LinkedTraceId))
            .Select(s => new { Key = s.LinkedTraceId ?? s.TraceId, s.LinkedTraceId, s.ParentSpanId, s.Name, s.StartMicros, s.DecisionId, s.RunId, s.AgentKey })
            .ToListAsync(cancellationToken);
        var byTrace = details.ToLookup(d => d.Key, StringComparer.Ordinal);
        var items = page.Select(p =>
        {
            var of = byTrace[p.TraceId].OrderBy(d => d.LinkedTraceId is null ? 0 : 1).ThenBy(d => d.StartMicros).ToList();
            var root = of.FirstOrDefault(d => d.LinkedTraceId is null && d.ParentSpanId is null) ?? of.FirstOrDefault();
            return new TraceSummary(p.TraceId, StoredSpan.FromMicros(p.Start), TimeSpan.FromMicroseconds(p.End - p.Start), p.Spans, p.Errors, root?.Name ?? "",
                of.Select(d => d.AgentKey).FirstOrDefault(a => a is not null),
                of.Select(d => d.DecisionId).FirstOrDefault(d => d is not null),
                of.Select(d => d.RunId).FirstOrDefault(r => r is not null));
        }).ToList();
        return new TraceSearchResult(items, total, search, from, to);
    }

    /// <summary>A trace's waterfall, or null when the tenant has no span of it (another tenant's trace is not found either).</summary>
    /// <exception cref="DomainException">The id is not a W3C trace id.</exception>
    public async Task<TraceDetail?> GetAsync(string traceId, CancellationToken cancellationToken = default)
    {
        var id = Normalize(traceId);
        await using var db = dbs.Create();
        var spans = await db.StoredSpans.AsNoTracking()
            .Where(s => s.TraceId == id || s.LinkedTraceId == id)
            .OrderBy(s => s.StartMicros)
            .Take(MaxSpans + 1)
            .ToListAsync(cancellationToken);
        if (spans.Count == 0)
        {
            return null;
        }

        var truncated = spans.Count > MaxSpans;
        var view = TraceView.Build(id, truncated ? spans[..MaxSpans] : spans);
        TraceRun? run = null;
        if (view.RunId is { } runId)
        {
            run = await db.Runs.AsNoTracking().Where(r => r.Id == runId)
                .Select(r => new TraceRun(r.Id, r.Status, r.ExecutionStatus, r.DecisionId)).SingleOrDefaultAsync(cancellationToken);
        }

        return new TraceDetail(view, run, options.Value.ExternalUrlOf(id), truncated);
    }

    /// <summary>A trace id as stored (lowercase hex); anything else is refused with a message.</summary>
    public static string Normalize(string? traceId) =>
        StoredSpan.IsTraceId(traceId?.Trim())
            ? traceId!.Trim().ToLowerInvariant()
            : throw DomainException.Invalid("traces.trace-id", $"'{(traceId is { Length: > 40 } ? traceId[..39] + "…" : traceId)}' is not a trace id: a W3C trace id is 32 hexadecimal characters, e.g. 4bf92f3577b34da6a3ce929d0e0e4736.",
                new Dictionary<string, string[]> { ["traceId"] = ["A trace id is 32 hexadecimal characters."] });
}
