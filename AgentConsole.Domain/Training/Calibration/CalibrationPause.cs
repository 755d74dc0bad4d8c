using System.Globalization;
using AgentConsole.Domain.Agents;
using AgentConsole.Domain.Decisions;
using AgentConsole.Domain.Policies;
using AgentConsole.Domain.Tenancy;

namespace AgentConsole.Domain.Training.Calibration;

/// <summary>
/// An operator paused from some risk levels of one use case because their accuracy on gold items fell below the
/// policy's mark. It takes effect at once and lasts until a trainer clears it with a reason.
/// </summary>
public sealed class CalibrationPause : ITenantOwned
{
    public const int MaxReasonLength = 1000;

    private CalibrationPause()
    {
    }

    internal CalibrationPause(Guid id, Guid tenantId, string personId, string personName, UseCase useCase, IReadOnlyList<RiskLevel> riskLevels,
        double accuracyPercent, int answers, double thresholdPercent, TimeSpan window, DateTimeOffset pausedAt)
    {
        Id = id;
        TenantId = tenantId;
        PersonId = personId;
        PersonName = personName;
        UseCase = useCase;
        RiskLevelsCsv = string.Join(',', riskLevels);
        AccuracyPercent = Math.Round(accuracyPercent, 1);
        Answers = answers;
        ThresholdPercent = Math.Round(thresholdPercent, 1);
        WindowHours = (int)Math.Round(window.TotalHours);
        PausedAt = pausedAt;
    }

    public Guid Id { get; private set; }

    public Guid TenantId { get; private set; }

    public string PersonId { get; private set; } = "";

    public string PersonName { get; private set; } = "";

    public UseCase UseCase { get; private set; }

    /// <summary>The risk levels the person may not claim or decide while paused (the policy's pauseFrom at the time).</summary>
    public string RiskLevelsCsv { get; private set; } = "";

    /// <summary>Their accuracy on gold items over the window when the pause began.</summary>
    public double AccuracyPercent { get; private set; }

    /// <summary>How many gold answers that accuracy was measured on.</summary>
    public int Answers { get; private set; }

    /// <summary>The policy's mark (pauseBelow, in percent).</summary>
    public double ThresholdPercent { get; private set; }

    public int WindowHours { get; private set; }

    public DateTimeOffset PausedAt { get; private set; }

    public DateTimeOffset? ClearedAt { get; private set; }

    public string? ClearedByName { get; private set; }

    public string? ClearedReason { get; private set; }

    /// <summary>Optimistic concurrency: two trainers clearing at once, one wins.</summary>
    public int Version { get; private set; } = 1;

    public bool IsActive => ClearedAt is null;

    public IReadOnlyList<RiskLevel> RiskLevels =>
        [.. RiskLevelsCsv.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(Enum.Parse<RiskLevel>)];

    /// <summary>Whether it keeps its person from a decision of this use case and risk.</summary>
    public bool Covers(UseCase useCase, RiskLevel risk) => IsActive && UseCase == useCase && RiskLevels.Contains(risk);

    /// <summary>The reason, for the paused person, their supervisor and the gate's refusal.</summary>
    public string Reason =>
        string.Create(CultureInfo.InvariantCulture,
            $"accuracy {AccuracyPercent:0.#}% over the last {Answers} gold item{(Answers == 1 ? "" : "s")} ({Window}), below the policy's {ThresholdPercent:0.#}%");

    /// <summary>What the pause keeps its person from, e.g. "high- and critical-risk pricing decisions".</summary>
    public string Scope
    {
        get
        {
            // "high-risk", "high- and critical-risk", "low-, medium-, high- and critical-risk".
            var levels = RiskLevels.Select(PolicyFields.RiskName).ToList();
            var joined = levels.Count == 1 ? levels[0] : string.Join("-, ", levels[..^1]) + "- and " + levels[^1];
            return $"{joined}-risk {UseCase.Label().ToLowerInvariant()} decisions";
        }
    }

    private string Window => WindowHours % 24 == 0 ? $"{WindowHours / 24} day{(WindowHours == 24 ? "" : "s")}" : $"{WindowHours} h";

    /// <summary>A trainer lifts the pause, saying why.</summary>
    public void Clear(Actor trainer, string reason, DateTimeOffset now)
    {
        if (!IsActive)
        {
            throw DomainException.Conflict("calibration.pause-cleared", $"This pause was already cleared by {ClearedByName} on {ClearedAt:yyyy-MM-dd HH:mm} UTC.");
        }

        ClearedAt = now;
        ClearedByName = trainer.Name;
        ClearedReason = reason;
        Version++;
    }

    public object Snapshot() => new
    {
        Id, PersonId, PersonName, useCase = UseCase.ToString(), riskLevels = RiskLevelsCsv, AccuracyPercent, Answers, ThresholdPercent, WindowHours,
        PausedAt, ClearedAt, ClearedByName, ClearedReason,
    };
}
