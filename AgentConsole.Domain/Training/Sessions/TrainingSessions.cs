using System.Text.Json.Nodes;
using AgentConsole.Domain.Agents;
using AgentConsole.Domain.Audit;
using AgentConsole.Domain.Persistence;
using AgentConsole.Domain.Tenancy;
using AgentConsole.Domain.Training.Certifications;
using AgentConsole.Domain.Training.Scenarios;
using AgentConsole.Domain.Training.Scoring;
using Microsoft.EntityFrameworkCore;

namespace AgentConsole.Domain.Training.Sessions;

/// <summary>An answer as the sandbox's decision page or the API sends it: the action, a reason, and an override's values (from the form, or as JSON).</summary>
public sealed record SandboxAnswer(GoldAction Action, string Reason, IReadOnlyDictionary<string, string?>? FormValues = null, JsonObject? JsonValues = null);

/// <summary>What practice shows after each answer: whether it was right, and the gold answer with its explanation.</summary>
public sealed record AnswerFeedback(bool Correct, GoldAction Gold, JsonObject? GoldValues, string Explanation, string? Note, IReadOnlyList<string> WrongFields);

/// <summary>An answer recorded: the feedback practice gives (none in an exam), and the session's result when this answer ended it.</summary>
public sealed record AnswerResult(TrainingSession Session, SessionItem Item, AnswerFeedback? Feedback);

/// <summary>
/// Practice and exam sessions, worked in the sandbox: start one on a published track (an exam within the track's
/// attempts), open, claim, release and answer its items — judged by the same rules as a real decision, then scored
/// against gold — and end it. An exam's time limit is enforced here: an answer after it is refused and the exam ends
/// with what was answered in time. A passed exam grants the track's certification in the same transaction as its
/// result. Only the trainee works their own session; nothing touches production decisions, queues, executions or metrics.
/// </summary>
public sealed class TrainingSessions(IAgentConsoleDbFactory dbs, TimeProvider clock, CertificationGrants grants)
{
    /// <summary>Starts a session, or returns the one the trainee already has open on this track (and exercise, for practice).</summary>
    /// <param name="exerciseId">For practice, the exercise to work; null practises every exercise. Ignored for an exam.</param>
    public async Task<TrainingSession> StartAsync(Actor trainee, Guid trackId, SessionMode mode, Guid? exerciseId = null, CancellationToken cancellationToken = default)
    {
        EnsureMayTrain(trainee);
        if (!Enum.IsDefined(mode))
        {
            throw DomainException.Invalid("training.mode-invalid", "The mode is Practice or Exam.", new Dictionary<string, string[]> { ["mode"] = ["Choose Practice or Exam."] });
        }

        await using var db = dbs.Create();
        var track = await db.TrainingTracks.Include(t => t.Exercises).ThenInclude(e => e.Scenarios).AsSplitQuery()
            .SingleOrDefaultAsync(t => t.Id == trackId, cancellationToken)
            ?? throw DomainException.NotFound("training.track-not-found", "This track does not exist.");
        if (track.State != Tracks.TrackState.Published)
        {
            throw DomainException.Conflict("training.track-not-open", track.State == Tracks.TrackState.Draft
                ? "This track is still a draft: nobody trains on it until a trainer publishes it."
                : "This version of the track was retired: work its newest version.");
        }

        if (mode == SessionMode.Exam)
        {
            exerciseId = null;
        }
        else if (exerciseId is { } id && track.Exercises.All(e => e.Id != id))
        {
            throw DomainException.NotFound("training.exercise-not-found", "This exercise is not part of the track.");
        }

        var now = clock.GetUtcNow();
        var open = await db.TrainingSessions.Include(s => s.Items)
            .Where(s => s.TrackId == track.Id && s.TraineeId == trainee.Id && s.Mode == mode && s.EndedAt == null && s.ExerciseId == exerciseId)
            .FirstOrDefaultAsync(cancellationToken);
        if (open is not null && !open.TimeIsUp(now))
        {
            return open;
        }

        if (open is not null)
        {
            // An exam whose time ran out while nobody looked: it ends now, counting what was answered in time.
            await EndAsync(db, open, SessionEnd.TimeRanOut, Actor.System(trainee.TenantId, "exam timer"), now, cancellationToken);
        }

        var attempt = 0;
        if (mode == SessionMode.Exam)
        {
            var used = await db.TrainingSessions.Where(s => s.TrackId == track.Id && s.TraineeId == trainee.Id && s.Mode == SessionMode.Exam)
                .Select(s => s.StartedAt).ToListAsync(cancellationToken);
            if (used.Count >= track.AttemptsAllowed)
            {
                throw DomainException.Conflict("training.attempts-used",
                    $"You have used all {track.AttemptsAllowed} exam attempt{(track.AttemptsAllowed == 1 ? "" : "s")} on {track.Name} (version {track.Version}); the last began on {used.Max():yyyy-MM-dd}. Ask a trainer: a new version of the track comes with new attempts.");
            }

            attempt = used.Count + 1;
        }

        var sessionId = Guid.CreateVersion7(now);
        var scenarios = track.Exercises.Where(e => exerciseId is null || e.Id == exerciseId).SelectMany(e => e.Scenarios).ToList();
        if (mode == SessionMode.Exam)
        {
            // Each attempt meets the items in its own order, so a retake is not answered from memory of positions.
            var random = new Random(sessionId.GetHashCode());
            scenarios = [.. scenarios.OrderBy(_ => random.Next())];
        }

        var session = new TrainingSession(sessionId, trainee.TenantId, track, exerciseId, trainee.Id, trainee.Name, mode, attempt, now, scenarios);
        db.TrainingSessions.Add(session);
        if (mode == SessionMode.Exam)
        {
            db.AuditEntries.Add(AuditEntry.Record(trainee, "training.exam-started", "training-session", session.Id.ToString(), null, null, session.Snapshot(), now));
        }

        await SaveAsync(db, cancellationToken);
        return session;
    }

    /// <summary>Notes that the trainee opened an item: its time counts from the first opening.</summary>
    public Task OpenAsync(Actor trainee, Guid sessionId, Guid itemId, CancellationToken cancellationToken = default) =>
        ChangeAsync(trainee, sessionId, itemId, (item, now) =>
        {
            if (item.OpenedAt is not null)
            {
                return false;
            }

            item.Open(now);
            return true;
        }, cancellationToken);

    /// <summary>Claims an item, as a reviewer claims a real decision.</summary>
    public Task ClaimAsync(Actor trainee, Guid sessionId, Guid itemId, CancellationToken cancellationToken = default) =>
        ChangeAsync(trainee, sessionId, itemId, (item, now) =>
        {
            EnsureUnanswered(item);
            item.Claim(now);
            return true;
        }, cancellationToken);

    /// <summary>Puts a claimed item back.</summary>
    public Task ReleaseAsync(Actor trainee, Guid sessionId, Guid itemId, CancellationToken cancellationToken = default) =>
        ChangeAsync(trainee, sessionId, itemId, (item, _) =>
        {
            EnsureUnanswered(item);
            if (item.ClaimedAt is null)
            {
                throw DomainException.Conflict("decision.illegal-transition", "Cannot release a decision that is pending: only a claimed decision can be released.");
            }

            item.Release();
            return true;
        }, cancellationToken);

    /// <summary>
    /// Records an answer, judged by the rules a real decision applies (a reason; an override's values checked by the use
    /// case's schema) and scored against gold. An answer is final. The last answer ends the session.
    /// </summary>
    public async Task<AnswerResult> AnswerAsync(Actor trainee, Guid sessionId, Guid itemId, SandboxAnswer answer, CancellationToken cancellationToken = default)
    {
        EnsureMayTrain(trainee);
        await using var db = dbs.Create();
        var now = clock.GetUtcNow();
        var session = await LoadOpenAsync(db, trainee, sessionId, now, cancellationToken);
        var item = session.Item(itemId);
        EnsureUnanswered(item);
        if (!Enum.IsDefined(answer.Action))
        {
            throw DomainException.Invalid("training.action-invalid", "The action is Approve, Override, Reject or Escalate.",
                new Dictionary<string, string[]> { ["action"] = ["Choose Approve, Override, Reject or Escalate."] });
        }

        var scenario = await db.TrainingScenarios.AsNoTracking().SingleAsync(s => s.Id == item.ScenarioId, cancellationToken);
        var decision = Sandbox.DecisionFor(session, item, scenario, 1, trainee);
        JsonObject? values = null;
        if (answer.Action == GoldAction.Override)
        {
            var schema = ProposalSchema.For(scenario.UseCase);
            var (errors, parsed) = answer.JsonValues is not null || answer.FormValues is null
                ? (schema.TryParse(answer.JsonValues, out var fromJson), fromJson)
                : (schema.TryParse(answer.FormValues, out var fromForm), fromForm);
            if (errors.Count > 0)
            {
                throw DomainException.Invalid("decision.override-invalid", "The override has invalid values: " + string.Join(" ", errors.SelectMany(e => e.Value)), errors);
            }

            values = parsed;
        }

        var reason = answer.Reason ?? "";
        Sandbox.Apply(decision, trainee, answer.Action, values, reason, Sandbox.QueueFor(session, scenario.UseCase), now);
        var scored = TrainingScorer.Score([scenario.Gold], [new ScenarioAnswer(scenario.Id, answer.Action, values, 0)]).Items[0];
        item.Record(answer.Action, values, reason.Trim(), scored, session.Items.Max(i => i.AnsweredAt) ?? session.StartedAt, now);
        session.Touch();
        if (session.Answered == session.Total)
        {
            await EndAsync(db, session, SessionEnd.Completed, trainee, now, cancellationToken);
        }

        await SaveAsync(db, cancellationToken);
        var feedback = session.Mode == SessionMode.Practice
            ? new AnswerFeedback(scored.Correct, scenario.GoldAction, scenario.GoldValues, scenario.Explanation, scored.Note, scored.WrongFields)
            : null;
        return new AnswerResult(session, item, feedback);
    }

    /// <summary>Ends the session before every item is answered: the rest count as wrong.</summary>
    public async Task<TrainingSession> FinishAsync(Actor trainee, Guid sessionId, CancellationToken cancellationToken = default)
    {
        EnsureMayTrain(trainee);
        await using var db = dbs.Create();
        var now = clock.GetUtcNow();
        var session = await LoadOpenAsync(db, trainee, sessionId, now, cancellationToken);
        await EndAsync(db, session, session.Answered == session.Total ? SessionEnd.Completed : SessionEnd.FinishedEarly, trainee, now, cancellationToken);
        await SaveAsync(db, cancellationToken);
        return session;
    }

    /// <summary>Ends one exam of the current tenant whose time ran out (the recurring job calls it per session); false when there was nothing to end.</summary>
    public async Task<bool> EndIfTimeRanOutAsync(Guid sessionId, CancellationToken cancellationToken = default)
    {
        await using var db = dbs.Create();
        var now = clock.GetUtcNow();
        var session = await db.TrainingSessions.Include(s => s.Items).SingleOrDefaultAsync(s => s.Id == sessionId, cancellationToken);
        if (session is null || !session.IsOpen || !session.TimeIsUp(now))
        {
            return false;
        }

        await EndAsync(db, session, SessionEnd.TimeRanOut, Actor.System(session.TenantId, "exam timer"), now, cancellationToken);
        await SaveAsync(db, cancellationToken);
        return true;
    }

    private async Task ChangeAsync(Actor trainee, Guid sessionId, Guid itemId, Func<SessionItem, DateTimeOffset, bool> change, CancellationToken cancellationToken)
    {
        EnsureMayTrain(trainee);
        await using var db = dbs.Create();
        var now = clock.GetUtcNow();
        var session = await LoadOpenAsync(db, trainee, sessionId, now, cancellationToken);
        if (change(session.Item(itemId), now))
        {
            session.Touch();
            await SaveAsync(db, cancellationToken);
        }
    }

    /// <summary>The trainee's own open session; an exam whose time ran out is ended (and saved) before the refusal says so.</summary>
    private async Task<TrainingSession> LoadOpenAsync(AgentConsoleDbContext db, Actor trainee, Guid sessionId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var session = await db.TrainingSessions.Include(s => s.Items).SingleOrDefaultAsync(s => s.Id == sessionId, cancellationToken);
        if (session is null || session.TraineeId != trainee.Id)
        {
            throw DomainException.NotFound("training.session-not-found", "This training session does not exist.");
        }

        if (session.IsOpen && session.TimeIsUp(now))
        {
            var deadline = session.Deadline!.Value;
            await EndAsync(db, session, SessionEnd.TimeRanOut, Actor.System(trainee.TenantId, "exam timer"), now, cancellationToken);
            await SaveAsync(db, cancellationToken);
            throw DomainException.Conflict("training.time-up",
                $"Time ran out at {deadline:HH:mm} UTC: the exam has ended and answers after it are not accepted. Your score counts the {session.Answered} of {session.Total} items answered in time.");
        }

        session.EnsureOpen();
        return session;
    }

    private async Task EndAsync(AgentConsoleDbContext db, TrainingSession session, SessionEnd reason, Actor actor, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var ids = session.Items.Select(i => i.ScenarioId).ToList();
        var scenarios = await db.TrainingScenarios.AsNoTracking().Where(s => ids.Contains(s.Id)).ToDictionaryAsync(s => s.Id, cancellationToken);
        var gold = session.Items.Select(i => scenarios[i.ScenarioId].Gold).ToList();
        var score = session.End(gold, reason, now);
        if (session.Mode != SessionMode.Exam)
        {
            return;
        }

        db.AuditEntries.Add(AuditEntry.Record(actor, "training.exam-ended", "training-session", session.Id.ToString(),
            $"{score.AccuracyPercent:0.#}% against a pass mark of {session.PassMarkPercent}%: {(session.Passed == true ? "passed" : "not passed")}.", null, session.Snapshot(), now));
        if (session.Passed == true)
        {
            var track = await db.TrainingTracks.AsNoTracking().SingleAsync(t => t.Id == session.TrackId, cancellationToken);
            var certification = await grants.AddAsync(db, Actor.System(session.TenantId, "training exam"), session.TraineeId,
                new CertificationGrant(track.CertificationKey, track.Name, TimeSpan.FromDays(track.ValidityDays), $"{track.Name} (version {track.Version})", (decimal)score.AccuracyPercent),
                $"Passed the exam of {track.Name} (version {track.Version}, attempt {session.Attempt}) with {score.AccuracyPercent:0.#}%; the pass mark is {track.PassMarkPercent}%.",
                now, cancellationToken);
            session.Granted(certification.Id);
        }
    }

    private static void EnsureMayTrain(Actor trainee)
    {
        if (!trainee.Can(Permissions.TakeTraining))
        {
            throw DomainException.Forbidden("training.role",
                "Only the trainee answers their own training session: your role does not take training, and a finished session's score is never changed.");
        }
    }

    private static void EnsureUnanswered(SessionItem item)
    {
        if (item.AnsweredAt is not null)
        {
            throw DomainException.Conflict("training.already-answered", "You already answered this item, and an answer is final: go on with the next one.");
        }
    }

    private static async Task SaveAsync(AgentConsoleDbContext db, CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            throw DomainException.Conflict("training.session-changed", "This session changed in another window meanwhile: nothing was saved. Look at it again and carry on.");
        }
    }
}
