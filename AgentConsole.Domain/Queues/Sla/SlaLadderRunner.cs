using AgentConsole.Domain.Decisions;
using AgentConsole.Domain.Persistence;
using AgentConsole.Domain.Policies;
using AgentConsole.Domain.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace AgentConsole.Domain.Queues.Sla;

/// <summary>
/// Executes one decision's SLA ladder, from the policy version that routed it, in the current tenant: fires each
/// step that fell due (in business time) through <see cref="DecisionService"/> as the system actor "SLA ladder",
/// each in one transaction with the decision's change, its audit entry and its <see cref="SlaStepFiring"/>; then
/// plans when the next step falls due. A reviewer acting at the same moment wins: the step is looked at again.
/// </summary>
public sealed class SlaLadderRunner(IAgentConsoleDbFactory dbs, DecisionService decisions, PolicyCache policies, TimeProvider clock, Notifications.NotificationWriter notifications)
{
    public const string ActorName = "SLA ladder";

    // Enough for every rung of two tiers' ladders in one pass, after a worker was down for long.
    private const int MaxStepsPerPass = 8;

    // Queues and policy names, read once per sweep of a tenant (this runner lives in that sweep's scope).
    private readonly Dictionary<Guid, ReviewQueue> _queues = [];
    private readonly Dictionary<Guid, string> _labels = [];

    /// <summary>Fires what is due and plans the next step; returns how many steps fired.</summary>
    public async Task<int> AdvanceAsync(Guid decisionId, BusinessClock calendar, CancellationToken cancellationToken = default)
    {
        var fired = 0;
        for (var pass = 0; pass < MaxStepsPerPass; pass++)
        {
            var outcome = await StepAsync(decisionId, calendar, cancellationToken);
            if (outcome is Outcome.Fired or Outcome.FiredMoreDue)
            {
                fired++;
            }

            // Look again only after losing a race, or when the next step is already due (a worker was down for long).
            if (outcome is not (Outcome.LostRace or Outcome.FiredMoreDue))
            {
                break;
            }
        }

        return fired;
    }

    private enum Outcome
    {
        Nothing,
        Planned,
        Fired,
        FiredMoreDue,
        LostRace,
    }

    private async Task<Outcome> StepAsync(Guid decisionId, BusinessClock calendar, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await using var db = dbs.Create();
        var seen = await db.Decisions.AsNoTracking().SingleOrDefaultAsync(d => d.Id == decisionId, cancellationToken);
        if (seen is null || seen.NextSlaStepAt is not { } nextAt || nextAt > now)
        {
            return Outcome.Nothing;
        }

        if (!seen.Status.IsOpen() || seen.PolicyVersionId is not { } versionId || seen.QueueId is not { } queueId)
        {
            return await PlanAsync(db, seen, null, cancellationToken);
        }

        if (!_queues.TryGetValue(queueId, out var queue))
        {
            _queues[queueId] = queue = await db.Queues.AsNoTracking().SingleAsync(q => q.Id == queueId, cancellationToken);
        }

        var policy = await policies.GetAsync(db, versionId, cancellationToken);
        if (policy is null || !policy.Policy.Document.SlaLadder.TryGetValue(queue.Key, out var ladder))
        {
            return await PlanAsync(db, seen, null, cancellationToken);
        }

        var done = await db.SlaStepFirings.AsNoTracking().Where(f => f.DecisionId == decisionId && f.QueueId == queueId).Select(f => f.Step).ToListAsync(cancellationToken);
        var rungs = SlaRung.Of(ladder, calendar, seen.SlaClockStartedAt ?? seen.CreatedAt).Where(r => !done.Contains(r.Step)).ToList();
        if (rungs.Count == 0 || rungs[0].DueAt > now)
        {
            return await PlanAsync(db, seen, rungs.Count == 0 ? null : rungs[0].DueAt, cancellationToken);
        }

        if (!_labels.TryGetValue(versionId, out var label))
        {
            _labels[versionId] = label = await DecisionQueries.PolicyLabelAsync(db, versionId, cancellationToken) ?? policy.RoutedBy;
        }

        var nextDue = rungs.Count > 1 ? rungs[1].DueAt : (DateTimeOffset?)null;
        if (!await FireAsync(seen, queue, policy, label, rungs[0], nextDue, cancellationToken))
        {
            return Outcome.LostRace;
        }

        return rungs[0].Step is SlaStep.Escalate || nextDue <= now ? Outcome.FiredMoreDue : Outcome.Fired;
    }

    /// <summary>Sets when the sweep looks next; a person's change at the same moment wins and the next sweep plans again.</summary>
    private static async Task<Outcome> PlanAsync(AgentConsoleDbContext db, Decision seen, DateTimeOffset? at, CancellationToken cancellationToken)
    {
        db.Attach(seen);
        seen.PlanNextSlaStep(at);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Outcome.LostRace;
        }

        return Outcome.Planned;
    }

    private async Task<bool> FireAsync(Decision seen, ReviewQueue queue, LoadedPolicy policy, string label, SlaRung rung, DateTimeOffset? nextDue, CancellationToken cancellationToken)
    {
        var system = Actor.System(seen.TenantId, ActorName);
        var rule = $"SLA ladder of {label}, queue {queue.Name} ({queue.Key}): {rung.Setting} {rung.AfterText} of business time passed (due {rung.DueAt:yyyy-MM-dd HH:mm} UTC)";
        var next = rung.Step == SlaStep.Escalate && queue.EscalatesToQueueId is { } nextId
            ? await NextQueueAsync(nextId, cancellationToken)
            : null;
        var holder = seen.Status == DecisionStatus.InReview ? seen.ClaimedByName : seen.AssignedToName;
        var approve = string.Equals(policy.Policy.Document.SlaLadder[queue.Key].AutoDecision, "approve", StringComparison.OrdinalIgnoreCase);
        var (verb, kind, action, outcome) = rung.Step switch
        {
            SlaStep.Warn => ("warn", DecisionEventKind.SlaWarned, "decision.sla-warned", "warned: about to breach its SLA"),
            SlaStep.Reassign when holder is null => ("reassign", DecisionEventKind.Released, "decision.sla-reassign-skipped", "skipped: nobody held it"),
            SlaStep.Reassign => ("reassign", DecisionEventKind.Released, "decision.sla-reassigned", $"took it back from {holder} for someone else to take"),
            SlaStep.Escalate when next is null => ("escalate", DecisionEventKind.Escalated, "decision.sla-escalate-skipped", "skipped: the queue is the top tier, there is none to escalate to"),
            SlaStep.Escalate => ("escalate", DecisionEventKind.Escalated, "decision.sla-escalated", $"escalated to {next.Name}" + (holder is null ? "" : $", taking it from {holder}")),
            _ => ("auto-decide", DecisionEventKind.Resolved, approve ? "decision.sla-auto-approved" : "decision.sla-auto-rejected", approve ? "approved by the SLA ladder" : "rejected by the SLA ladder"),
        };
        var reason = $"{rule}: {outcome}.";
        var changed = await decisions.ActAsSystemAsync(seen.Id, system, seen.Version, verb, kind, async (d, _, db, now) =>
        {
            switch (rung.Step)
            {
                case SlaStep.Warn:
                    d.SlaWarn(now);
                    d.PlanNextSlaStep(nextDue);
                    await notifications.SlaWarnedAsync(db, d, queue, now, cancellationToken);
                    break;
                case SlaStep.Reassign:
                    d.SlaReassign(system, reason, now);
                    d.PlanNextSlaStep(nextDue);
                    break;
                case SlaStep.Escalate when next is null:
                    d.PlanNextSlaStep(nextDue);
                    break;
                case SlaStep.Escalate:
                    d.SlaEscalate(system, reason, next!, now);
                    break;
                default:
                    d.SlaAutoDecide(system, approve, reason, now);
                    break;
            }

            db.SlaStepFirings.Add(new SlaStepFiring(d.TenantId, d.Id, queue.Id, rung.Step, policy.VersionId, rung.AfterText, rung.DueAt, outcome, now));
            return action;
        }, reason, cancellationToken);
        return changed is not null;
    }

    private async Task<ReviewQueue> NextQueueAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var db = dbs.Create();
        return await db.Queues.AsNoTracking().SingleAsync(q => q.Id == id, cancellationToken);
    }
}
