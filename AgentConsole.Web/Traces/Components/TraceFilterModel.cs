using System.Globalization;
using AgentConsole.Domain.Traces;
using Microsoft.AspNetCore.WebUtilities;

namespace AgentConsole.Web.Traces.Components;

/// <summary>
/// The traces page's filters as typed (all text, so a malformed value is shown back with its message), read from and
/// written to the page's query string. A time range is "the last …" (<c>since</c>) or between two UTC times.
/// </summary>
public sealed class TraceFilterModel
{
    /// <summary>Marks the time range given by <see cref="From"/> and <see cref="To"/>.</summary>
    public const string Between = "between";

    /// <summary>No time range: only with a decision or run, which may be traced at any time.</summary>
    public const string AnyTime = "any";

    public static IReadOnlyList<(string Key, string Label, TimeSpan? Span)> Ranges { get; } =
    [
        ("15m", "Last 15 minutes", TimeSpan.FromMinutes(15)),
        ("1h", "Last hour", TimeSpan.FromHours(1)),
        ("24h", "Last 24 hours", TimeSpan.FromHours(24)),
        ("7d", "Last 7 days", TimeSpan.FromDays(7)),
        ("31d", "Last 31 days", TimeSpan.FromDays(31)),
        (AnyTime, "Any time (with a decision or run)", null),
        (Between, "Between (UTC)…", null),
    ];

    public string? DecisionId { get; set; }

    public string? RunId { get; set; }

    public string? Agent { get; set; }

    /// <summary><c>ok</c>, <c>error</c> or empty for both.</summary>
    public string? Status { get; set; }

    /// <summary>A key of <see cref="Ranges"/>; empty: the last 24 hours, or any time for a decision or run.</summary>
    public string? Since { get; set; }

    /// <summary>The range's start, UTC (<c>2026-12-01T09:00</c>), with <see cref="Between"/>.</summary>
    public string? From { get; set; }

    public string? To { get; set; }

    public string? MinDurationMs { get; set; }

    public bool ById => !string.IsNullOrWhiteSpace(DecisionId) || !string.IsNullOrWhiteSpace(RunId);

    /// <summary>The range chosen, as the select shows it.</summary>
    public string RangeKey => Since is { Length: > 0 } s ? s
        : !string.IsNullOrWhiteSpace(From) || !string.IsNullOrWhiteSpace(To) ? Between
        : ById ? AnyTime : "24h";

    public TraceFilterModel Copy() => (TraceFilterModel)MemberwiseClone();

    /// <summary>The search these filters ask for at <paramref name="now"/>; refused with a message when a value is malformed or absurd.</summary>
    /// <exception cref="DomainException">A filter is malformed or absurd.</exception>
    public TraceSearch ToSearch(DateTimeOffset now, string? page = null)
    {
        var key = RangeKey;
        string? from = null, to = null;
        string? rangeError = null;
        if (key == Between)
        {
            (from, to) = (From, To);
        }
        else if (key != AnyTime)
        {
            if (Ranges.FirstOrDefault(r => r.Key == key).Span is { } span)
            {
                from = (now - span).ToString("O", CultureInfo.InvariantCulture);
            }
            else
            {
                rangeError = $"'{(key.Length <= 20 ? key : key[..20] + "…")}' is not a time range: choose one from the list.";
            }
        }
        else if (!ById)
        {
            rangeError = "Any time needs a decision or run id; otherwise choose a time range.";
        }

        if (rangeError is null)
        {
            return TraceSearch.Parse(now, DecisionId, RunId, Agent, Status, from, to, MinDurationMs, page);
        }

        // The range cannot be used: say so together with whatever else is wrong, so one correction fixes the search.
        var errors = new Dictionary<string, string[]> { ["since"] = [rangeError] };
        try
        {
            TraceSearch.Parse(now, DecisionId, RunId, Agent, Status, null, null, MinDurationMs, page);
        }
        catch (DomainException ex)
        {
            foreach (var (field, messages) in ex.FieldErrors)
            {
                errors.TryAdd(field, messages);
            }
        }

        throw DomainException.Invalid("traces.search-invalid", "The trace search cannot be run: " + string.Join(" ", errors.Values.SelectMany(m => m)), errors);
    }

    /// <summary>The traces page showing these filters, at <paramref name="page"/>.</summary>
    public string ToUri(int page = 1)
    {
        var query = new Dictionary<string, string?>
        {
            ["decisionId"] = DecisionId,
            ["runId"] = RunId,
            ["agent"] = Agent,
            ["status"] = Status,
            ["since"] = Since,
            ["from"] = RangeKey == Between ? From : null,
            ["to"] = RangeKey == Between ? To : null,
            ["minDurationMs"] = MinDurationMs,
            ["page"] = page > 1 ? page.ToString(CultureInfo.InvariantCulture) : null,
        };
        return QueryHelpers.AddQueryString("/traces", query.Where(q => !string.IsNullOrWhiteSpace(q.Value)).Select(q => new KeyValuePair<string, string?>(q.Key, q.Value!.Trim())));
    }
}
