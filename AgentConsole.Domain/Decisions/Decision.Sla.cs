using AgentConsole.Domain.Queues;
using AgentConsole.Domain.Tenancy;

namespace AgentConsole.Domain.Decisions;

/// <summary>
/// What the SLA ladder and claim leases do to a decision. The ladder's clock starts when the decision enters a queue;
/// <see cref="NextSlaStepAt"/> is when the sweep next looks at it (null: nothing left to do), so a sweep reads only what is due.
/// </summary>
public sealed partial class Decision
{
    /// <summary>When it entered its current queue: the ladder's thresholds count (in business time) from here.</summary>
    public DateTimeOffset? SlaClockStartedAt { get; private set; }

    /// <summary>When the SLA sweep next looks at it; null when its ladder has nothing left to do (or it has no policy).</summary>
    public DateTimeOffset? NextSlaStepAt { get; private set; }

    /// <summary>When the ladder's warn step fired in its current queue: the item is about to breach its SLA.</summary>
    public DateTimeOffset? SlaWarnedAt { get; private set; }

    /// <summary>The last heartbeat of its claim (set by the claim itself); the claim is a lease that lapses without one.</summary>
    public DateTimeOffset? LeaseRenewedAt { get; private set; }

    /// <summary>Who last lost their claim to a lapsed lease (until someone claims it again): they are told so if they act on it.</summary>
    public string? LeaseLapsedFromId { get; private set; }

    /// <summary>The person a senior operator assigned it to; only they (or a senior) may claim it.</summary>
    public string? AssignedToId { get; private set; }

    public string? AssignedToName { get; private set; }

    /// <summary>Starts the ladder's clock in the queue it just entered; the sweep plans its steps on its next pass.</summary>
    private void EnterSlaClock(DateTimeOffset now)
    {
        SlaClockStartedAt = now;
        NextSlaStepAt = PolicyVersionId is null ? null : now;
        SlaWarnedAt = null;
        AssignedToId = null;
        AssignedToName = null;
    }

    /// <summary>When the sweep should next look at it: the due time of the ladder's next step, or null for none.</summary>
    public void PlanNextSlaStep(DateTimeOffset? at) => NextSlaStepAt = Status.IsOpen() ? at : null;

    /// <summary>Marks it as about to breach. Changes no version: a reviewer who read it a moment ago may still act.</summary>
    public void SlaWarn(DateTimeOffset now)
    {
        EnsureOpenForSla("warn");
        SlaWarnedAt = now;
    }

    /// <summary>Releases a stale claim (and an assignment) so someone else can take it; returns who held it, or null when nobody did.</summary>
    public string? SlaReassign(Actor system, string reason, DateTimeOffset now)
    {
        EnsureOpenForSla("reassign");
        var held = Status == DecisionStatus.InReview ? ClaimedByName : AssignedToName;
        if (held is null)
        {
            return null;
        }

        ReturnToQueue();
        AddReview(ReviewAction.Released, system, reason, null, now);
        return held;
    }

    /// <summary>Escalates to <paramref name="next"/> even while claimed: the ladder's time for this tier ran out.</summary>
    public void SlaEscalate(Actor system, string reason, ReviewQueue next, DateTimeOffset now)
    {
        EnsureOpenForSla("escalate");
        ReturnToQueue();
        Escalate(system, reason, next, now);
    }

    /// <summary>The ladder's time ran out: approves or rejects as the policy says, as the system (not a reviewer).</summary>
    public void SlaAutoDecide(Actor system, bool approve, string reason, DateTimeOffset now)
    {
        EnsureOpenForSla("auto-decide");
        RequireReason(reason);
        ReturnToQueue();
        Status = approve ? DecisionStatus.Approved : DecisionStatus.Rejected;
        ResolvedById = system.Id;
        ResolvedByName = system.Name;
        ResolvedAt = now;
        if (approve)
        {
            FinalJson = ProposalJson;
        }

        NextSlaStepAt = null;
        AddReview(approve ? ReviewAction.Approved : ReviewAction.Rejected, system, reason, null, now);
    }

    /// <summary>Extends the claim's lease. Only the claimer renews it; changes no version.</summary>
    public void RenewLease(Actor actor, DateTimeOffset now)
    {
        if (Status != DecisionStatus.InReview || ClaimedById != actor.Id)
        {
            throw DomainException.Conflict("decision.lease-lost", $"Your claim on this decision has ended: {StandingForLoser(justChanged: false)}.");
        }

        LeaseRenewedAt = now;
    }

    /// <summary>Whether the claim's lease lapsed: no heartbeat since <paramref name="cutoff"/>.</summary>
    public bool LeaseLapsed(DateTimeOffset cutoff) => Status == DecisionStatus.InReview && (LeaseRenewedAt ?? ClaimedAt) < cutoff;

    /// <summary>Releases a claim whose lease lapsed; returns who held it.</summary>
    public string ExpireLease(Actor system, string reason, DateTimeOffset now)
    {
        if (Status != DecisionStatus.InReview)
        {
            throw Illegal("expire the lease of", "it is not claimed");
        }

        var held = ClaimedByName!;
        var holderId = ClaimedById;
        ReturnToQueue(keepAssignment: true);
        LeaseLapsedFromId = holderId;
        AddReview(ReviewAction.Released, system, reason, null, now);
        return held;
    }

    /// <summary>Refuses a reviewer's verdict on a claim they lost to a lapsed lease, saying so, until they claim it again.</summary>
    public void EnsureLeaseNotLapsed(Actor actor, string verb)
    {
        if (verb is "claim" or "release" || LeaseLapsedFromId != actor.Id || (Status == DecisionStatus.InReview && ClaimedById == actor.Id))
        {
            return;
        }

        var standing = Status is DecisionStatus.Pending or DecisionStatus.Escalated ? "it went back to its queue" : StandingForLoser(justChanged: false);
        throw DomainException.Conflict("decision.lease-expired",
            $"Your {ActionNoun(verb)} was not saved: your claim lapsed because your page stopped sending heartbeats, and {standing}. What you entered is still here: claim it again to go on.");
    }

    /// <summary>A senior operator gives it to <paramref name="assignee"/> (releasing anyone else's claim): only they, or a senior, may claim it.</summary>
    public void Assign(Actor senior, Actor assignee, string reason, DateTimeOffset now)
    {
        RequireReason(reason);
        RequireSenior(senior, "assign");
        EnsureOpenForSla("assign");
        if (AssignedToId == assignee.Id && (Status != DecisionStatus.InReview || ClaimedById == assignee.Id))
        {
            throw DomainException.Conflict("decision.already-assigned", $"This decision is already assigned to {assignee.Name}.");
        }

        if (Status == DecisionStatus.InReview && ClaimedById != assignee.Id)
        {
            ReturnToQueue();
        }

        AssignedToId = assignee.Id;
        AssignedToName = assignee.Name;
        AddReview(ReviewAction.Assigned, senior, reason, System.Text.Json.JsonSerializer.Serialize(new { assigneeId = assignee.Id, assignee = assignee.Name }), now);
    }

    /// <summary>A senior operator takes it back from whoever holds or was given it, with a reason; returns who that was.</summary>
    public string SupervisorRelease(Actor senior, string reason, DateTimeOffset now)
    {
        RequireReason(reason);
        RequireSenior(senior, "release");
        EnsureOpenForSla("release");
        var held = Status == DecisionStatus.InReview ? ClaimedByName : AssignedToName;
        if (held is null)
        {
            throw DomainException.Conflict("decision.not-held", "Nobody holds this decision and it is assigned to nobody: there is nothing to release.");
        }

        ReturnToQueue();
        AddReview(ReviewAction.Released, senior, reason, null, now);
        return held;
    }

    /// <summary>Refuses a claim by someone else than the person it is assigned to (a senior operator may still take it).</summary>
    private void EnsureNotAssignedToOther(Actor actor)
    {
        if (AssignedToId is not null && AssignedToId != actor.Id && !actor.IsInRole(Roles.SeniorOperator))
        {
            throw DomainException.Conflict("decision.assigned-to-other", $"A senior operator assigned this decision to {AssignedToName}; only they or a senior operator can claim it.");
        }
    }

    private static void RequireSenior(Actor actor, string verb)
    {
        if (!actor.IsInRole(Roles.SeniorOperator))
        {
            throw DomainException.Forbidden("decision.supervisor-only", $"Only a senior operator may {verb} decisions for others.");
        }
    }

    private void EnsureOpenForSla(string verb)
    {
        if (!Status.IsOpen())
        {
            throw Illegal(verb, "it is no longer waiting for review");
        }
    }

    private void ReturnToQueue(bool keepAssignment = false)
    {
        if (Status == DecisionStatus.InReview)
        {
            Status = EscalationLevel > 0 ? DecisionStatus.Escalated : DecisionStatus.Pending;
            ClearClaim();
        }

        if (!keepAssignment)
        {
            AssignedToId = null;
            AssignedToName = null;
        }
    }
}
