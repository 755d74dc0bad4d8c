namespace AgentConsole.Domain.Traces;

/// <summary>One span's row in a waterfall: nested under its parent, its bar placed on the trace's time axis (percent of the width).</summary>
/// <param name="Depth">How deep under a root it sits (0 for a root).</param>
/// <param name="Left">Where its bar starts, in percent of the axis.</param>
/// <param name="Width">How wide its bar is, in percent of the axis (never narrower than a sliver, so a short span stays visible).</param>
/// <param name="Offset">When it started, after the trace's first span.</param>
/// <param name="Linked">A span of another trace that joins this one through a link (a review done later).</param>
public sealed record WaterfallRow(StoredSpan Span, int Depth, double Left, double Width, TimeSpan Offset, bool Linked, bool HasChildren)
{
    public bool IsError => Span.Status == SpanStatus.Error;
}

/// <summary>A long idle stretch of a trace (waiting for a reviewer, for a retry) drawn narrow so the work around it stays readable.</summary>
public sealed record WaterfallGap(double Left, double Width, TimeSpan Length);

/// <summary>
/// A trace as its waterfall shows it: every span of the trace and every span that joins it through a link, nested by
/// parent, ordered by start, bars positioned by start and duration on one axis. Idle stretches longer than
/// <see cref="GapThreshold"/> (a review days later) are collapsed to a narrow marker.
/// </summary>
public sealed class TraceView
{
    /// <summary>Idle time longer than this is collapsed on the axis.</summary>
    public static readonly TimeSpan GapThreshold = TimeSpan.FromSeconds(2);

    /// <summary>A bar is at least this wide (percent), so a 10 µs span can still be clicked.</summary>
    public const double MinBarWidth = 0.3;

    private const double GapWidth = 3;
    private const double MaxGapsWidth = 30;

    private TraceView(string traceId, IReadOnlyList<WaterfallRow> rows, IReadOnlyList<WaterfallGap> gaps, long start, long end)
    {
        TraceId = traceId;
        Rows = rows;
        Gaps = gaps;
        StartedAt = StoredSpan.FromMicros(start);
        Duration = TimeSpan.FromMicroseconds(end - start);
        ErrorCount = rows.Count(r => r.IsError);
        LinkedCount = rows.Count(r => r.Linked);
        var own = rows.Where(r => !r.Linked).Select(r => r.Span).ToList();
        DecisionId = own.Select(s => s.DecisionId).FirstOrDefault(d => d is not null) ?? rows.Select(r => r.Span.DecisionId).FirstOrDefault(d => d is not null);
        RunId = own.Select(s => s.RunId).FirstOrDefault(r => r is not null) ?? rows.Select(r => r.Span.RunId).FirstOrDefault(r => r is not null);
        AgentKey = rows.Select(r => r.Span.AgentKey).FirstOrDefault(a => a is not null);
        JoinsTraceId = own.Select(s => s.LinkedTraceId).FirstOrDefault(t => t is not null && t != traceId);
    }

    public string TraceId { get; }

    public IReadOnlyList<WaterfallRow> Rows { get; }

    public IReadOnlyList<WaterfallGap> Gaps { get; }

    public DateTimeOffset StartedAt { get; }

    /// <summary>From the first span's start to the last span's end, linked spans included.</summary>
    public TimeSpan Duration { get; }

    public int ErrorCount { get; }

    public int LinkedCount { get; }

    public Guid? DecisionId { get; }

    public Guid? RunId { get; }

    public string? AgentKey { get; }

    /// <summary>When this trace is a review's own, the run's trace it joins (whose view shows the whole run).</summary>
    public string? JoinsTraceId { get; }

    /// <summary>Builds the waterfall of <paramref name="traceId"/> from its spans and the spans that join it.</summary>
    public static TraceView Build(string traceId, IReadOnlyList<StoredSpan> spans)
    {
        if (spans.Count == 0)
        {
            return new TraceView(traceId, [], [], 0, 0);
        }

        var start = long.MaxValue;
        var end = long.MinValue;
        foreach (var s in spans)
        {
            start = Math.Min(start, s.StartMicros);
            end = Math.Max(end, Math.Max(s.EndMicros, s.StartMicros));
        }

        var axis = Axis.For(spans);
        var byId = new HashSet<(string, string)>(spans.Count);
        foreach (var s in spans)
        {
            byId.Add((s.TraceId, s.SpanId));
        }

        var children = new Dictionary<(string, string), List<StoredSpan>>();
        var roots = new List<StoredSpan>();
        foreach (var s in spans)
        {
            if (s.ParentSpanId is { } parent && byId.Contains((s.TraceId, parent)) && parent != s.SpanId)
            {
                var key = (s.TraceId, parent);
                if (!children.TryGetValue(key, out var list))
                {
                    children[key] = list = [];
                }

                list.Add(s);
            }
            else
            {
                roots.Add(s);
            }
        }

        var rows = new List<WaterfallRow>(spans.Count);
        var visited = new HashSet<(string, string)>(spans.Count);
        var stack = new Stack<(StoredSpan Span, int Depth)>();
        foreach (var root in roots.OrderByDescending(r => r.StartMicros).ThenByDescending(r => r.SpanId, StringComparer.Ordinal))
        {
            stack.Push((root, 0));
        }

        while (stack.TryPop(out var next))
        {
            var (span, depth) = next;
            if (!visited.Add((span.TraceId, span.SpanId)))
            {
                continue;
            }

            var hasChildren = children.TryGetValue((span.TraceId, span.SpanId), out var kids);
            var left = Math.Min(axis.Map(span.StartMicros), 100 - MinBarWidth);
            // At least the narrowest bar, never past the axis' end (100 − left can fall a rounding error below the minimum).
            var width = Math.Max(MinBarWidth, Math.Min(axis.Map(Math.Max(span.EndMicros, span.StartMicros)) - left, 100 - left));
            rows.Add(new WaterfallRow(span, depth, left, width,
                TimeSpan.FromMicroseconds(span.StartMicros - start), span.TraceId != traceId, hasChildren));
            if (hasChildren)
            {
                foreach (var child in kids!.OrderByDescending(k => k.StartMicros).ThenByDescending(k => k.SpanId, StringComparer.Ordinal))
                {
                    stack.Push((child, depth + 1));
                }
            }
        }

        return new TraceView(traceId, rows, axis.Gaps, start, end);
    }

    /// <summary>Maps time to percent of the width: busy stretches share the width by their length, long idle ones get a narrow band each.</summary>
    private sealed class Axis
    {
        private readonly List<(long From, long To, double X0, double X1)> _pieces = [];

        public List<WaterfallGap> Gaps { get; } = [];

        public static Axis For(IReadOnlyList<StoredSpan> spans)
        {
            var threshold = (long)GapThreshold.TotalMicroseconds;
            var clusters = new List<(long From, long To)>();
            foreach (var s in spans.OrderBy(s => s.StartMicros))
            {
                var to = Math.Max(s.EndMicros, s.StartMicros);
                if (clusters.Count > 0 && s.StartMicros <= clusters[^1].To + threshold)
                {
                    clusters[^1] = (clusters[^1].From, Math.Max(clusters[^1].To, to));
                }
                else
                {
                    clusters.Add((s.StartMicros, to));
                }
            }

            var axis = new Axis();
            var gaps = clusters.Count - 1;
            var gapWidth = gaps == 0 ? 0 : Math.Min(GapWidth, MaxGapsWidth / gaps);
            var busy = Math.Max(1, clusters.Sum(c => Math.Max(1, c.To - c.From)));
            var perMicro = (100 - (gaps * gapWidth)) / busy;
            var x = 0.0;
            for (var i = 0; i < clusters.Count; i++)
            {
                var (from, to) = clusters[i];
                var x1 = x + (Math.Max(1, to - from) * perMicro);
                axis._pieces.Add((from, to, x, x1));
                x = x1;
                if (i < gaps)
                {
                    var next = clusters[i + 1].From;
                    axis._pieces.Add((to, next, x, x + gapWidth));
                    axis.Gaps.Add(new WaterfallGap(x, gapWidth, TimeSpan.FromMicroseconds(next - to)));
                    x += gapWidth;
                }
            }

            return axis;
        }

        public double Map(long micros)
        {
            if (_pieces.Count == 0 || micros <= _pieces[0].From)
            {
                return 0;
            }

            // Binary search for the piece holding the time; pieces are contiguous and ordered.
            int lo = 0, hi = _pieces.Count - 1;
            while (lo < hi)
            {
                var mid = (lo + hi + 1) / 2;
                if (_pieces[mid].From <= micros)
                {
                    lo = mid;
                }
                else
                {
                    hi = mid - 1;
                }
            }

            var (from, to, x0, x1) = _pieces[lo];
            if (micros >= to)
            {
                return x1;
            }

            return x0 + ((x1 - x0) * (micros - from) / Math.Max(1, to - from));
        }
    }
}
