using AgentConsole.Domain.Training.Tracks;

namespace AgentConsole.Web.Training.Components;

/// <summary>A track's settings as the form edits them.</summary>
public sealed class TrackSettingsModel
{
    public string Key { get; set; } = "";

    public string Name { get; set; } = "";

    public string Description { get; set; } = "";

    public string CertificationKey { get; set; } = "";

    public int PassMarkPercent { get; set; }

    public int TimeLimitMinutes { get; set; }

    public int AttemptsAllowed { get; set; }

    public int ValidityDays { get; set; }

    /// <summary>Sensible starting values for a new track; the trainer names it.</summary>
    public static TrackSettingsModel NewTrack() => new() { PassMarkPercent = 80, TimeLimitMinutes = 20, AttemptsAllowed = 3, ValidityDays = 365 };

    public static TrackSettingsModel Of(TrackSettings s) => new()
    {
        Key = s.Key, Name = s.Name, Description = s.Description, CertificationKey = s.CertificationKey, PassMarkPercent = s.PassMarkPercent,
        TimeLimitMinutes = s.TimeLimitMinutes, AttemptsAllowed = s.AttemptsAllowed, ValidityDays = s.ValidityDays,
    };

    public TrackSettings ToSettings() => new(Key.Trim(), Name, Description, CertificationKey.Trim(), PassMarkPercent, TimeLimitMinutes, AttemptsAllowed, ValidityDays);
}
