namespace AgentConsole.Domain.Decisions;

/// <summary>Where a decision stands in its lifecycle. Only <see cref="Decision"/> moves it.</summary>
public enum DecisionStatus
{
    /// <summary>Waiting in a review queue.</summary>
    Pending,
    /// <summary>Claimed by one reviewer.</summary>
    InReview,
    Approved,
    Overridden,
    Rejected,
    /// <summary>Moved to the next tier's queue, where it waits for a more senior reviewer.</summary>
    Escalated,
    /// <summary>The SLA ladder acted before a person did.</summary>
    Expired,
    AutoApproved,
    Blocked,
}

/// <summary>What routing decided for a proposal.</summary>
public enum DecisionRoute
{
    AutoApprove,
    Review,
    Block,
}

/// <summary>What a reviewer (or the SLA ladder) did to a decision.</summary>
public enum ReviewAction
{
    Claimed,
    Released,
    Approved,
    Overridden,
    Rejected,
    Escalated,
    Expired,
    /// <summary>A senior operator gave it to a person.</summary>
    Assigned,
    /// <summary>Four-eyes reviewers disagreed in the top tier: it stays in its queue for a senior operator's decision.</summary>
    Disagreed,
}

/// <summary>What became of a reviewer's approval or rejection.</summary>
public enum VerdictOutcome
{
    /// <summary>It decided the decision.</summary>
    Resolved,
    /// <summary>One of the four-eyes verdicts needed: the decision went back to its queue for the next reviewer.</summary>
    Recorded,
    /// <summary>The last four-eyes verdict needed, and the reviewers disagree: the decision waits for <see cref="Decision.SettleDisagreement"/>.</summary>
    Disagreed,
}

public static class DecisionStatusRules
{
    /// <summary>Still waiting for a person.</summary>
    public static bool IsOpen(this DecisionStatus status) =>
        status is DecisionStatus.Pending or DecisionStatus.InReview or DecisionStatus.Escalated;

    /// <summary>Resolved in a way that must be carried out by the execution connector.</summary>
    public static bool IsExecutable(this DecisionStatus status) =>
        status is DecisionStatus.Approved or DecisionStatus.Overridden or DecisionStatus.AutoApproved;

    public static string Label(this DecisionStatus status) => status switch
    {
        DecisionStatus.InReview => "In review",
        DecisionStatus.AutoApproved => "Auto-approved",
        _ => status.ToString(),
    };
}
