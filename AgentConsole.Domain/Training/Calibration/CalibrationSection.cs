namespace AgentConsole.Domain.Training.Calibration;

/// <summary>The calibration section in a policy document's text: an agent's own policy starts from its use case's without it.</summary>
public static class CalibrationSection
{
    /// <summary>The note left where the section was.</summary>
    public const string Note = "# calibration: set in the use case's policy; it measures everyone who reviews the use case's decisions.";

    /// <summary>
    /// The document without its top-level <c>calibration:</c> section (the key and every indented, blank or comment line
    /// under it), with <see cref="Note"/> in its place; the document itself when it has none.
    /// </summary>
    public static string Without(string document)
    {
        var lines = document.Split('\n');
        var start = Array.FindIndex(lines, l => l.StartsWith("calibration:", StringComparison.Ordinal));
        if (start < 0)
        {
            return document;
        }

        var end = start + 1;
        while (end < lines.Length && (lines[end].Length == 0 || char.IsWhiteSpace(lines[end][0])))
        {
            end++;
        }

        // Blank lines before the next section stay between the sections.
        var kept = end;
        while (kept > start + 1 && string.IsNullOrWhiteSpace(lines[kept - 1]))
        {
            kept--;
        }

        return string.Join('\n', lines[..start].Append(Note).Concat(lines[kept..]));
    }
}
