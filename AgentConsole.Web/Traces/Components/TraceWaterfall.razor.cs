using System.Globalization;
using AgentConsole.Domain.Traces;

namespace AgentConsole.Web.Traces.Components;

/// <summary>
/// A trace's spans as a waterfall: names nested by parent on the left, bars placed by start and duration on the
/// right, failed spans red, spans joined by a link (a reviewer's action) marked, long idle stretches shortened and
/// labelled. Clicking a span selects it.
/// </summary>
public sealed partial class TraceWaterfall
{
    /// <summary>The trace's waterfall.</summary>
    [Parameter, EditorRequired]
    public TraceView View { get; set; } = default!;

    /// <summary>The span whose details are shown.</summary>
    [Parameter]
    public WaterfallRow? Selected { get; set; }

    /// <summary>Asked with the span the person clicked.</summary>
    [Parameter]
    public EventCallback<WaterfallRow> SelectedChanged { get; set; }

    private string RowClass(WaterfallRow row) =>
        "ac-wf-row" + (row.IsError ? " ac-wf-error" : "") + (row.Linked ? " ac-wf-linked" : "") + (ReferenceEquals(row, Selected) ? " ac-wf-selected" : "");

    private static string Position(double left, double width) =>
        string.Create(CultureInfo.InvariantCulture, $"--ac-left:{left:0.###}%;--ac-width:{width:0.###}%");

    private static string Indent(int depth) => string.Create(CultureInfo.InvariantCulture, $"--ac-depth:{Math.Min(depth, 12)}");

    private static string Title(WaterfallRow row) =>
        $"{row.Span.Name} · {SpanTime.Format(row.Span.Duration)} · began +{SpanTime.Format(row.Offset)}" + (row.IsError ? " · failed" : "") + (row.Linked ? " · joined by a link" : "");
}
