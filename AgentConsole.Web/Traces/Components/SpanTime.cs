using System.Globalization;

namespace AgentConsole.Web.Traces.Components;

/// <summary>Durations as a trace reader wants them: µs and ms for work, minutes, hours and days for waiting.</summary>
public static class SpanTime
{
    public static string Format(TimeSpan span)
    {
        var c = CultureInfo.InvariantCulture;
        return span.TotalMilliseconds switch
        {
            < 1 => $"{Math.Round(span.TotalMicroseconds)} µs",
            < 10 => span.TotalMilliseconds.ToString("0.00", c) + " ms",
            < 1_000 => span.TotalMilliseconds.ToString("0.#", c) + " ms",
            < 60_000 => span.TotalSeconds.ToString("0.00", c) + " s",
            _ when span.TotalHours < 1 => $"{(int)span.TotalMinutes} min {span.Seconds} s",
            _ when span.TotalDays < 1 => $"{(int)span.TotalHours} h {span.Minutes} min",
            _ => $"{(int)span.TotalDays} d {span.Hours} h",
        };
    }

    /// <summary>A point in time as stored spans are read: UTC, to the millisecond.</summary>
    public static string At(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.fff 'UTC'", CultureInfo.InvariantCulture);

    /// <summary>The first characters of a long id, for a table cell (the whole id is in its title and link).</summary>
    public static string Short(string id) => id.Length <= 8 ? id : id[..8] + "…";
}
