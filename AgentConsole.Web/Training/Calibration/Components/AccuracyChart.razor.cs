using System.Globalization;
using AgentConsole.Domain.Training.Calibration;

namespace AgentConsole.Web.Training.Calibration.Components;

/// <summary>Each person's daily accuracy on gold items over the dashboard's period, with the policies' marks.</summary>
public sealed partial class AccuracyChart
{
    private const int Width = 720;
    private const int Height = 220;
    private const int Left = 40;
    private const int Right = 10;
    private const int Top = 10;
    private const int Bottom = 22;
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;
    private static readonly string[] Palette = ["#1e88e5", "#43a047", "#e53935", "#8e24aa", "#fb8c00", "#00897b", "#6d4c41", "#3949ab"];

    /// <summary>The dashboard whose operators are drawn.</summary>
    [Parameter, EditorRequired]
    public CalibrationDashboard Dashboard { get; set; } = default!;

    private DateOnly First => DateOnly.FromDateTime(Dashboard.From.UtcDateTime);

    private DateOnly Last => First.AddDays(Dashboard.Days);

    private string X(DateOnly day) =>
        (Left + ((Width - Left - Right) * (day.DayNumber - First.DayNumber) / (double)Math.Max(1, Last.DayNumber - First.DayNumber))).ToString("0.#", Invariant);

    private static string Y(double percent) => (Top + ((Height - Top - Bottom) * (100 - percent) / 100)).ToString("0.#", Invariant);

    // Razor reads <text> as its own tag, so the SVG's labels are written as markup.
    private static MarkupString Label(int x, string y, string anchor, string text) =>
        new($"<text x=\"{x}\" y=\"{y}\" text-anchor=\"{anchor}\" font-size=\"11\" fill=\"currentColor\" opacity=\"0.7\">{System.Net.WebUtility.HtmlEncode(text)}</text>");

    private string Points(OperatorCalibration person) => string.Join(' ', person.Daily.Select(p => $"{X(p.Day)},{Y(p.AccuracyPercent)}"));
}
