namespace AgentConsole.Web.Components;

/// <summary>
/// Times as reviewers read them: relative to now ("in 42 min", "overdue 5 min", "3 h ago"), so
/// they are right whatever the time zone of the server or the browser.
/// </summary>
public static class TimeText
{
    public static string Due(DateTimeOffset? due, DateTimeOffset now)
    {
        if (due is null)
        {
            return "—";
        }

        var left = due.Value - now;
        var text = Span(left.Duration());
        return left < TimeSpan.Zero ? $"overdue {text}" : $"in {text}";
    }

    public static string Ago(DateTimeOffset at, DateTimeOffset now)
    {
        var span = now - at;
        return span.TotalMinutes < 1 ? "just now" : span.TotalDays < 1 ? $"{Span(span)} ago" : at.ToString("yyyy-MM-dd HH:mm 'UTC'", System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>The exact time in UTC, as records state it, e.g. "2026-11-30 14:15:02 UTC".</summary>
    public static string Utc(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", System.Globalization.CultureInfo.InvariantCulture);

    private static string Span(TimeSpan span) =>
        span.TotalMinutes < 1 ? "<1 min" : span.TotalHours < 1 ? $"{(int)span.TotalMinutes} min" : $"{(int)span.TotalHours} h {span.Minutes} min";
}
