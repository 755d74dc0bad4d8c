using AgentConsole.Domain.Audit;
using AgentConsole.Domain.Decisions;
using AgentConsole.Domain.Persistence;
using AgentConsole.Domain.Policies;
using AgentConsole.Domain.Tenancy;
using AgentConsole.Domain.Training.Scenarios;
using AgentConsole.Domain.Training.Scoring;
using Microsoft.EntityFrameworkCore;

namespace AgentConsole.Domain.Training.Calibration;

/// <summary>
/// Calibration at the moment of a review action, inside <see cref="DecisionService"/>'s transaction: refuses a paused
/// person the risk levels they are paused from, scores an answer to a gold item against gold, and pauses the person
/// when their accuracy over the policy's window falls below its mark.
/// </summary>
public static class CalibrationGate
{
    /// <summary>The actor that pauses people (the audit names it).</summary>
    public const string PauserName = "calibration";

    /// <summary>Refuses the action when the actor is paused from this decision's use case and risk level.</summary>
    internal static async Task RequireAsync(AgentConsoleDbContext db, Decision decision, Actor actor, string verb, CancellationToken cancellationToken)
    {
        if (!Certifications.CertificationGate.Gates(verb) || actor.Kind != ActorKind.User)
        {
            return;
        }

        var pauses = await db.CalibrationPauses.AsNoTracking()
            .Where(p => p.TenantId == actor.TenantId && p.PersonId == actor.Id && p.ClearedAt == null && p.UseCase == decision.UseCase).ToListAsync(cancellationToken);
        if (pauses.FirstOrDefault(p => p.Covers(decision.UseCase, decision.Risk)) is { } pause)
        {
            throw DomainException.Forbidden("decision.calibration-paused", RefusalOf(verb, pause));
        }
    }

    /// <summary>What the gate says to a paused person who tries to act.</summary>
    public static string RefusalOf(string verb, CalibrationPause pause) =>
        $"You cannot {verb} this decision: you are paused from {pause.Scope} because your {pause.Reason}. A trainer must clear the pause.";

    /// <summary>The gold item behind a decision, or null for a real one.</summary>
    internal static Task<GoldItem?> GoldOfAsync(AgentConsoleDbContext db, Guid decisionId, CancellationToken cancellationToken) =>
        db.GoldItems.AsNoTracking().SingleOrDefaultAsync(g => g.DecisionId == decisionId, cancellationToken);

    /// <summary>
    /// Scores a person's answer to a gold item (approve, override, reject, escalate) and, with the calibration section of
    /// the policy version that seeded it, pauses them when their accuracy over the window falls below the mark. Added to <paramref name="db"/>,
    /// saved with the action.
    /// </summary>
    internal static async Task RecordAnswerAsync(AgentConsoleDbContext db, PolicyCache policies, GoldItem gold, Decision decision, Actor actor, string verb,
        DateTimeOffset answerStartedAt, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (actor.Kind != ActorKind.User || AnswerOf(verb, decision) is not { } answered)
        {
            return;
        }

        // The calibration section of the policy version that seeded the item (compiled once, cached); then two light reads:
        // the person's pauses, and their answers in the window (and to this item) as right-or-wrong flags. Each answer was
        // scored when given, so the window's accuracy is their share of right ones.
        var settings = gold.PolicyVersionId is { } versionId && await policies.GetAsync(db, versionId, cancellationToken) is { } seededBy
            ? seededBy.Policy.Document.Calibration
            : null;
        var pauses = settings is null
            ? []
            : await db.CalibrationPauses.AsNoTracking().Where(p => p.PersonId == actor.Id && p.UseCase == decision.UseCase).Select(p => p.ClearedAt).ToListAsync(cancellationToken);
        var since = settings is null ? now : now - settings.Window;
        var earlier = await db.GoldItemAnswers.AsNoTracking()
            .Where(a => a.PersonId == actor.Id && a.UseCase == decision.UseCase && (a.AnsweredAt >= since || a.GoldItemId == gold.Id))
            .Select(a => new { a.GoldItemId, a.Correct, a.AnsweredAt }).ToListAsync(cancellationToken);
        if (earlier.Any(a => a.GoldItemId == gold.Id))
        {
            return;
        }

        var seconds = Math.Max(0, (now - answerStartedAt).TotalSeconds);
        var scored = TrainingScorer.Score([gold.Gold], [new ScenarioAnswer(gold.Id, answered.Action, answered.Values, seconds)]).Items[0];
        db.GoldItemAnswers.Add(new GoldItemAnswer(Guid.NewGuid(), gold, actor, answered.Action, answered.Values, seconds, scored, now));
        if (settings is null || pauses.Any(p => p is null))
        {
            return;
        }

        // A trainer's clearance starts afresh: answers before it do not count towards the next pause.
        var cleared = pauses.Max();
        var window = earlier.Where(a => cleared is null || a.AnsweredAt > cleared).ToList();
        var (answers, right) = (window.Count + 1, window.Count(a => a.Correct) + (scored.Correct ? 1 : 0));
        var accuracy = 100.0 * right / answers;
        if (answers < settings.MinimumAnswers || accuracy >= settings.PauseBelow * 100)
        {
            return;
        }

        var pause = new CalibrationPause(Guid.NewGuid(), actor.TenantId, actor.Id, actor.Name, decision.UseCase, settings.PauseFrom,
            accuracy, answers, settings.PauseBelow * 100, settings.Window, now);
        db.CalibrationPauses.Add(pause);
        db.AuditEntries.Add(AuditEntry.Record(Actor.System(actor.TenantId, PauserName), "calibration.paused", "person", actor.Id,
            $"{actor.Name} paused from {pause.Scope}: {pause.Reason}", null, pause.Snapshot(), now));
    }

    private static (GoldAction Action, System.Text.Json.Nodes.JsonObject? Values)? AnswerOf(string verb, Decision decision) => verb switch
    {
        "approve" => (GoldAction.Approve, decision.Proposal),
        "override" => (GoldAction.Override, decision.Final),
        "reject" => (GoldAction.Reject, null),
        "escalate" => (GoldAction.Escalate, null),
        _ => null,
    };
}
