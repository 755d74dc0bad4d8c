using System.Globalization;

namespace AgentConsole.Domain.Agents.BuiltIn;

/// <summary>Counts as people write them in evidence: "1 year", "3 years", "overdue by 2 days".</summary>
internal static class Counted
{
    /// <summary>The number and its unit, singular for one, e.g. <c>Of(1, "year")</c> is "1 year".</summary>
    public static string Of(int count, string unit) =>
        $"{count.ToString("#,0", CultureInfo.InvariantCulture)} {unit}{(count == 1 ? "" : "s")}";

    /// <summary>Days until a date: "due today", "due in 3 days", "overdue by 2 days".</summary>
    public static string DueIn(int days) => days switch
    {
        0 => "due today",
        > 0 => $"due in {Of(days, "day")}",
        _ => $"overdue by {Of(-days, "day")}",
    };

    /// <summary>Days since something happened: "today", "1 day ago".</summary>
    public static string Ago(int days) => days == 0 ? "today" : $"{Of(days, "day")} ago";
}
