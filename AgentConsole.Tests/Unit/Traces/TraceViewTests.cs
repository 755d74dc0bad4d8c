using System.Globalization;
using AgentConsole.Domain.Traces;

namespace AgentConsole.Tests.Unit.Traces;

/// <summary>A trace's waterfall nests spans under their parents, places bars by time, and keeps a review days later readable.</summary>
public sealed class TraceViewTests
{
    private const string Trace = "4bf92f3577b34da6a3ce929d0e0e4736";
    private const string ReviewTrace = "0af7651916cd43dd8448eb211c80319c";
    private static readonly Guid Tenant = Guid.NewGuid();
    private static readonly long T0 = StoredSpan.ToMicros(new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero));

    private static StoredSpan Span(string id, string? parent, string name, long startMs, long durationMs, SpanStatus status = SpanStatus.Unset, string trace = Trace, string? joins = null) =>
        StoredSpan.Synthetic(Tenant, trace, id.PadLeft(16, '0'), parent?.PadLeft(16, '0'), name, T0 + (startMs * 1000), durationMs * 1000, status, linkedTraceId: joins);

    [Fact]
    public void Build_NestsChildrenUnderTheirParents_InOrderOfStart()
    {
        var view = TraceView.Build(Trace, [
            Span("3", "1", "step route", 30, 10),
            Span("1", null, "pipeline run", 0, 50),
            Span("2", "1", "step propose", 5, 20),
            Span("4", "2", "invoke_agent builtin:pricing/1", 6, 15),
        ]);

        Assert.Equal(["pipeline run", "step propose", "invoke_agent builtin:pricing/1", "step route"], view.Rows.Select(r => r.Span.Name));
        Assert.Equal([0, 1, 2, 1], view.Rows.Select(r => r.Depth));
        Assert.Equal(TimeSpan.FromMilliseconds(50), view.Duration);
        var route = view.Rows[3];
        Assert.Equal(60, route.Left, precision: 3);
        Assert.Equal(20, route.Width, precision: 3);
        Assert.Equal(TimeSpan.FromMilliseconds(30), route.Offset);
    }

    [Fact]
    public void Build_ASpanThatStartsWhereTheTraceEnds_GetsTheNarrowestBar_InsideTheAxis()
    {
        // Its bar starts at the axis' last sliver: 100 − left is a rounding error below the narrowest bar.
        var view = TraceView.Build(Trace, [
            Span("1", null, "pipeline run", 0, 1000),
            Span("2", "1", "step execute", 1000, 0, SpanStatus.Error),
        ]);

        var last = view.Rows.Single(r => r.Span.Name == "step execute");
        Assert.True(last.Width > 0.29, $"The bar is {last.Width}% wide.");
        Assert.All(view.Rows, r => Assert.InRange(r.Left + r.Width, 0, 100.0001));
    }

    [Fact]
    public void Build_AReviewDaysLater_IsALinkedRow_AndTheWaitIsShortenedToAGap()
    {
        var twoDays = (long)TimeSpan.FromDays(2).TotalMilliseconds;
        var view = TraceView.Build(Trace, [
            Span("1", null, "intake pricing", 0, 10),
            Span("2", null, "pipeline run", 100, 40),
            Span("9", null, "review approve", twoDays, 20, trace: ReviewTrace, joins: Trace),
            Span("5", null, "enqueue execution", twoDays + 25, 1),
        ]);

        var review = Assert.Single(view.Rows, r => r.Linked);
        Assert.Equal("review approve", review.Span.Name);
        Assert.Equal(1, view.LinkedCount);
        var gap = Assert.Single(view.Gaps);
        Assert.True(gap.Length > TimeSpan.FromDays(1.9), $"The gap is {gap.Length}.");

        // The run's own work keeps most of the width, though it took milliseconds against two days of waiting.
        var run = view.Rows.Single(r => r.Span.Name == "pipeline run");
        Assert.True(run.Width > 20, $"The run's bar is {run.Width}% wide.");
        Assert.True(review.Left > gap.Left + gap.Width - 0.001, "The review comes after the gap.");
        Assert.All(view.Rows, r => Assert.InRange(r.Left + r.Width, 0, 100.0001));
    }

    [Fact]
    public void Build_ASpanWhoseParentIsMissing_IsShownAsARoot_AndErrorsAreCounted()
    {
        var view = TraceView.Build(Trace, [
            Span("1", null, "pipeline run", 0, 50),
            Span("2", "77", "job ExecuteAsync", 10, 5, SpanStatus.Error),
        ]);

        Assert.Equal([0, 0], view.Rows.Select(r => r.Depth));
        Assert.Equal(1, view.ErrorCount);
        Assert.True(view.Rows[1].IsError);
    }

    [Fact]
    public void Build_AReviewsOwnTrace_SaysWhichRunTraceItJoins()
    {
        var view = TraceView.Build(ReviewTrace, [Span("9", null, "review approve", 0, 20, trace: ReviewTrace, joins: Trace)]);

        Assert.Equal(Trace, view.JoinsTraceId);
        Assert.False(view.Rows[0].Linked);
    }

    [Fact]
    public void Build_AThousandSpans_NestsThemAll_WithBarsInsideTheAxis()
    {
        var spans = new List<StoredSpan> { Span("1", null, "pipeline run", 0, 10_000) };
        for (var i = 2; i <= 1_000; i++)
        {
            spans.Add(Span(i.ToString("x", CultureInfo.InvariantCulture), (i / 2).ToString("x", CultureInfo.InvariantCulture), $"step {i}", i * 9, 7));
        }

        var view = TraceView.Build(Trace, spans);

        Assert.Equal(1_000, view.Rows.Count);
        Assert.Equal(1_000, view.Rows.Select(r => r.Span.SpanId).Distinct().Count());
        Assert.All(view.Rows, r => Assert.InRange(r.Left, 0, 100));
        Assert.All(view.Rows, r => Assert.InRange(r.Left + r.Width, 0, 100.0001));
    }
}
