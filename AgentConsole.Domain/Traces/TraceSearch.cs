using System.Globalization;

namespace AgentConsole.Domain.Traces;

/// <summary>Which traces to list: every criterion given must hold. Read from text with <see cref="Parse"/>, which refuses nonsense with a message.</summary>
/// <param name="From">Traces that began at or after this; with no time and no id given, the last 24 hours.</param>
/// <param name="To">Traces that began before this.</param>
/// <param name="MinDuration">Traces that took at least this long, first span to last.</param>
/// <param name="Errors">True: traces with a failed span; false: traces without one.</param>
public sealed record TraceSearch(
    Guid? DecisionId = null, Guid? RunId = null, string? AgentKey = null, bool? Errors = null,
    DateTimeOffset? From = null, DateTimeOffset? To = null, TimeSpan? MinDuration = null, int Page = 1, int PageSize = 25)
{
    /// <summary>The longest time range one search may cover.</summary>
    public static readonly TimeSpan MaxRange = TimeSpan.FromDays(31);

    /// <summary>The longest minimum duration that still makes sense (a trace longer than this is a week-long review).</summary>
    public static readonly TimeSpan MaxMinDuration = TimeSpan.FromDays(30);

    public const int MaxPageSize = 100;

    /// <summary>The range searched when none is given and no decision or run narrows the search.</summary>
    public static readonly TimeSpan DefaultRange = TimeSpan.FromHours(24);

    /// <summary>Whether a decision or run id narrows the search, so it may look at any time.</summary>
    public bool ById => DecisionId is not null || RunId is not null;

    /// <summary>
    /// Reads a search from text (a query string or a form): ids as GUIDs, <paramref name="status"/> <c>ok</c> or
    /// <c>error</c>, times as ISO 8601 (<c>2026-12-01T09:00:00Z</c>; without an offset, UTC), the duration in whole
    /// milliseconds. Anything malformed or absurd is refused with one message per field.
    /// </summary>
    /// <param name="now">The time a range without an end runs to.</param>
    public static TraceSearch Parse(
        DateTimeOffset now, string? decisionId = null, string? runId = null, string? agent = null, string? status = null,
        string? from = null, string? to = null, string? minDurationMs = null, string? page = null, string? pageSize = null)
    {
        var errors = new Dictionary<string, string[]>();
        var search = new TraceSearch(
            DecisionId: ParseGuid(decisionId, "decisionId", "a decision's id", errors),
            RunId: ParseGuid(runId, "runId", "a run's id", errors),
            AgentKey: ParseAgent(agent, errors),
            Errors: ParseStatus(status, errors),
            From: ParseTime(from, "from", errors),
            To: ParseTime(to, "to", errors),
            MinDuration: ParseDuration(minDurationMs, errors),
            Page: ParseInt(page, "page", 1, 1, 100_000, errors),
            PageSize: ParseInt(pageSize, "pageSize", 25, 1, MaxPageSize, errors));
        if (!errors.ContainsKey("from") && !errors.ContainsKey("to"))
        {
            CheckRange(search.From, search.To, now, errors);
        }

        if (errors.Count > 0)
        {
            throw DomainException.Invalid("traces.search-invalid",
                "The trace search cannot be run: " + string.Join(" ", errors.Values.SelectMany(m => m)), errors);
        }

        return search;
    }

    /// <summary>The range the search covers at <paramref name="now"/>: the one given, else the last 24 hours unless an id narrows it.</summary>
    public (DateTimeOffset? From, DateTimeOffset? To) RangeAt(DateTimeOffset now) =>
        From is null && To is null && !ById ? (now - DefaultRange, null) : (From, To);

    private static void CheckRange(DateTimeOffset? from, DateTimeOffset? to, DateTimeOffset now, Dictionary<string, string[]> errors)
    {
        if (from is not { } f)
        {
            return;
        }

        var t = to ?? now;
        if (f >= t)
        {
            errors[to is null ? "from" : "to"] = [to is null ? "The time range starts in the future: no trace began there yet." : "The end of the time range must come after its start."];
        }
        else if (t - f > MaxRange)
        {
            errors[to is null ? "from" : "to"] = [$"A search covers at most {MaxRange.TotalDays:0} days; narrow the time range."];
        }
    }

    private static Guid? ParseGuid(string? text, string field, string what, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (Guid.TryParse(text.Trim(), out var id))
        {
            return id;
        }

        errors[field] = [$"'{Shorten(text)}' is not {what}: expected a GUID such as 3f2504e0-4f89-11d3-9a0c-0305e82c3301."];
        return null;
    }

    private static string? ParseAgent(string? text, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var key = text.Trim();
        if (key.Length > 64 || !key.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
        {
            errors["agent"] = [$"'{Shorten(text)}' is not an agent's key: letters, digits, '-', '_' or '.', at most 64 characters (e.g. pricing)."];
            return null;
        }

        return key;
    }

    private static bool? ParseStatus(string? text, Dictionary<string, string[]> errors)
    {
        switch (text?.Trim().ToUpperInvariant())
        {
            case null or "" or "ANY":
                return null;
            case "ERROR":
                return true;
            case "OK":
                return false;
            default:
                errors["status"] = [$"'{Shorten(text!)}' is not a status: use ok (traces without errors) or error."];
                return null;
        }
    }

    private static DateTimeOffset? ParseTime(string? text, string field, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (DateTimeOffset.TryParse(text.Trim(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AllowWhiteSpaces, out var at)
            && at.Year is >= 2000 and <= 2999)
        {
            return at.ToUniversalTime();
        }

        errors[field] = [$"'{Shorten(text)}' is not a time this search can use: write it as ISO 8601, e.g. 2026-12-01T09:00:00Z (between the years 2000 and 2999)."];
        return null;
    }

    private static TimeSpan? ParseDuration(string? text, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (long.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var ms) && ms <= (long)MaxMinDuration.TotalMilliseconds)
        {
            return TimeSpan.FromMilliseconds(ms);
        }

        errors["minDurationMs"] = [$"'{Shorten(text)}' is not a minimum duration: give whole milliseconds from 0 to {(long)MaxMinDuration.TotalMilliseconds:D} (30 days)."];
        return null;
    }

    private static int ParseInt(string? text, string field, int fallback, int min, int max, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return fallback;
        }

        if (int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
        {
            return value;
        }

        errors[field] = [$"'{Shorten(text)}' is not a {field}: give a whole number from {min} to {max}."];
        return fallback;
    }

    private static string Shorten(string text) => text.Length <= 40 ? text : string.Concat(text.AsSpan(0, 39), "…");
}
