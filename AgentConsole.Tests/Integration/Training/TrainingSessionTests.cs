using AgentConsole.Domain;
using AgentConsole.Domain.Decisions;
using AgentConsole.Domain.Tenancy;
using AgentConsole.Domain.Training.Certifications;
using AgentConsole.Domain.Training.Scenarios;
using AgentConsole.Domain.Training.Scoring;
using AgentConsole.Domain.Training.Sessions;
using AgentConsole.Domain.Training.Tracks;
using AgentConsole.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AgentConsole.Tests.Integration.Training;

public sealed class SqliteTrainingSessionTests() : TrainingSessionTests(TestEngine.Sqlite);

public sealed class PostgreSqlTrainingSessionTests() : TrainingSessionTests(TestEngine.PostgreSql);

/// <summary>
/// Practice and exam sessions in the sandbox, through <see cref="TrainingSessions"/> on a real database: feedback,
/// scoring against gold, the certification a passed exam grants, the time limit and attempts, finality, ownership,
/// and isolation from production (no decision, run, execution, job, live event or decision audit entry).
/// </summary>
public abstract class TrainingSessionTests(TestEngine engine) : IAsyncLifetime
{
    private readonly ManualClock _clock = new(DateTimeOffset.UtcNow);
    private DomainHarness _harness = default!;
    private Actor _trainee = default!;
    private Actor _operator = default!;
    private Actor _trainer = default!;
    private Guid _track;

    public async Task InitializeAsync()
    {
        _harness = await DomainHarness.CreateAsync(configure: s => s.AddSingleton<TimeProvider>(_clock), engine: engine);
        _trainee = await _harness.ActorAsync("operator");
        _operator = await _harness.ActorAsync("senior");
        _trainer = await _harness.ActorAsync("trainer");
        _track = await _harness.ReadAsync(db => db.TrainingTracks.Where(t => t.Key == DemoTracks.PricingKey && t.State == TrackState.Published).Select(t => t.Id).SingleAsync());
    }

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    private async Task<T> Sessions<T>(Func<TrainingSessions, Task<T>> act, Guid? tenantId = null)
    {
        await using var scope = _harness.Scope(tenantId ?? DemoData.ContosoId);
        return await act(scope.ServiceProvider.GetRequiredService<TrainingSessions>());
    }

    private async Task Sessions(Func<TrainingSessions, Task> act)
    {
        await using var scope = _harness.Scope(DemoData.ContosoId);
        await act(scope.ServiceProvider.GetRequiredService<TrainingSessions>());
    }

    private Task<TrainingSession> StartAsync(Actor who, SessionMode mode) => Sessions(s => s.StartAsync(who, _track, mode));

    private Task<Dictionary<Guid, Scenario>> ScenariosAsync() => _harness.ReadAsync(db => db.TrainingScenarios.AsNoTracking().ToDictionaryAsync(s => s.Id));

    private Task<TrainingSession> ReadAsync(Guid id) => _harness.ReadAsync(db => db.TrainingSessions.AsNoTracking().Include(s => s.Items).SingleAsync(s => s.Id == id));

    /// <summary>The gold answer of a scenario, as a trainee would give it.</summary>
    private static SandboxAnswer Gold(Scenario s) => new(s.GoldAction, "As I read the case", JsonValues: s.GoldValues);

    /// <summary>A wrong answer: the action gold does not take.</summary>
    private static SandboxAnswer Wrong(Scenario s) => new(s.GoldAction == GoldAction.Reject ? GoldAction.Approve : GoldAction.Reject, "As I read the case");

    private async Task<List<AnswerResult>> AnswerAllAsync(Actor who, TrainingSession session, int wrong = 0, int? leave = null)
    {
        var scenarios = await ScenariosAsync();
        var results = new List<AnswerResult>();
        foreach (var item in session.Items.Take(leave is { } l ? session.Items.Count - l : session.Items.Count))
        {
            var scenario = scenarios[item.ScenarioId];
            _clock.Advance(TimeSpan.FromSeconds(30));
            results.Add(await Sessions(s => s.AnswerAsync(who, session.Id, item.Id, results.Count < wrong ? Wrong(scenario) : Gold(scenario))));
        }

        return results;
    }

    [Fact]
    public async Task Practice_GivesTheGoldAnswerAfterEachAnswer_AndScoresAccuracyTimeAndKappa()
    {
        var session = await StartAsync(_trainee, SessionMode.Practice);
        Assert.Equal(10, session.Total);
        Assert.Null(session.Deadline);

        var results = await AnswerAllAsync(_trainee, session, wrong: 2);

        Assert.All(results, r => Assert.NotNull(r.Feedback));
        Assert.False(results[0].Feedback!.Correct);
        Assert.NotEmpty(results[0].Feedback!.Explanation);
        Assert.True(results[^1].Feedback!.Correct);

        var ended = await ReadAsync(session.Id);
        Assert.False(ended.IsOpen);
        Assert.Equal(SessionEnd.Completed, ended.EndReason);
        Assert.Equal(8, ended.Correct);
        Assert.Equal(80.0, ended.AccuracyPercent);
        Assert.Null(ended.Passed);
        Assert.Null(ended.CertificationId);

        // The stored score is the scorer's, over the same answers.
        var scenarios = await ScenariosAsync();
        var expected = TrainingScorer.Score([.. ended.Items.Select(i => scenarios[i.ScenarioId].Gold)], [.. ended.Items.Select(i => i.Answer!)]);
        Assert.Equal(expected.Kappa.Value, ended.Kappa);
        Assert.Equal(expected.MeanSecondsPerItem, ended.MeanSecondsPerItem);
        Assert.All(ended.Items, i => Assert.Equal(30, i.Seconds));
    }

    [Fact]
    public async Task Exam_ShowsNothingWhileItRuns_AndAPassGrantsTheCertification_ThatTheGateThenAccepts()
    {
        await using (var scope = _harness.Scope(DemoData.ContosoId))
        {
            Assert.NotNull((await scope.ServiceProvider.GetRequiredService<CertificationQueries>().StandingAsync(_trainee, [DemoTracks.PricingKey]))[DemoTracks.PricingKey]);
        }

        var session = await StartAsync(_trainee, SessionMode.Exam);
        Assert.Equal(_clock.GetUtcNow().AddMinutes(20), session.Deadline);
        Assert.Equal(1, session.Attempt);

        var results = await AnswerAllAsync(_trainee, session, wrong: 1);

        Assert.All(results, r => Assert.Null(r.Feedback));
        var ended = await ReadAsync(session.Id);
        Assert.True(ended.Passed);
        Assert.Equal(90.0, ended.AccuracyPercent);
        var certification = await _harness.ReadAsync(db => db.Certifications.AsNoTracking().SingleAsync(c => c.Id == ended.CertificationId));
        Assert.Equal(_trainee.Id, certification.HolderId);
        Assert.Equal(DemoTracks.PricingKey, certification.Key);
        Assert.Equal(ended.EndedAt!.Value.AddDays(365), certification.ExpiresAt);
        Assert.Equal(90m, certification.Score);

        await using (var scope = _harness.Scope(DemoData.ContosoId))
        {
            Assert.Null((await scope.ServiceProvider.GetRequiredService<CertificationQueries>().StandingAsync(_trainee, [DemoTracks.PricingKey]))[DemoTracks.PricingKey]);
        }

        var audit = await _harness.ReadAsync(db => db.AuditEntries.AsNoTracking().Where(a => a.EntityId == session.Id.ToString() || a.EntityId == certification.Id.ToString()).Select(a => a.Action).ToListAsync());
        Assert.Equal(["certification.granted", "training.exam-ended", "training.exam-started"], audit.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Exam_BelowThePassMark_GrantsNothing()
    {
        var session = await StartAsync(_trainee, SessionMode.Exam);
        await AnswerAllAsync(_trainee, session, wrong: 3);

        var ended = await ReadAsync(session.Id);
        Assert.False(ended.Passed);
        Assert.Equal(70.0, ended.AccuracyPercent);
        Assert.Null(ended.CertificationId);
        Assert.Equal(0, await _harness.ReadAsync(db => db.Certifications.CountAsync(c => c.HolderId == _trainee.Id)));
    }

    [Fact]
    public async Task AnAnswerAfterTheTimeLimit_IsRefused_AndTheExamEndsWithWhatWasAnsweredInTime()
    {
        var session = await StartAsync(_trainee, SessionMode.Exam);
        var scenarios = await ScenariosAsync();
        foreach (var item in session.Items.Take(9))
        {
            await Sessions(s => s.AnswerAsync(_trainee, session.Id, item.Id, Gold(scenarios[item.ScenarioId])));
        }

        _clock.Advance(TimeSpan.FromMinutes(21));
        var last = session.Items[9];
        var refused = await Assert.ThrowsAsync<DomainException>(() => Sessions(s => s.AnswerAsync(_trainee, session.Id, last.Id, Gold(scenarios[last.ScenarioId]))));

        Assert.Equal(DomainErrorKind.Conflict, refused.Kind);
        Assert.StartsWith("Time ran out at", refused.Message, StringComparison.Ordinal);
        Assert.Contains("9 of 10 items answered in time", refused.Message, StringComparison.Ordinal);
        var ended = await ReadAsync(session.Id);
        Assert.Equal(SessionEnd.TimeRanOut, ended.EndReason);
        Assert.Equal(session.Deadline!.Value, ended.EndedAt!.Value, TimeSpan.FromMilliseconds(1));
        Assert.Null(ended.Items[9].AnsweredAt);
        Assert.Equal(90.0, ended.AccuracyPercent);

        // 9 of 10 right still reaches the 80% pass mark: the time limit ends the exam, it does not void it.
        Assert.True(ended.Passed);
        Assert.NotNull(ended.CertificationId);
    }

    [Fact]
    public async Task AnExamLeftOpen_IsEndedByTheRecurringSweep_OnceItsTimeRanOut()
    {
        var session = await StartAsync(_trainee, SessionMode.Exam);
        await AnswerAllAsync(_trainee, session, leave: 2);
        var timeouts = _harness.Services.GetRequiredService<ExamTimeouts>();

        Assert.Equal(0, await timeouts.EndTimedOutAsync());
        _clock.Advance(TimeSpan.FromMinutes(20));
        Assert.Equal(1, await timeouts.EndTimedOutAsync());
        Assert.Equal(0, await timeouts.EndTimedOutAsync());

        var ended = await ReadAsync(session.Id);
        Assert.Equal(SessionEnd.TimeRanOut, ended.EndReason);
        Assert.Equal(80.0, ended.AccuracyPercent);
        Assert.True(ended.Passed);
    }

    [Fact]
    public async Task AnAttemptBeyondTheAllowedNumber_IsRefused_AndStartsNothing()
    {
        for (var attempt = 1; attempt <= 3; attempt++)
        {
            var exam = await StartAsync(_trainee, SessionMode.Exam);
            Assert.Equal(attempt, exam.Attempt);
            await Sessions(s => s.FinishAsync(_trainee, exam.Id));
        }

        var refused = await Assert.ThrowsAsync<DomainException>(() => StartAsync(_trainee, SessionMode.Exam));

        Assert.Equal(DomainErrorKind.Conflict, refused.Kind);
        Assert.StartsWith("You have used all 3 exam attempts on Pricing reviewer (version 1)", refused.Message, StringComparison.Ordinal);
        Assert.Equal(3, await _harness.ReadAsync(db => db.TrainingSessions.CountAsync(s => s.TraineeId == _trainee.Id && s.Mode == SessionMode.Exam)));

        // Practice stays open to them.
        Assert.Equal(SessionMode.Practice, (await StartAsync(_trainee, SessionMode.Practice)).Mode);
    }

    [Fact]
    public async Task StartingAgain_ResumesTheOpenSession_InsteadOfSpendingAnAttempt()
    {
        var first = await StartAsync(_trainee, SessionMode.Exam);
        var again = await StartAsync(_trainee, SessionMode.Exam);

        Assert.Equal(first.Id, again.Id);
        Assert.Equal(1, await _harness.ReadAsync(db => db.TrainingSessions.CountAsync(s => s.TraineeId == _trainee.Id)));
    }

    [Fact]
    public async Task AnAnswerIsFinal_AFinishedSessionNeverChanges_AndOnlyItsTraineeAnswersIt()
    {
        var session = await StartAsync(_trainee, SessionMode.Practice);
        var scenarios = await ScenariosAsync();
        var item = session.Items[0];
        await Sessions(s => s.AnswerAsync(_trainee, session.Id, item.Id, Gold(scenarios[item.ScenarioId])));

        var again = await Assert.ThrowsAsync<DomainException>(() => Sessions(s => s.AnswerAsync(_trainee, session.Id, item.Id, Wrong(scenarios[item.ScenarioId]))));
        Assert.Equal("You already answered this item, and an answer is final: go on with the next one.", again.Message);

        var someoneElse = await Assert.ThrowsAsync<DomainException>(() => Sessions(s => s.AnswerAsync(_operator, session.Id, session.Items[1].Id, Gold(scenarios[session.Items[1].ScenarioId]))));
        Assert.Equal(DomainErrorKind.NotFound, someoneElse.Kind);
        var anotherTenant = await Assert.ThrowsAsync<DomainException>(() => Sessions(s => s.AnswerAsync(_trainee, session.Id, session.Items[1].Id, Gold(scenarios[session.Items[1].ScenarioId])), DemoData.FabrikamId));
        Assert.Equal(DomainErrorKind.NotFound, anotherTenant.Kind);

        await Sessions(s => s.FinishAsync(_trainee, session.Id));
        var finished = await ReadAsync(session.Id);
        Assert.Equal(SessionEnd.FinishedEarly, finished.EndReason);
        Assert.Equal(10.0, finished.AccuracyPercent);

        var late = await Assert.ThrowsAsync<DomainException>(() => Sessions(s => s.AnswerAsync(_trainee, session.Id, session.Items[1].Id, Gold(scenarios[session.Items[1].ScenarioId]))));
        Assert.Equal(DomainErrorKind.Conflict, late.Kind);
        Assert.Contains("its score is final", late.Message, StringComparison.Ordinal);

        // A trainer follows scores but never changes one: the service refuses them before reading anything.
        var trainer = await Assert.ThrowsAsync<DomainException>(() => Sessions(s => s.AnswerAsync(_trainer, session.Id, session.Items[1].Id, Gold(scenarios[session.Items[1].ScenarioId]))));
        Assert.Equal(DomainErrorKind.Forbidden, trainer.Kind);
        Assert.Contains("a finished session's score is never changed", trainer.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<DomainException>(() => Sessions(s => s.FinishAsync(_trainer, session.Id)));

        var unchanged = await ReadAsync(session.Id);
        Assert.Equal(finished.AccuracyPercent, unchanged.AccuracyPercent);
        Assert.Equal(finished.Revision, unchanged.Revision);
        Assert.Single(unchanged.Items, i => i.AnsweredAt is not null);
    }

    [Fact]
    public async Task AnAnswerARealQueueWouldRefuse_IsRefusedBesideTheField_AndChangesNothing()
    {
        var session = await StartAsync(_trainee, SessionMode.Practice);
        var item = session.Items[0];

        var noReason = await Assert.ThrowsAsync<DomainException>(() => Sessions(s => s.AnswerAsync(_trainee, session.Id, item.Id, new SandboxAnswer(GoldAction.Approve, " "))));
        Assert.Contains("reason", noReason.FieldErrors.Keys);

        var badValues = await Assert.ThrowsAsync<DomainException>(() => Sessions(s => s.AnswerAsync(_trainee, session.Id, item.Id,
            new SandboxAnswer(GoldAction.Override, "Too generous", JsonValues: new System.Text.Json.Nodes.JsonObject { ["discountPercent"] = 75 }))));
        Assert.Contains("discountPercent", badValues.FieldErrors.Keys);

        var unknownAction = await Assert.ThrowsAsync<DomainException>(() => Sessions(s => s.AnswerAsync(_trainee, session.Id, item.Id, new SandboxAnswer((GoldAction)(-1), "Why not"))));
        Assert.Contains("action", unknownAction.FieldErrors.Keys);

        var unchanged = await ReadAsync(session.Id);
        Assert.All(unchanged.Items, i => Assert.Null(i.AnsweredAt));
        Assert.Equal(session.Revision, unchanged.Revision);
    }

    [Fact]
    public async Task TheSandbox_TouchesNothingOfProduction()
    {
        var decision = await _harness.ProposeAsync(TestCases.UncertainPricing("Sandbox Isolation AB"));
        await _harness.RunRecordedJobsAsync();
        var before = await ProductionAsync();
        var jobsBefore = _harness.Scheduler.Jobs.Count;
        var published = new List<DecisionEvent>();
        using var subscription = _harness.Services.GetRequiredService<DecisionEventBus>().Subscribe(e =>
        {
            lock (published)
            {
                published.Add(e);
            }

            return Task.CompletedTask;
        });

        var practice = await StartAsync(_trainee, SessionMode.Practice);
        await Sessions(s => s.ClaimAsync(_trainee, practice.Id, practice.Items[0].Id));
        await Sessions(s => s.ReleaseAsync(_trainee, practice.Id, practice.Items[0].Id));
        await AnswerAllAsync(_trainee, practice, wrong: 4);
        var exam = await StartAsync(_operator, SessionMode.Exam);
        await AnswerAllAsync(_operator, exam);
        await _harness.RunRecordedJobsAsync();

        Assert.Equal(before, await ProductionAsync());
        Assert.Equal(jobsBefore, _harness.Scheduler.Jobs.Count);
        Assert.Empty(published);
        var decisionAudit = await _harness.ReadAsync(db => db.AuditEntries.CountAsync(a => a.EntityType == "decision" && a.EntityId == decision.Id.ToString()));
        Assert.Equal(before.DecisionAudit, decisionAudit);
    }

    private sealed record Production(int Decisions, int Reviews, int Runs, int Ledger, int DecisionAudit, int OpenInQueues);

    private Task<Production> ProductionAsync() => _harness.ReadAsync(async db => new Production(
        await db.Decisions.CountAsync(),
        await db.DecisionReviews.CountAsync(),
        await db.Runs.CountAsync(),
        await db.ErpLedger.CountAsync(),
        await db.AuditEntries.CountAsync(a => a.EntityType == "decision"),
        await db.Decisions.CountAsync(d => d.Status == DecisionStatus.Pending || d.Status == DecisionStatus.InReview)));
}
