namespace AgentConsole.Domain.Training.Calibration;

/// <summary>Calibration in production (section <c>Calibration</c>); what and how often is each policy's <c>calibration</c> section.</summary>
public sealed class CalibrationOptions
{
    public const string Section = "Calibration";

    /// <summary>
    /// Whether the recurring job seeds gold items at the rates the policies set (default true). False stops seeding on
    /// this deployment; gold items already in queues are still scored, never executed, and pauses still apply.
    /// </summary>
    public bool SeedGoldItems { get; set; } = true;
}
