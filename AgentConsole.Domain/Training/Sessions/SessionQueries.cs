using AgentConsole.Domain.Decisions;
using AgentConsole.Domain.Persistence;
using AgentConsole.Domain.Policies;
using AgentConsole.Domain.Tenancy;
using AgentConsole.Domain.Training.Certifications;
using AgentConsole.Domain.Training.Scenarios;
using Microsoft.EntityFrameworkCore;

namespace AgentConsole.Domain.Training.Sessions;

/// <summary>A published track as a trainee sees it: its rules, its exercises, their certification standing and attempts left.</summary>
/// <param name="Standing">Null when the trainee holds the track's certification valid now; otherwise why not, e.g. "you have never held it".</param>
public sealed record TrackOffer(
    Guid TrackId, string Name, string Description, int Version, string CertificationKey, int PassMarkPercent, int TimeLimitMinutes, int AttemptsAllowed,
    int AttemptsUsed, int ScenarioCount, IReadOnlyList<ExerciseOffer> Exercises, string? Standing, CertificationView? Held, TrainingSession? OpenExam)
{
    public int AttemptsLeft => Math.Max(0, AttemptsAllowed - AttemptsUsed);
}

public sealed record ExerciseOffer(Guid ExerciseId, string Title, string Instructions, int ScenarioCount);

/// <summary>One item of a session with its scenario, for the session's pages and the trainer's review.</summary>
public sealed record SessionItemView(SessionItem Item, Scenario Scenario);

/// <summary>The sandbox decision page: the item as a decision (for the same components as a real one), and what practice shows once it is answered.</summary>
public sealed record SandboxDecision(TrainingSession Session, SessionItem Item, DecisionDetail Detail, AnswerFeedback? Feedback, Guid? NextItemId, Guid? PreviousItemId = null);

/// <summary>
/// Reads training sessions: the tracks a trainee may work, their sessions, and the sandbox's queue and decisions. A
/// trainee reads only their own sessions; trainers read every session of their tenant (never changing one).
/// </summary>
public sealed class SessionQueries(IAgentConsoleDbFactory dbs, TimeProvider clock, CertificationQueries certifications)
{
    /// <summary>The published tracks, with the trainee's standing, attempts and open exam on each.</summary>
    public async Task<IReadOnlyList<TrackOffer>> OffersAsync(Actor trainee, CancellationToken cancellationToken = default)
    {
        EnsureTrainee(trainee);
        await using var db = dbs.Create();
        var tracks = await db.TrainingTracks.AsNoTracking().Include(t => t.Exercises).ThenInclude(e => e.Scenarios).AsSplitQuery()
            .Where(t => t.State == Tracks.TrackState.Published).OrderBy(t => t.Name).ToListAsync(cancellationToken);
        var ids = tracks.Select(t => t.Id).ToList();
        var exams = await db.TrainingSessions.AsNoTracking().Include(s => s.Items)
            .Where(s => s.TraineeId == trainee.Id && s.Mode == SessionMode.Exam && ids.Contains(s.TrackId)).ToListAsync(cancellationToken);
        var standing = await certifications.StandingAsync(trainee, tracks.Select(t => t.CertificationKey), cancellationToken);
        var held = (await certifications.MineAsync(trainee, cancellationToken)).Select(c => c.Certification).ToList();
        var now = clock.GetUtcNow();
        return [.. tracks.Select(t => new TrackOffer(
            t.Id, t.Name, t.Description, t.Version, t.CertificationKey, t.PassMarkPercent, t.TimeLimitMinutes, t.AttemptsAllowed,
            exams.Count(s => s.TrackId == t.Id), t.ScenarioCount,
            [.. t.Exercises.Select(e => new ExerciseOffer(e.Id, e.Title, e.Instructions, e.Scenarios.Count))],
            standing.GetValueOrDefault(t.CertificationKey),
            held.Where(c => c.Key == t.CertificationKey).OrderByDescending(c => c.ExpiresAt).FirstOrDefault(),
            exams.FirstOrDefault(s => s.TrackId == t.Id && s.IsOpen && !s.TimeIsUp(now))))];
    }

    /// <summary>The trainee's sessions, newest first.</summary>
    public async Task<IReadOnlyList<TrainingSession>> MineAsync(Actor trainee, int take = 50, CancellationToken cancellationToken = default)
    {
        EnsureTrainee(trainee);
        await using var db = dbs.Create();
        return await db.TrainingSessions.AsNoTracking().Include(s => s.Items).Where(s => s.TraineeId == trainee.Id)
            .OrderByDescending(s => s.StartedAt).Take(Math.Clamp(take, 1, 200)).ToListAsync(cancellationToken);
    }

    /// <summary>A session with its items and scenarios: the trainee's own, or any of the tenant's for a trainer; null when neither.</summary>
    public async Task<(TrainingSession Session, IReadOnlyList<SessionItemView> Items)?> GetAsync(Actor viewer, Guid sessionId, CancellationToken cancellationToken = default)
    {
        await using var db = dbs.Create();
        var session = await ReadableAsync(db, viewer, sessionId, cancellationToken);
        if (session is null)
        {
            return null;
        }

        var scenarios = await ScenariosAsync(db, session, cancellationToken);
        return (session, [.. session.Items.Select(i => new SessionItemView(i, scenarios[i.ScenarioId]))]);
    }

    /// <summary>The sandbox queue's open items (those not answered yet), as rows of a real queue.</summary>
    public async Task<(TrainingSession Session, Queues.ReviewQueue Queue, IReadOnlyList<DecisionListItem> Items)?> QueueAsync(Actor trainee, Guid sessionId, CancellationToken cancellationToken = default)
    {
        await using var db = dbs.Create();
        var session = await OwnAsync(db, trainee, sessionId, cancellationToken);
        if (session is null)
        {
            return null;
        }

        var scenarios = await ScenariosAsync(db, session, cancellationToken);
        var agents = await AgentVersionsAsync(db, scenarios.Values, cancellationToken);
        var rows = session.Items.Where(i => i.AnsweredAt is null)
            .Select(i =>
            {
                var scenario = scenarios[i.ScenarioId];
                var d = Sandbox.DecisionFor(session, i, scenario, agents.GetValueOrDefault(scenario.AgentId), trainee);
                return new DecisionListItem(d.Id, session.Id, d.Subject, d.AgentId, scenario.AgentName, d.UseCase, d.Confidence, d.Risk, d.Status,
                    d.Priority, d.CreatedAt, d.DueAt, d.ClaimedByName, d.Version);
            }).ToList();
        var useCase = scenarios.Values.Select(s => s.UseCase).FirstOrDefault();
        return (session, Sandbox.QueueFor(session, useCase), rows);
    }

    /// <summary>One item as a decision of the sandbox queue, with practice's feedback once answered; null when it is not the trainee's.</summary>
    public async Task<SandboxDecision?> DecisionAsync(Actor trainee, Guid sessionId, Guid itemId, CancellationToken cancellationToken = default)
    {
        await using var db = dbs.Create();
        var session = await OwnAsync(db, trainee, sessionId, cancellationToken);
        var item = session?.Items.SingleOrDefault(i => i.Id == itemId);
        if (session is null || item is null)
        {
            return null;
        }

        var scenario = await db.TrainingScenarios.AsNoTracking().SingleAsync(s => s.Id == item.ScenarioId, cancellationToken);
        var agentVersion = (await AgentVersionsAsync(db, [scenario], cancellationToken)).GetValueOrDefault(scenario.AgentId);
        var decision = Sandbox.DecisionFor(session, item, scenario, agentVersion, trainee);
        var queue = Sandbox.QueueFor(session, scenario.UseCase);
        var history = decision.Reviews.OrderBy(r => r.At)
            .Select(r => new DecisionHistoryEntry(r.At, ActorKind.User, r.ActorName, "decision." + ReviewVerb(r.Action), r.Reason, null)).ToList();
        var view = DecisionView.Of(decision, CaseMask.None);
        var detail = new DecisionDetail(decision, scenario.AgentName, decision.Status.IsOpen() ? queue : null, [.. decision.Reviews.OrderBy(r => r.At)], history, null, view);
        var feedback = session.Mode == SessionMode.Practice && item.Action is not null
            ? new AnswerFeedback(item.Correct == true, scenario.GoldAction, scenario.GoldValues, scenario.Explanation, null, item.WrongFields)
            : null;
        var next = session.Items.Where(i => i.AnsweredAt is null && i.Id != item.Id).OrderBy(i => i.Position <= item.Position).ThenBy(i => i.Position).FirstOrDefault();
        var previous = session.Items.Where(i => i.AnsweredAt is null && i.Position < item.Position).OrderByDescending(i => i.Position).FirstOrDefault();
        return new SandboxDecision(session, item, detail, feedback, next?.Id, previous?.Id);
    }

    private static string ReviewVerb(ReviewAction action) => action switch
    {
        ReviewAction.Claimed => "claimed",
        ReviewAction.Released => "released",
        ReviewAction.Approved => "approved",
        ReviewAction.Overridden => "overridden",
        ReviewAction.Rejected => "rejected",
        ReviewAction.Escalated => "escalated",
        var other => other.ToString().ToLowerInvariant(),
    };

    private static async Task<TrainingSession?> OwnAsync(AgentConsoleDbContext db, Actor trainee, Guid sessionId, CancellationToken cancellationToken)
    {
        if (!trainee.Can(Permissions.TakeTraining))
        {
            return null;
        }

        var session = await db.TrainingSessions.AsNoTracking().Include(s => s.Items).SingleOrDefaultAsync(s => s.Id == sessionId, cancellationToken);
        return session?.TraineeId == trainee.Id ? session : null;
    }

    private static async Task<TrainingSession?> ReadableAsync(AgentConsoleDbContext db, Actor viewer, Guid sessionId, CancellationToken cancellationToken)
    {
        var session = await db.TrainingSessions.AsNoTracking().Include(s => s.Items).SingleOrDefaultAsync(s => s.Id == sessionId, cancellationToken);
        return session is not null && ((session.TraineeId == viewer.Id && viewer.Can(Permissions.TakeTraining)) || viewer.Can(Permissions.ManageTraining)) ? session : null;
    }

    private static async Task<Dictionary<Guid, Scenario>> ScenariosAsync(AgentConsoleDbContext db, TrainingSession session, CancellationToken cancellationToken)
    {
        var ids = session.Items.Select(i => i.ScenarioId).ToList();
        return await db.TrainingScenarios.AsNoTracking().Where(s => ids.Contains(s.Id)).ToDictionaryAsync(s => s.Id, cancellationToken);
    }

    private static async Task<Dictionary<Guid, int>> AgentVersionsAsync(AgentConsoleDbContext db, IEnumerable<Scenario> scenarios, CancellationToken cancellationToken)
    {
        var ids = scenarios.Select(s => s.AgentId).Distinct().ToList();
        return await db.Agents.AsNoTracking().Where(a => ids.Contains(a.Id)).ToDictionaryAsync(a => a.Id, a => a.CurrentVersion, cancellationToken);
    }

    private static void EnsureTrainee(Actor trainee)
    {
        if (!trainee.Can(Permissions.TakeTraining))
        {
            throw DomainException.Forbidden("training.role", "Your role does not take training.");
        }
    }
}
