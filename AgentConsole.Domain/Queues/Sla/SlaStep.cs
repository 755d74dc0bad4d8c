using AgentConsole.Domain.Policies;
using AgentConsole.Domain.Tenancy;

namespace AgentConsole.Domain.Queues.Sla;

/// <summary>The rungs of a queue's SLA ladder, in the order they fire.</summary>
public enum SlaStep
{
    Warn,
    Reassign,
    Escalate,
    AutoDecide,
}

/// <summary>One rung of a ladder: its step, threshold (business time since the decision entered the queue) and when it falls due.</summary>
public sealed record SlaRung(SlaStep Step, TimeSpan After, DateTimeOffset DueAt)
{
    /// <summary>The policy document's name for the threshold, e.g. <c>escalateAfter</c>.</summary>
    public string Setting => Step switch
    {
        SlaStep.Warn => "warnAfter",
        SlaStep.Reassign => "reassignAfter",
        SlaStep.Escalate => "escalateAfter",
        _ => "autoDecideAfter",
    };

    /// <summary>The threshold as a policy writes it, e.g. <c>45m</c>, <c>3h</c>, <c>1d</c>.</summary>
    public string AfterText => After.TotalDays >= 1 && After.TotalDays % 1 == 0 ? $"{After.TotalDays:0}d"
        : After.TotalHours >= 1 && After.TotalHours % 1 == 0 ? $"{After.TotalHours:0}h"
        : $"{After.TotalMinutes:0}m";

    /// <summary>The ladder's rungs in firing order, each due at its threshold of business time after <paramref name="clockStarted"/>.</summary>
    public static IReadOnlyList<SlaRung> Of(SlaLadder ladder, BusinessClock clock, DateTimeOffset clockStarted)
    {
        var rungs = new List<SlaRung>(4);
        void Add(SlaStep step, TimeSpan? after)
        {
            if (after is { } a)
            {
                rungs.Add(new SlaRung(step, a, clock.Add(clockStarted, a)));
            }
        }

        Add(SlaStep.Warn, ladder.WarnAfter);
        Add(SlaStep.Reassign, ladder.ReassignAfter);
        Add(SlaStep.Escalate, ladder.EscalateAfter);
        Add(SlaStep.AutoDecide, ladder.AutoDecideAfter);
        return rungs;
    }
}

/// <summary>
/// A ladder step that fired for a decision in one queue. Unique per decision, queue and step, and saved in the same
/// transaction as the decision's change, so two workers or a restart can never fire a step twice.
/// </summary>
public sealed class SlaStepFiring : ITenantOwned
{
    private SlaStepFiring()
    {
    }

    public SlaStepFiring(Guid tenantId, Guid decisionId, Guid queueId, SlaStep step, Guid policyVersionId, string threshold, DateTimeOffset dueAt, string outcome, DateTimeOffset firedAt)
    {
        Id = Guid.NewGuid();
        TenantId = tenantId;
        DecisionId = decisionId;
        QueueId = queueId;
        Step = step;
        PolicyVersionId = policyVersionId;
        Threshold = threshold;
        DueAt = dueAt;
        Outcome = outcome;
        FiredAt = firedAt;
    }

    public Guid Id { get; private set; }

    public Guid TenantId { get; private set; }

    public Guid DecisionId { get; private set; }

    public Guid QueueId { get; private set; }

    public SlaStep Step { get; private set; }

    /// <summary>The policy version whose ladder fired.</summary>
    public Guid PolicyVersionId { get; private set; }

    /// <summary>The threshold as the policy wrote it, e.g. <c>60m</c>.</summary>
    public string Threshold { get; private set; } = "";

    /// <summary>When the step fell due in business time.</summary>
    public DateTimeOffset DueAt { get; private set; }

    /// <summary>What it did, e.g. "released Olivia Operator's claim", or why it did nothing.</summary>
    public string Outcome { get; private set; } = "";

    public DateTimeOffset FiredAt { get; private set; }
}
