using System.Text.Json.Nodes;
using AgentConsole.Domain.Agents;
using AgentConsole.Domain.Audit;
using AgentConsole.Domain.Persistence;
using AgentConsole.Domain.Pipelines;
using AgentConsole.Domain.Policies;
using AgentConsole.Domain.Queues;
using AgentConsole.Domain.Telemetry;
using AgentConsole.Domain.Tenancy;
using AgentConsole.Domain.Traces;
using AgentConsole.Domain.Training.Calibration;
using AgentConsole.Domain.Training.Certifications;
using Microsoft.EntityFrameworkCore;

namespace AgentConsole.Domain.Decisions;

/// <summary>
/// What people do to decisions: claim, release, approve, override, reject, escalate. Pages, the
/// API and jobs all come through here; each change is saved with its audit entry in one
/// transaction, and published to live consoles after the commit.
/// </summary>
public sealed class DecisionService(
    IAgentConsoleDbFactory dbs,
    TimeProvider clock,
    DecisionEventBus events,
    IPipelineScheduler scheduler,
    PolicyCache policies,
    Agents.Pause.CircuitBreaker breaker,
    Notifications.NotificationWriter notifications)
{
    public Task<Decision> ClaimAsync(Guid decisionId, Actor actor, CancellationToken cancellationToken = default) =>
        ClaimAsync(decisionId, actor, null, cancellationToken);

    /// <summary>Claims the decision only if it is still at <paramref name="expectedVersion"/>, the version the caller saw.</summary>
    public Task<Decision> ClaimAsync(Guid decisionId, Actor actor, int? expectedVersion, CancellationToken cancellationToken = default) =>
        ActAsync(decisionId, actor, expectedVersion, "claim", DecisionEventKind.Claimed, (d, _, _, now) => Task.FromResult(d.Claim(actor, now) ? "decision.claimed" : null), null, cancellationToken);

    public Task<Decision> ReleaseAsync(Guid decisionId, Actor actor, string? reason = null, CancellationToken cancellationToken = default) =>
        ActAsync(decisionId, actor, null, "release", DecisionEventKind.Released, (d, _, _, now) =>
        {
            d.Release(actor, reason, now);
            return Task.FromResult<string?>("decision.released");
        }, reason, cancellationToken);

    /// <summary>The system actor that settles a four-eyes disagreement, as the audit trail and live messages name it.</summary>
    public const string FourEyesActorName = "Four-eyes review";

    /// <summary>Approves; under four-eyes, one of the verdicts needed (see <see cref="Decision"/>'s four-eyes rules).</summary>
    public Task<Decision> ApproveAsync(Guid decisionId, Actor actor, string reason, int? expectedVersion = null, CancellationToken cancellationToken = default) =>
        VerdictAsync(decisionId, actor, reason, expectedVersion, approve: true, cancellationToken);

    /// <summary>Approves with edited values from the console's form; each value is checked against the use case's proposal schema.</summary>
    public Task<Decision> OverrideAsync(Guid decisionId, Actor actor, IReadOnlyDictionary<string, string?> values, string reason, int? expectedVersion = null, CancellationToken cancellationToken = default) =>
        OverrideAsync(decisionId, actor, schema => (schema.TryParse(values, out var parsed), parsed), reason, expectedVersion, cancellationToken);

    /// <summary>Approves with edited values sent as JSON (the API), checked by the same schema and rules as the console's form.</summary>
    public Task<Decision> OverrideAsync(Guid decisionId, Actor actor, JsonObject? values, string reason, int? expectedVersion = null, CancellationToken cancellationToken = default) =>
        OverrideAsync(decisionId, actor, schema => (schema.TryParse(values, out var parsed), parsed), reason, expectedVersion, cancellationToken);

    private Task<Decision> OverrideAsync(
        Guid decisionId, Actor actor, Func<ProposalSchema, (IReadOnlyDictionary<string, string[]> Errors, JsonObject? Values)> read,
        string reason, int? expectedVersion, CancellationToken cancellationToken) =>
        ActAsync(decisionId, actor, expectedVersion, "override", DecisionEventKind.Resolved, (d, _, _, now) =>
        {
            var (errors, parsed) = read(ProposalSchema.For(d.UseCase));
            if (errors.Count > 0)
            {
                throw DomainException.Invalid("decision.override-invalid",
                    "The override has invalid values: " + string.Join(" ", errors.SelectMany(e => e.Value)), errors);
            }

            d.Override(actor, parsed!, reason, now);
            return Task.FromResult<string?>("decision.overridden");
        }, reason, cancellationToken);

    /// <summary>Rejects; under four-eyes, one of the verdicts needed (see <see cref="Decision"/>'s four-eyes rules).</summary>
    public Task<Decision> RejectAsync(Guid decisionId, Actor actor, string reason, int? expectedVersion = null, CancellationToken cancellationToken = default) =>
        VerdictAsync(decisionId, actor, reason, expectedVersion, approve: false, cancellationToken);

    /// <summary>
    /// An approval or rejection. Under four-eyes, when the last verdict needed disagrees with the others, the system
    /// settles it in the same transaction: escalated to the next tier with the verdicts attached, or in the top tier left
    /// for a senior operator's decision — audited as its own entry, published as one live event naming no reviewer.
    /// </summary>
    private Task<Decision> VerdictAsync(Guid decisionId, Actor actor, string reason, int? expectedVersion, bool approve, CancellationToken cancellationToken) =>
        ActAsync(decisionId, actor, expectedVersion, approve ? "approve" : "reject", DecisionEventKind.Resolved, async (d, _, db, now) =>
        {
            if (d.ReviewersRequired > 1)
            {
                // The round's earlier verdicts (who, why, when) are attached to a disagreement.
                await db.Entry(d).Collection(x => x.Reviews).LoadAsync(cancellationToken);
            }

            return (approve ? d.Approve(actor, reason, now) : d.Reject(actor, reason, now), approve) switch
            {
                (VerdictOutcome.Resolved, true) => "decision.approved",
                (VerdictOutcome.Resolved, false) => "decision.rejected",
                (_, true) => Decision.ApprovalRecordedAction,
                _ => Decision.RejectionRecordedAction,
            };
        }, reason, cancellationToken, SettleDisagreementAsync);

    private async Task<FollowUp?> SettleDisagreementAsync(Decision decision, ReviewQueue queue, AgentConsoleDbContext db, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (!decision.ReviewersDisagree)
        {
            return null;
        }

        var next = queue.EscalatesToQueueId is { } nextId ? await db.Queues.SingleAsync(q => q.Id == nextId, cancellationToken) : null;
        var system = Actor.System(decision.TenantId, FourEyesActorName);
        var reason = decision.SettleDisagreement(system, next, now);
        return new FollowUp(system, Decision.FourEyesDisagreedAction, reason, next is null ? DecisionEventKind.Released : DecisionEventKind.Escalated);
    }

    /// <summary>A second change the system makes in the same transaction as a person's, audited as its own entry and published instead.</summary>
    private sealed record FollowUp(Actor Actor, string Action, string Reason, DecisionEventKind Kind);

    private delegate Task<FollowUp?> Settle(Decision decision, ReviewQueue queue, AgentConsoleDbContext db, DateTimeOffset now, CancellationToken cancellationToken);

    public Task<Decision> EscalateAsync(Guid decisionId, Actor actor, string reason, int? expectedVersion = null, CancellationToken cancellationToken = default) =>
        ActAsync(decisionId, actor, expectedVersion, "escalate", DecisionEventKind.Escalated, async (d, queue, db, now) =>
        {
            var next = queue.EscalatesToQueueId is { } nextId
                ? await db.Queues.SingleAsync(q => q.Id == nextId, cancellationToken)
                : null;
            d.Escalate(actor, reason, next, now);
            return "decision.escalated";
        }, reason, cancellationToken);

    /// <summary>A senior operator gives the decision to <paramref name="assignee"/> (already checked as eligible), with a reason.</summary>
    public Task<Decision> AssignAsync(Guid decisionId, Actor senior, Actor assignee, string reason, CancellationToken cancellationToken = default) =>
        ActAsync(decisionId, senior, null, "assign", DecisionEventKind.Assigned, async (d, queue, db, now) =>
        {
            var reassigned = d.AssignedToId is not null || d.Status == DecisionStatus.InReview;
            d.Assign(senior, assignee, reason, now);
            await notifications.AssignedAsync(db, d, queue, senior, reason, now, cancellationToken);
            return reassigned ? "decision.reassigned" : "decision.assigned";
        }, string.IsNullOrWhiteSpace(reason) ? reason : $"To {assignee.Name}: {reason.Trim()}", cancellationToken);

    /// <summary>A senior operator takes the decision back from whoever holds it or was given it, with a reason.</summary>
    public Task<Decision> SupervisorReleaseAsync(Guid decisionId, Actor senior, string reason, CancellationToken cancellationToken = default) =>
        ActAsync(decisionId, senior, null, "release", DecisionEventKind.Released, async (d, queue, db, now) =>
        {
            d.SupervisorRelease(senior, reason, now);
            await notifications.TakenBackAsync(db, d, queue, senior, reason, now, cancellationToken);
            return "decision.released-by-supervisor";
        }, reason, cancellationToken);

    private async Task<Decision> ActAsync(
        Guid decisionId,
        Actor actor,
        int? expectedVersion,
        string verb,
        DecisionEventKind kind,
        Func<Decision, ReviewQueue, AgentConsoleDbContext, DateTimeOffset, Task<string?>> change,
        string? reason,
        CancellationToken cancellationToken,
        Settle? settle = null)
    {
        if (!actor.Can(Permissions.ActOnDecisions))
        {
            throw DomainException.Forbidden("decision.role", $"Your role may not {verb} decisions.");
        }

        await using var db = dbs.Create();
        var decision = await db.Decisions.SingleOrDefaultAsync(d => d.Id == decisionId, cancellationToken)
            ?? throw DomainException.NotFound("decision.not-found", "This decision does not exist.");
        if (decision.TenantId != actor.TenantId)
        {
            throw DomainException.NotFound("decision.not-found", "This decision does not exist.");
        }

        // A reviewer's action may come days after the run: it is a span of its own that joins the run's trace by a link.
        var traceParent = await db.Runs.Where(r => r.Id == decision.RunId).Select(r => r.TraceParent).SingleOrDefaultAsync(cancellationToken);
        using var activity = AgentConsoleTelemetry.StartJoining($"review {verb}", traceParent).ForTenant(actor.TenantId);
        if (activity is not null)
        {
            activity.SetTag(SpanAttributes.DecisionId, decision.Id.ToString());
            activity.SetTag(SpanAttributes.RunId, decision.RunId.ToString());
            activity.SetTag(SpanAttributes.ReviewAction, verb);
            activity.SetTag(SpanAttributes.ReviewerId, actor.Id);
            activity.SetTag(SpanAttributes.ReviewerName, actor.Name);
            activity.SetTag(SpanAttributes.ReviewerKind, actor.Kind.ToString());
            activity.SetTag(SpanAttributes.ReviewReason, reason);
            activity.SetTag(SpanAttributes.ReviewWaitedSeconds, Math.Round((clock.GetUtcNow() - decision.CreatedAt).TotalSeconds, 3));
            if (decision.QueueId is { } queueId)
            {
                activity.SetTag(SpanAttributes.QueueId, queueId.ToString());
            }
        }

        try
        {
            var acted = await ActOnAsync(db, decision, actor, expectedVersion, verb, kind, change, reason, traceParent, settle, cancellationToken);
            activity?.SetTag(SpanAttributes.ReviewOutcome, acted.Status.ToString());
            return acted;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            activity.Fail(ex);
            throw;
        }
    }

    private async Task<Decision> ActOnAsync(
        AgentConsoleDbContext db,
        Decision decision,
        Actor actor,
        int? expectedVersion,
        string verb,
        DecisionEventKind kind,
        Func<Decision, ReviewQueue, AgentConsoleDbContext, DateTimeOffset, Task<string?>> change,
        string? reason,
        string? traceParent,
        Settle? settle,
        CancellationToken cancellationToken)
    {
        decision.EnsureLeaseNotLapsed(actor, verb);
        if (expectedVersion is { } seen && seen != decision.Version)
        {
            throw ChangedMeanwhile(decision, verb);
        }

        var queue = decision.QueueId is { } queueId ? await db.Queues.SingleAsync(q => q.Id == queueId, cancellationToken) : null;
        if (queue is null)
        {
            throw DomainException.Conflict("decision.not-in-queue", $"Cannot {verb}: this decision was {decision.Status.Label().ToLowerInvariant()} by routing and never entered a queue.");
        }

        if (!queue.MayAct(actor))
        {
            throw DomainException.Forbidden("decision.queue-role",
                $"Only {string.Join(" or ", queue.AllowedRoles.Select(Roles.Label))} may {verb} decisions in {queue.Name}.");
        }

        // Checked with the clock of this action: a certification that expired or was revoked a moment ago no longer counts.
        var now = clock.GetUtcNow();
        await CertificationGate.RequireAsync(db, decision, actor, verb, now, cancellationToken);
        await CalibrationGate.RequireAsync(db, decision, actor, verb, cancellationToken);
        return await CommitAsync(db, decision, queue, actor, verb, kind, change, reason, traceParent, now, cancellationToken, settle);
    }

    /// <summary>
    /// A change the system makes by itself (the SLA ladder, a lapsed lease): no role, queue or certification check, and
    /// only while the decision is still at <paramref name="expectedVersion"/>. Returns null when a person changed it
    /// meanwhile (their change wins; the caller looks again) or another worker made the same change first.
    /// </summary>
    public async Task<Decision?> ActAsSystemAsync(
        Guid decisionId,
        Actor system,
        int expectedVersion,
        string verb,
        DecisionEventKind kind,
        Func<Decision, ReviewQueue, AgentConsoleDbContext, DateTimeOffset, Task<string?>> change,
        string reason,
        CancellationToken cancellationToken)
    {
        if (system.Kind != ActorKind.System)
        {
            throw new ArgumentException("Only the system acts without a person's checks.", nameof(system));
        }

        await using var db = dbs.Create();
        var decision = await db.Decisions.SingleOrDefaultAsync(d => d.Id == decisionId, cancellationToken);
        if (decision is null || decision.TenantId != system.TenantId || decision.Version != expectedVersion || decision.QueueId is not { } queueId)
        {
            return null;
        }

        var queue = await db.Queues.SingleAsync(q => q.Id == queueId, cancellationToken);
        var traceParent = await db.Runs.Where(r => r.Id == decision.RunId).Select(r => r.TraceParent).SingleOrDefaultAsync(cancellationToken);
        try
        {
            return await CommitAsync(db, decision, queue, system, verb, kind, change, reason, traceParent, clock.GetUtcNow(), cancellationToken);
        }
        catch (DomainException ex) when (ex.Code == "decision.changed")
        {
            return null;
        }
        catch (DbUpdateException)
        {
            // Another worker recorded the same step first (its unique row): this one did nothing.
            return null;
        }
    }

    private async Task<Decision> CommitAsync(
        AgentConsoleDbContext db,
        Decision decision,
        ReviewQueue queue,
        Actor actor,
        string verb,
        DecisionEventKind kind,
        Func<Decision, ReviewQueue, AgentConsoleDbContext, DateTimeOffset, Task<string?>> change,
        string? reason,
        string? traceParent,
        DateTimeOffset now,
        CancellationToken cancellationToken,
        Settle? settle = null)
    {
        var decisionId = decision.Id;
        var before = Snapshot(decision);
        var fromQueue = decision.QueueId;
        var answerStartedAt = decision.ClaimedAt ?? decision.CreatedAt;
        var action = await change(decision, queue, db, now);
        if (action is null)
        {
            return decision;
        }

        db.AuditEntries.Add(AuditEntry.Record(actor, action, "decision", decision.Id.ToString(), reason, before, Snapshot(decision), now));
        var followUp = settle is null ? null : await SettleAsync(db, decision, queue, settle, now, cancellationToken);
        // A gold item is answered like any other; its answer is scored in its own table, and it is never carried out.
        var gold = await CalibrationGate.GoldOfAsync(db, decision.Id, cancellationToken);
        if (gold is not null)
        {
            await CalibrationGate.RecordAnswerAsync(db, policies, gold, decision, actor, verb, answerStartedAt, now, cancellationToken);
        }

        var resolved = !decision.Status.IsOpen();
        var execute = resolved && decision.Status.IsExecutable() && gold is null;
        DateTimeOffset committedAt;
        if (resolved)
        {
            var run = await db.Runs.Include(r => r.Steps).SingleAsync(r => r.Id == decision.RunId, cancellationToken);
            if (run.Status != RunStatus.AwaitingReview)
            {
                // Another reviewer resolved the decision after it was read here: theirs won, this one is not saved.
                throw await ChangedMeanwhileAsync(decisionId, verb, cancellationToken);
            }

            run.Reviewed(execute, now);
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
            committedAt = clock.GetUtcNow();
        }
        catch (DbUpdateConcurrencyException)
        {
            throw await ChangedMeanwhileAsync(decisionId, verb, cancellationToken);
        }

        if (resolved && gold is null)
        {
            AgentConsoleTelemetry.DecisionsResolved.Add(1, new KeyValuePair<string, object?>("action", action));
            AgentConsoleTelemetry.TimeToDecision.Record((now - decision.CreatedAt).TotalSeconds);
            if (execute)
            {
                // Handed over in the run's trace (linked to this review), so the execution job joins the run's trace.
                using var handoff = AgentConsoleTelemetry.StartContinuing("enqueue execution", traceParent, System.Diagnostics.ActivityKind.Producer,
                    System.Diagnostics.Activity.Current is { } review ? [new System.Diagnostics.ActivityLink(review.Context, new System.Diagnostics.ActivityTagsCollection { [SpanAttributes.LinkType] = "review" })] : null)
                    .ForTenant(decision.TenantId);
                handoff?.SetTag(SpanAttributes.DecisionId, decision.Id.ToString());
                handoff?.SetTag(SpanAttributes.RunId, decision.RunId.ToString());
                scheduler.EnqueueExecution(decision.TenantId, decision.Id);
            }
        }

        if (resolved && gold is null && actor.Kind == ActorKind.User)
        {
            // The agent's override and rejection rates, after every human resolution (the policy's circuitBreaker).
            await breaker.AfterResolutionAsync(decision.AgentId, cancellationToken);
        }

        // A four-eyes verdict that is not the last puts the decision back in its queue; a disagreement is the system's step.
        var published = followUp?.Kind ?? (kind == DecisionEventKind.Resolved && !resolved ? DecisionEventKind.Released : kind);
        // Four-eyes is blind: a verdict that did not resolve the decision goes out without who gave it.
        var shownActor = followUp?.Actor.Name ?? (kind == DecisionEventKind.Resolved && !resolved && decision.ReviewersRequired > 1 ? "a reviewer" : actor.Name);
        await events.PublishAsync(new DecisionEvent(decision.TenantId, decision.Id, decision.QueueId,
            fromQueue != decision.QueueId ? fromQueue : null, published, decision.Status, decision.Version, shownActor, committedAt));
        return decision;
    }

    /// <summary>Runs the system's follow-up to a person's change, if any, and records its own audit entry after the person's.</summary>
    private static async Task<FollowUp?> SettleAsync(AgentConsoleDbContext db, Decision decision, ReviewQueue queue, Settle settle, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var before = Snapshot(decision);
        var followUp = await settle(decision, queue, db, now, cancellationToken);
        if (followUp is not null)
        {
            db.AuditEntries.Add(AuditEntry.Record(followUp.Actor, followUp.Action, "decision", decision.Id.ToString(), followUp.Reason, before, Snapshot(decision), now));
        }

        return followUp;
    }

    private async Task<DomainException> ChangedMeanwhileAsync(Guid decisionId, string verb, CancellationToken cancellationToken)
    {
        await using var fresh = dbs.Create();
        var current = await fresh.Decisions.AsNoTracking().SingleAsync(d => d.Id == decisionId, cancellationToken);
        return ChangedMeanwhile(current, verb);
    }

    private static DomainException ChangedMeanwhile(Decision current, string verb) =>
        DomainException.Conflict("decision.changed", $"Your {Decision.ActionNoun(verb)} was not saved: {current.StandingForLoser(justChanged: true)}.");

    internal static object Snapshot(Decision d) => new
    {
        status = d.Status.ToString(),
        queueId = d.QueueId,
        claimedBy = d.ClaimedByName,
        escalationLevel = d.EscalationLevel,
        final = d.FinalJson,
        version = d.Version,
    };
}
