using System.Text.Json.Nodes;
using AgentConsole.Domain;
using AgentConsole.Domain.Agents;
using AgentConsole.Domain.Decisions;
using AgentConsole.Domain.Execution;
using AgentConsole.Domain.Pipelines;
using AgentConsole.Domain.Policies;
using AgentConsole.Domain.Tenancy;
using AgentConsole.Domain.Training.Calibration;
using AgentConsole.Domain.Training.Scenarios;
using AgentConsole.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AgentConsole.Tests.Integration.Training;

public sealed class SqliteCalibrationTests() : CalibrationTests(TestEngine.Sqlite);

public sealed class PostgreSqlCalibrationTests() : CalibrationTests(TestEngine.PostgreSql);

/// <summary>
/// Calibration in production on a real database: gold items seeded at the policy's rate (once per slot), answered through
/// <see cref="DecisionService"/> like any item, scored against gold, never executed or counted in the agents' rates; a run
/// of wrong answers pauses the operator, the gate refuses them with the reason, and a trainer clears the pause.
/// </summary>
public abstract class CalibrationTests(TestEngine engine) : IAsyncLifetime
{
    private static readonly TimeSpan Slot = TimeSpan.FromMinutes(30);

    // 25 minutes into a slot: past the moment inside it when any queue's gold item arrives (the first three quarters).
    private readonly ManualClock _clock = new(GoldItemSeeding.SlotOf(DateTimeOffset.UtcNow, Slot) + TimeSpan.FromMinutes(25));
    private DomainHarness _harness = default!;
    private Actor _operator = default!;
    private Actor _senior = default!;
    private Actor _trainer = default!;

    public async Task InitializeAsync()
    {
        _harness = await DomainHarness.CreateAsync(configure: s => s.AddSingleton<TimeProvider>(_clock), engine: engine);
        _operator = await _harness.ActorAsync("operator");
        _senior = await _harness.ActorAsync("senior");
        _trainer = await _harness.ActorAsync("trainer");
    }

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    /// <summary>The shipped pricing policy with a pause after three gold answers, from every risk level (the test cases are low risk).</summary>
    private Task<Guid> StrictPolicyAsync() => PolicyVersions.ActivateAsync(_harness.Services, UseCase.DynamicPricing, document =>
        document.Replace("minimumAnswers: 5", "minimumAnswers: 3", StringComparison.Ordinal)
            .Replace("pauseFrom: [medium, high, critical]", "pauseFrom: [low, medium, high, critical]", StringComparison.Ordinal) is var edited && edited != document
            ? edited
            : throw new InvalidOperationException("The default pricing policy's calibration section changed: update the test."));

    private async Task<T> As<T>(Func<IServiceProvider, Task<T>> act)
    {
        await using var scope = _harness.Scope(DemoData.ContosoId);
        return await act(scope.ServiceProvider);
    }

    private Task<Decision> Act(Func<DecisionService, Task<Decision>> act) => As(s => act(s.GetRequiredService<DecisionService>()));

    private Task<int> SeedDueAsync() => As(s => s.GetRequiredService<GoldItemSeeding>().SeedDueAsync());

    /// <summary>Moves to the next slot and seeds its gold item.</summary>
    private async Task<GoldItem> NextGoldItemAsync()
    {
        _clock.Advance(Slot);
        Assert.Equal(1, await SeedDueAsync());
        return await _harness.ReadAsync(db => db.GoldItems.AsNoTracking().OrderByDescending(g => g.SlotStart).FirstAsync());
    }

    private Task<Decision> AnswerAsync(GoldItem gold, Actor person, bool right) => Act(async d =>
    {
        await d.ClaimAsync(gold.DecisionId, person);
        var action = right ? gold.GoldAction : gold.GoldAction == GoldAction.Approve ? GoldAction.Reject : GoldAction.Approve;
        return action switch
        {
            GoldAction.Approve => await d.ApproveAsync(gold.DecisionId, person, "Within policy"),
            GoldAction.Override => await d.OverrideAsync(gold.DecisionId, person, gold.GoldValues, "Corrected to the market"),
            GoldAction.Reject => await d.RejectAsync(gold.DecisionId, person, "Not justified"),
            _ => await d.EscalateAsync(gold.DecisionId, person, "For a senior"),
        };
    });

    [Fact]
    public async Task Seeding_AddsOneGoldItemPerQueueAndSlot_AndNeverTwice()
    {
        Assert.Equal(1, await SeedDueAsync());
        Assert.Equal(0, await SeedDueAsync());
        // A fresh service, as after a restart or on another node: the database says the slot is seeded.
        await using (var scope = _harness.Scope(DemoData.ContosoId))
        {
            var again = ActivatorUtilities.CreateInstance<GoldItemSeeding>(scope.ServiceProvider);
            Assert.Equal(0, await again.SeedDueAsync());
        }

        _clock.Advance(Slot);
        Assert.Equal(1, await SeedDueAsync());

        var gold = await _harness.ReadAsync(db => db.GoldItems.AsNoTracking().OrderBy(g => g.SlotStart).ToListAsync());
        Assert.Equal(2, gold.Count);
        Assert.Equal(Slot, gold[1].SlotStart - gold[0].SlotStart);
        var decisions = await _harness.ReadAsync(db => db.Decisions.AsNoTracking().Where(d => gold.Select(g => g.DecisionId).Contains(d.Id)).ToListAsync());
        var firstTier = await _harness.ReadAsync(db => db.Queues.AsNoTracking().SingleAsync(q => q.UseCase == UseCase.DynamicPricing && q.Tier == 1));
        Assert.All(decisions, d => Assert.Equal((DecisionStatus.Pending, firstTier.Id, DecisionRoute.Review), (d.Status, d.QueueId!.Value, d.Route)));
        var runs = await _harness.ReadAsync(db => db.Runs.AsNoTracking().Where(r => decisions.Select(d => d.RunId).Contains(r.Id)).ToListAsync());
        Assert.All(runs, r => Assert.Equal(RunStatus.AwaitingReview, r.Status));
    }

    [Fact]
    public async Task Seeding_FollowsThePolicysRate_OverAnHour()
    {
        await PolicyVersions.ActivateAsync(_harness.Services, UseCase.DynamicPricing,
            d => d.Replace("goldItems: { count: 2, per: hour }", "goldItems: { count: 4, per: hour }", StringComparison.Ordinal));
        _clock.Advance(GoldItemSeeding.SlotOf(_clock.GetUtcNow(), TimeSpan.FromHours(1)) + TimeSpan.FromHours(1) - _clock.GetUtcNow());

        // The job runs every minute.
        var seeded = 0;
        for (var minute = 0; minute < 60; minute++)
        {
            seeded += await SeedDueAsync();
            _clock.Advance(TimeSpan.FromMinutes(1));
        }

        Assert.Equal(4, seeded);
        var slots = await _harness.ReadAsync(db => db.GoldItems.AsNoTracking().Select(g => g.SlotStart).ToListAsync());
        Assert.Equal(4, slots.Distinct().Count());
    }

    [Fact]
    public async Task WithoutACalibrationSection_NothingIsSeeded()
    {
        await PolicyVersions.ActivateAsync(_harness.Services, UseCase.DynamicPricing, d => d[..d.IndexOf("calibration:", StringComparison.Ordinal)] + d[d.IndexOf("masking:", StringComparison.Ordinal)..]);
        _clock.Advance(Slot);

        Assert.Equal(0, await SeedDueAsync());
    }

    [Fact]
    public async Task AResolvedGoldItem_IsNeverExecuted_NorCountedInTheAgentsRatesOrHistory()
    {
        var gold = await NextGoldItemAsync();
        var real = await _harness.ProposeAsync(TestCases.UncertainPricing("Real Customer AB"));
        var agents = () => As(s => s.GetRequiredService<AgentQueries>().CatalogAsync());
        var before = (await agents()).Single(a => a.Key == "pricing");

        await Act(d => d.ClaimAsync(gold.DecisionId, _operator));
        var approved = await Act(d => d.ApproveAsync(gold.DecisionId, _operator, "Within policy"));
        await Act(d => d.ClaimAsync(real.Id, _operator));
        await Act(d => d.ApproveAsync(real.Id, _operator, "Within policy"));
        // Whoever asks (a stray job, a reconciler), the gold item is not carried out.
        await As(async s => { await s.GetRequiredService<ExecutionService>().ExecuteAsync(gold.DecisionId); return 0; });
        await _harness.RunRecordedJobsAsync();

        Assert.Equal(DecisionStatus.Approved, approved.Status);
        Assert.DoesNotContain(gold.DecisionId, _harness.Scheduler.Executions);
        Assert.Contains(real.Id, _harness.Scheduler.Executions);
        var ledger = await _harness.ReadAsync(db => db.ErpLedger.AsNoTracking().Select(e => e.IdempotencyKey).ToListAsync());
        Assert.DoesNotContain(ExecutionService.IdempotencyKey(gold.DecisionId), ledger);
        Assert.Contains(ExecutionService.IdempotencyKey(real.Id), ledger);
        var run = await _harness.ReadAsync(db => db.Runs.AsNoTracking().SingleAsync(r => r.DecisionId == gold.DecisionId));
        Assert.Equal((RunStatus.Completed, ExecutionStatus.NotRequired), (run.Status, run.ExecutionStatus));
        Assert.False(await _harness.ReadAsync(db => db.AuditEntries.AnyAsync(a => a.EntityId == gold.DecisionId.ToString() && a.Action == "decision.executed")));

        // The agent's approvals count the real decision only; its history (simulation, threshold advice) holds no gold item.
        var after = (await agents()).Single(a => a.Key == "pricing");
        Assert.Equal(before.Approved + 1, after.Approved);
        Assert.Equal((before.Proposed, before.Open - 1), (after.Proposed, after.Open));
        var history = await _harness.ReadAsync(async db =>
            await PolicySimulator.LoadHistoryAsync(db, await db.PolicyScopes.SingleAsync(s => s.Kind == PolicyScopeKind.UseCase && s.UseCase == UseCase.DynamicPricing),
                _clock.GetUtcNow().AddDays(-1), 1000, CancellationToken.None));
        Assert.Contains(history, h => h.Id == real.Id);
        Assert.DoesNotContain(history, h => h.Id == gold.DecisionId);
    }

    [Fact]
    public async Task AGoldItemsAuditTrail_ReadsLikeARealOnes()
    {
        var gold = await NextGoldItemAsync();
        var real = await _harness.ProposeAsync(TestCases.UncertainPricing("Real Customer AB"));
        foreach (var id in new[] { gold.DecisionId, real.Id })
        {
            await Act(d => d.ClaimAsync(id, _operator));
            await Act(d => d.RejectAsync(id, _operator, "Not justified"));
        }

        var trails = await _harness.ReadAsync(db => db.AuditEntries.AsNoTracking()
            .Where(a => a.EntityType == "decision" && (a.EntityId == gold.DecisionId.ToString() || a.EntityId == real.Id.ToString())).ToListAsync());
        string[] Actions(Guid id) => [.. trails.Where(a => a.EntityId == id.ToString()).OrderBy(a => a.At).Select(a => $"{a.ActorKind}:{a.Action}")];
        Assert.Equal(Actions(real.Id), Actions(gold.DecisionId));
        Assert.All(trails.Where(a => a.EntityId == gold.DecisionId.ToString()), a =>
            Assert.DoesNotContain("gold", $"{a.Action} {a.Reason} {a.BeforeJson} {a.AfterJson}", StringComparison.OrdinalIgnoreCase));
        var runId = await _harness.ReadAsync(db => db.Runs.Where(r => r.DecisionId == gold.DecisionId).Select(r => r.Id).SingleAsync());
        var runStarted = await _harness.ReadAsync(db => db.AuditEntries.AsNoTracking().SingleAsync(a => a.Action == "run.started" && a.EntityId == runId.ToString()));
        Assert.Equal("business feed", runStarted.ActorName);
    }

    [Fact]
    public async Task AnAnswer_IsScoredAgainstGold_RightActionAndForAnOverrideTheRightValues()
    {
        var right = await NextGoldItemAsync();
        var wrong = await NextGoldItemAsync();
        await AnswerAsync(right, _operator, right: true);
        await AnswerAsync(wrong, _operator, right: false);
        var off = await NextGoldItemAsync();
        var discount = (off.GoldValues?["discountPercent"]?.GetValue<double>() ?? 5) + 7;
        await Act(async d =>
        {
            await d.ClaimAsync(off.DecisionId, _senior);
            return await d.OverrideAsync(off.DecisionId, _senior, new JsonObject { ["discountPercent"] = discount }, "My own discount");
        });

        var answers = await _harness.ReadAsync(db => db.GoldItemAnswers.AsNoTracking().ToListAsync());
        var first = answers.Single(a => a.GoldItemId == right.Id);
        Assert.Equal((true, right.GoldAction, _operator.Id, _operator.Name), (first.Correct, first.Action, first.PersonId, first.PersonName));
        Assert.False(answers.Single(a => a.GoldItemId == wrong.Id).Correct);
        var overridden = answers.Single(a => a.GoldItemId == off.Id);
        Assert.Equal((GoldAction.Override, _senior.Id), (overridden.Action, overridden.PersonId));
        Assert.False(overridden.Correct);
        if (off.GoldAction == GoldAction.Override)
        {
            Assert.Equal("discountPercent", overridden.WrongFieldsCsv);
        }
    }

    [Fact]
    public async Task ARunOfWrongAnswers_PausesTheOperator_AndTheGateRefusesWithTheReason_EvenOnAnOpenReview()
    {
        await StrictPolicyAsync();
        var open = await _harness.ProposeAsync(TestCases.UncertainPricing("Open Review AB"));
        var claimed = await Act(d => d.ClaimAsync(open.Id, _operator));
        for (var i = 0; i < 3; i++)
        {
            await AnswerAsync(await NextGoldItemAsync(), _operator, right: false);
        }

        var pause = await _harness.ReadAsync(db => db.CalibrationPauses.AsNoTracking().SingleAsync(p => p.PersonId == _operator.Id));
        Assert.True(pause.IsActive);
        Assert.Equal((0d, 3, 60d), (pause.AccuracyPercent, pause.Answers, pause.ThresholdPercent));
        var refused = await Assert.ThrowsAsync<DomainException>(() => Act(d => d.ApproveAsync(open.Id, _operator, "Within policy", claimed.Version)));
        Assert.Equal(DomainErrorKind.Forbidden, refused.Kind);
        Assert.Equal("decision.calibration-paused", refused.Code);
        Assert.Equal("You cannot approve this decision: you are paused from low-, medium-, high- and critical-risk dynamic pricing decisions because your "
            + "accuracy 0% over the last 3 gold items (7 days), below the policy's 60%. A trainer must clear the pause.", refused.Message);
        var after = await _harness.ReadAsync(db => db.Decisions.AsNoTracking().SingleAsync(d => d.Id == open.Id));
        Assert.Equal((DecisionStatus.InReview, claimed.Version), (after.Status, after.Version));

        // Another operator is not paused; the pause is audited as the product's act on the person.
        await Act(d => d.ReleaseAsync(open.Id, _senior, "Reassigning"));
        Assert.Equal(DecisionStatus.InReview, (await Act(d => d.ClaimAsync(open.Id, _senior))).Status);
        var audit = await _harness.ReadAsync(db => db.AuditEntries.AsNoTracking().SingleAsync(a => a.Action == "calibration.paused"));
        Assert.Equal(("calibration", "person", _operator.Id), (audit.ActorName, audit.EntityType, audit.EntityId));
        Assert.Contains("accuracy 0% over the last 3 gold items", audit.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EnoughRightAnswers_KeepTheOperatorWorking()
    {
        await StrictPolicyAsync();
        await AnswerAsync(await NextGoldItemAsync(), _operator, right: true);
        await AnswerAsync(await NextGoldItemAsync(), _operator, right: true);
        await AnswerAsync(await NextGoldItemAsync(), _operator, right: false);

        Assert.False(await _harness.ReadAsync(db => db.CalibrationPauses.AnyAsync()));
    }

    [Fact]
    public async Task ATrainerClearsAPauseWithAReason_OthersAreRefused_AndTheOperatorWorksAgain()
    {
        await StrictPolicyAsync();
        for (var i = 0; i < 3; i++)
        {
            await AnswerAsync(await NextGoldItemAsync(), _operator, right: false);
        }

        var pauseId = await _harness.ReadAsync(db => db.CalibrationPauses.Select(p => p.Id).SingleAsync());
        Task<PauseView> Clear(Actor actor, string? reason) => As(s => s.GetRequiredService<CalibrationClearance>().ClearAsync(pauseId, actor, reason));

        var bySenior = await Assert.ThrowsAsync<DomainException>(() => Clear(_senior, "Looks fine to me"));
        var byOperator = await Assert.ThrowsAsync<DomainException>(() => Clear(_operator, "I'm fine"));
        var noReason = await Assert.ThrowsAsync<DomainException>(() => Clear(_trainer, "  "));
        var unknown = await Assert.ThrowsAsync<DomainException>(() => As(s => s.GetRequiredService<CalibrationClearance>().ClearAsync(Guid.NewGuid(), _trainer, "x")));
        Assert.Equal((DomainErrorKind.Forbidden, "Only trainers clear a calibration pause."), (bySenior.Kind, bySenior.Message));
        Assert.Equal(DomainErrorKind.Forbidden, byOperator.Kind);
        Assert.Equal((DomainErrorKind.Invalid, "reason"), (noReason.Kind, Assert.Single(noReason.FieldErrors!).Key));
        Assert.Equal(DomainErrorKind.NotFound, unknown.Kind);
        Assert.True(await _harness.ReadAsync(db => db.CalibrationPauses.AnyAsync(p => p.ClearedAt == null)));

        var cleared = await Clear(_trainer, "Retrained on margin floors; passed the practice exercise");
        var twice = await Assert.ThrowsAsync<DomainException>(() => Clear(_trainer, "Again"));

        Assert.Equal(("Tara Trainer", "Retrained on margin floors; passed the practice exercise"), (cleared.ClearedByName, cleared.ClearedReason));
        Assert.Equal(DomainErrorKind.Conflict, twice.Kind);
        var audit = await _harness.ReadAsync(db => db.AuditEntries.AsNoTracking().SingleAsync(a => a.Action == "calibration.pause-cleared"));
        Assert.Equal(("Tara Trainer", _operator.Id, "Retrained on margin floors; passed the practice exercise"), (audit.ActorName, audit.EntityId, audit.Reason));
        var next = await _harness.ProposeAsync(TestCases.UncertainPricing("After Clearance AB"));
        Assert.Equal(DecisionStatus.InReview, (await Act(d => d.ClaimAsync(next.Id, _operator))).Status);

        // Answers before the clearance do not count towards the next pause.
        await AnswerAsync(await NextGoldItemAsync(), _operator, right: false);
        Assert.Equal(1, await _harness.ReadAsync(db => db.CalibrationPauses.CountAsync()));
    }

    [Fact]
    public async Task TheDashboard_ShowsEachPersonsAccuracyKappaAndPause_ToSeniorsAndTrainersOnly()
    {
        await StrictPolicyAsync();
        for (var i = 0; i < 3; i++)
        {
            await AnswerAsync(await NextGoldItemAsync(), _operator, right: false);
        }

        for (var i = 0; i < 2; i++)
        {
            await AnswerAsync(await NextGoldItemAsync(), _senior, right: true);
        }

        var dashboard = await As(s => s.GetRequiredService<CalibrationQueries>().DashboardAsync(_trainer, 7));
        var refused = await Assert.ThrowsAsync<DomainException>(() => As(s => s.GetRequiredService<CalibrationQueries>().DashboardAsync(_operator)));
        var badDays = await Assert.ThrowsAsync<DomainException>(() => As(s => s.GetRequiredService<CalibrationQueries>().DashboardAsync(_senior, 0)));

        var olivia = dashboard.Operators.Single(o => o.PersonId == _operator.Id);
        var sam = dashboard.Operators.Single(o => o.PersonId == _senior.Id);
        Assert.Equal((3, 0, 0d), (olivia.Answered, olivia.Correct, olivia.AccuracyPercent));
        Assert.Equal((2, 2, 100d), (sam.Answered, sam.Correct, sam.AccuracyPercent));
        Assert.Single(olivia.ActivePauses);
        Assert.Equal(olivia, dashboard.Operators[0]);
        Assert.Equal(_operator.Id, Assert.Single(dashboard.ActivePauses).PersonId);
        Assert.NotEmpty(olivia.Daily);
        Assert.Contains("2 gold items per hour", Assert.Single(dashboard.Policies).Rate, StringComparison.Ordinal);
        Assert.Equal(DomainErrorKind.Forbidden, refused.Kind);
        Assert.Equal((DomainErrorKind.Invalid, "days"), (badDays.Kind, Assert.Single(badDays.FieldErrors!).Key));
        var mine = await As(s => s.GetRequiredService<CalibrationQueries>().MineAsync(_operator));
        Assert.Equal(_operator.Id, Assert.Single(mine).PersonId);
    }
}
