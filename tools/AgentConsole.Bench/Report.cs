using System.Globalization;
using System.Text;

namespace AgentConsole.Bench;

/// <summary>One measured figure: AgentConsole against its bare baseline taken in the same run, and the goal.</summary>
internal sealed record Row(string Measure, string Setup, string Value, string Baseline, string Ratio, string Goal, bool Met);

/// <summary>Prints the results as a table and writes them, with the machine and settings, to a Markdown file.</summary>
internal sealed class Report(string title)
{
    private readonly List<Row> _rows = [];
    private readonly List<string> _notes = [];

    public void Add(Row row)
    {
        _rows.Add(row);
        Console.WriteLine($"  {row.Measure} [{row.Setup}]: {row.Value} (baseline {row.Baseline}, ratio {row.Ratio}; goal {row.Goal}: {(row.Met ? "met" : "NOT met")})");
    }

    public void Note(string note)
    {
        _notes.Add(note);
        Console.WriteLine($"  note: {note}");
    }

    public string Write(string directory)
    {
        var md = new StringBuilder();
        md.AppendLine(CultureInfo.InvariantCulture, $"# {title}");
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"Run {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC on {Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}.");
        md.AppendLine();
        md.AppendLine("| Measure | Setup | AgentConsole | Bare baseline | Ratio | Goal | Met |");
        md.AppendLine("|---|---|---|---|---|---|---|");
        foreach (var r in _rows)
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"| {r.Measure} | {r.Setup} | {r.Value} | {r.Baseline} | {r.Ratio} | {r.Goal} | {(r.Met ? "yes" : "**no**")} |");
        }

        if (_notes.Count > 0)
        {
            md.AppendLine();
            foreach (var note in _notes)
            {
                md.AppendLine(CultureInfo.InvariantCulture, $"- {note}");
            }
        }

        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, "results.md");
        File.WriteAllText(path, md.ToString());
        Console.WriteLine();
        Console.WriteLine(md.ToString());
        return path;
    }
}

internal static class Stats
{
    /// <summary>The p-th percentile (0–100) by nearest rank.</summary>
    public static double Percentile(IReadOnlyCollection<double> values, double p)
    {
        if (values.Count == 0)
        {
            return double.NaN;
        }

        var sorted = values.Order().ToArray();
        var rank = (int)Math.Ceiling(p / 100 * sorted.Length) - 1;
        return sorted[Math.Clamp(rank, 0, sorted.Length - 1)];
    }

    public static string Ms(double value) => value.ToString("0.0", CultureInfo.InvariantCulture) + " ms";

    public static string Fixed(double value, string format = "0.00") => value.ToString(format, CultureInfo.InvariantCulture);
}
