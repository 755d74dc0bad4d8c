using System.Text.Json;
using AgentConsole.Domain.Traces;

namespace AgentConsole.Web.Traces.Components;

/// <summary>One span's details: times, status, attributes, events (an exception with its stack) and links to other traces.</summary>
public sealed partial class SpanDetails
{
    private List<(string Key, string Value)> _attributes = [];
    private List<SpanEvent> _events = [];
    private List<SpanLink> _links = [];
    private WaterfallRow? _shown;

    /// <summary>The span shown; none shows a hint.</summary>
    [Parameter]
    public WaterfallRow? Row { get; set; }

    /// <summary>When the trace began, for the events' offsets.</summary>
    [Parameter]
    public DateTimeOffset TraceStart { get; set; }

    /// <summary>The trace the page shows, so links within it are told apart from links to other traces.</summary>
    [Parameter, EditorRequired]
    public string TraceId { get; set; } = "";

    protected override void OnParametersSet()
    {
        if (ReferenceEquals(_shown, Row))
        {
            return;
        }

        _shown = Row;
        _attributes = Row is null ? [] : Attributes(Row.Span.AttributesJson);
        _events = Row is null ? [] : Events(Row.Span.EventsJson);
        _links = Row is null ? [] : Links(Row.Span.LinksJson);
    }

    private static string LinkLabel(string? type) => type switch
    {
        "run" => "Joins the run's trace",
        "request" => "Came from request",
        "review" => "Follows the review",
        _ => "Linked to",
    };

    private static List<(string Key, string Value)> Attributes(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return [.. doc.RootElement.EnumerateObject().Select(p => (p.Name, Text(p.Value))).OrderBy(p => p.Name, StringComparer.Ordinal)];
    }

    private static List<SpanEvent> Events(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return [.. doc.RootElement.EnumerateArray().Select(e => new SpanEvent(
            e.GetProperty("name").GetString() ?? "",
            StoredSpan.FromMicros(e.GetProperty("timeMicros").GetInt64()),
            [.. e.GetProperty("attributes").EnumerateObject().Select(p => (p.Name, Text(p.Value)))]))];
    }

    private static List<SpanLink> Links(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return [.. doc.RootElement.EnumerateArray().Select(l => new SpanLink(
            l.GetProperty("traceId").GetString() ?? "",
            l.GetProperty("spanId").GetString() ?? "",
            l.GetProperty("attributes").TryGetProperty(SpanAttributes.LinkType, out var type) ? type.GetString() : null))];
    }

    private static string Text(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString() ?? "",
        JsonValueKind.Array => string.Join(", ", value.EnumerateArray().Select(Text)),
        JsonValueKind.Null => "—",
        _ => value.GetRawText(),
    };

    private sealed record SpanEvent(string Name, DateTimeOffset At, List<(string Key, string Value)> Attributes);

    private sealed record SpanLink(string TraceId, string SpanId, string? Type);
}
