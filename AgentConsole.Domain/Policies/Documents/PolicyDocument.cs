using AgentConsole.Domain.Decisions;

namespace AgentConsole.Domain.Policies;

/// <summary>A policy document, read from YAML and checked: everything routing needs, nothing more.</summary>
public sealed record PolicyDocument(
    AutoApproveSettings AutoApprove,
    IReadOnlyList<RiskRule> RiskRules,
    IReadOnlyList<AuthorityLimit> AuthorityLimits,
    IReadOnlyDictionary<RiskLevel, ReviewRequirement> ReviewRequirements,
    IReadOnlyDictionary<string, SlaLadder> SlaLadder,
    IReadOnlyList<MaskingRule> Masking,
    CalibrationSettings? Calibration = null,
    AgentPauseSettings? AgentPause = null,
    CircuitBreakerSettings? CircuitBreaker = null)
{
    /// <summary>What a paused agent's proposals do; review when the policy does not say.</summary>
    public AgentPauseSettings PauseOrDefault => AgentPause ?? AgentPauseSettings.Default;
}

/// <summary>What becomes of a paused agent's new proposals.</summary>
public enum WhilePaused
{
    /// <summary>Every proposal is routed to review at the tier its risk's review requirement names (never auto-approved).</summary>
    Review,
    /// <summary>Every proposal is kept on its run, unrouted, and routed when the agent is resumed.</summary>
    Hold,
}

/// <summary>The policy's <c>agentPause</c> section.</summary>
public sealed record AgentPauseSettings(WhilePaused WhilePaused)
{
    public static AgentPauseSettings Default { get; } = new(WhilePaused.Review);
}

/// <summary>
/// The policy's <c>circuitBreaker</c> section: after each human resolution, the agent's override and rejection rates over
/// <see cref="Window"/> are measured; with at least <see cref="MinDecisions"/> resolved, a rate above its maximum pauses the agent.
/// </summary>
public sealed record CircuitBreakerSettings(TimeSpan Window, int MinDecisions, double? MaxOverrideRate, double? MaxRejectionRate);

/// <summary>Auto-approval: a proposal at or above the threshold, at or below the risk level, with no rule forcing review.</summary>
public sealed record AutoApproveSettings(double MinConfidence, RiskLevel MaxRisk, IReadOnlyDictionary<string, double> AgentThresholds)
{
    public double ThresholdFor(string agentKey) => AgentThresholds.TryGetValue(agentKey, out var t) ? t : MinConfidence;
}

/// <summary>What a risk rule does when its condition holds.</summary>
public enum RiskRuleAction
{
    Review,
    Block,
}

/// <summary>A condition that forces review at a tier (optionally raising the risk level) or blocks the action.</summary>
public sealed record RiskRule(string Id, string? Description, string When, RiskRuleAction Then, int? Tier, RiskLevel? RaiseRiskTo);

/// <summary>
/// A hard limit an agent may never exceed. Written either as a field with a minimum and/or maximum,
/// or as a condition that describes the breach; <see cref="Breach"/> is the condition either way.
/// </summary>
public sealed record AuthorityLimit(string Id, string? Description, string Breach);

/// <summary>Who must review a decision at one risk level: the queue tier, the role, how many distinct reviewers, the certification.</summary>
public sealed record ReviewRequirement(int Tier, string Role, int Reviewers, string? Certification)
{
    public string Describe() =>
        $"{Tenancy.Roles.Label(Role).ToLowerInvariant()}{(Reviewers > 1 ? $" ×{Reviewers} (four-eyes)" : "")}{(Certification is null ? "" : $", certified {Certification}")}";
}

/// <summary>What an item waiting in one queue triggers, and when. Executed by the SLA jobs.</summary>
public sealed record SlaLadder(TimeSpan? WarnAfter, TimeSpan? ReassignAfter, TimeSpan? EscalateAfter, TimeSpan? AutoDecideAfter, string? AutoDecision);

/// <summary>Where a policy's gold items come from.</summary>
public enum CalibrationSource
{
    /// <summary>The scenarios of a published training track of the use case.</summary>
    Track,
    /// <summary>Cases from the synthetic case generator, which knows each one's right answer.</summary>
    Generated,
}

/// <summary>
/// Calibration in production: gold items seeded into live queues, evenly at <see cref="Count"/> per <see cref="Period"/>
/// in each queue of <see cref="Queues"/>; an operator whose accuracy over <see cref="Window"/> falls below
/// <see cref="PauseBelow"/> (with at least <see cref="MinimumAnswers"/> gold answers) is paused from <see cref="PauseFrom"/>.
/// </summary>
public sealed record CalibrationSettings(
    IReadOnlyList<string> Queues, int Count, TimeSpan Period, CalibrationSource Source, string? Track,
    double PauseBelow, int MinimumAnswers, TimeSpan Window, IReadOnlyList<RiskLevel> PauseFrom)
{
    /// <summary>The time between two gold items in one queue: one slot each.</summary>
    public TimeSpan Interval => Period / Count;
}

/// <summary>How much of a masked value a role still sees.</summary>
public enum MaskStyle
{
    Nothing,
    Last4,
}

/// <summary>A case field (<c>inputs.*</c>) hidden from some roles wherever a decision is shown.</summary>
/// <param name="Roles">Whom it is hidden from: anyone holding one of these roles.</param>
/// <param name="RevealRoles">Which of them may reveal it on one decision, with a reason that is audited; null or empty: nobody.</param>
public sealed record MaskingRule(string Field, IReadOnlyList<string> Roles, MaskStyle Show, IReadOnlyList<string>? RevealRoles = null)
{
    /// <summary>The case field's name without its group, e.g. <c>marginFloorPercent</c>.</summary>
    public string InputName => Field.StartsWith("inputs.", StringComparison.Ordinal) ? Field["inputs.".Length..] : Field;

    /// <summary>Whether someone with these roles sees the field hidden.</summary>
    public bool Hides(IEnumerable<string> viewerRoles) => viewerRoles.Any(Roles.Contains);

    /// <summary>Whether someone with these roles may reveal the field on a decision.</summary>
    public bool LetsReveal(IEnumerable<string> viewerRoles) => RevealRoles is { } reveal && viewerRoles.Any(reveal.Contains);
}

/// <summary>A problem in a policy document, where it is and what is wrong, for the author at the editor.</summary>
public sealed record PolicyProblem(int Line, int Column, string Path, string Message)
{
    public override string ToString() => $"Line {Line}, column {Column}: {Message}";
}
