using AgentConsole.Domain;
using AgentConsole.Domain.Agents;
using AgentConsole.Domain.Agents.Pause;
using AgentConsole.Domain.Decisions;
using AgentConsole.Domain.Pipelines;
using AgentConsole.Domain.Policies;
using AgentConsole.Domain.Tenancy;
using AgentConsole.Domain.Training.Calibration;
using AgentConsole.Domain.Training.Scenarios;
using AgentConsole.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AgentConsole.Tests.Integration.Agents;

public sealed class SqliteAgentPauseTests() : AgentPauseTests(TestEngine.Sqlite);

public sealed class PostgreSqlAgentPauseTests() : AgentPauseTests(TestEngine.PostgreSql);

/// <summary>
/// Agent pause on a real database: a senior pauses and resumes with a reason (audited; operators and other tenants refused);
/// a paused agent's proposals go to review or are held as the policy says, held runs are routed once each after the resume,
/// and the circuit breaker pauses an agent at the policy's limit, never below its minimum, leaving gold items out.
/// </summary>
public abstract class AgentPauseTests(TestEngine engine) : IAsyncLifetime
{
    private readonly ManualClock _clock = new(DateTimeOffset.UtcNow);
    private DomainHarness _harness = default!;
    private Actor _senior = default!;
    private Actor _senior2 = default!;
    private Actor _operator = default!;

    public async Task InitializeAsync()
    {
        _harness = await DomainHarness.CreateAsync(configure: s => s.AddSingleton<TimeProvider>(_clock), engine: engine);
        _senior = await _harness.ActorAsync("senior");
        _senior2 = await _harness.ActorAsync("senior2");
        _operator = await _harness.ActorAsync("operator");
    }

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    private async Task<T> As<T>(Func<IServiceProvider, Task<T>> act, Guid? tenantId = null)
    {
        await using var scope = _harness.Scope(tenantId ?? DemoData.ContosoId);
        return await act(scope.ServiceProvider);
    }

    private Task<AgentPauseState> PauseAsync(Actor actor, string? reason = "Proposing discounts against the new price list") =>
        As(s => s.GetRequiredService<AgentPauseService>().PauseAsync("pricing", reason, actor), actor.TenantId);

    private Task<AgentPauseState> ResumeAsync(Actor actor, string? reason = "Price list fixed") =>
        As(s => s.GetRequiredService<AgentPauseService>().ResumeAsync("pricing", reason, actor), actor.TenantId);

    private Task<Agent> PricingAsync() => _harness.WithDbAsync(db => db.Agents.AsNoTracking().SingleAsync(a => a.Key == "pricing"));

    private Task<Guid> PricingPolicyAsync(string pause, string breaker) => PolicyVersions.ActivateAsync(_harness.Services, UseCase.DynamicPricing, document =>
    {
        var at = document.IndexOf("\nagentPause:", StringComparison.Ordinal);
        var end = document.IndexOf("\nmasking:", StringComparison.Ordinal);
        Assert.True(at > 0 && end > at, "The default pricing policy's agentPause and circuitBreaker sections moved: update the test.");
        return document[..at] + "\n" + pause + "\n" + breaker + "\n" + document[end..];
    });

    private static string Breaker(int minDecisions) =>
        $"circuitBreaker:\n  window: 1h\n  minDecisions: {minDecisions}\n  maxOverrideRate: 0.3\n  maxRejectionRate: 0.3\n";

    private const string HoldWhilePaused = "agentPause:\n  whilePaused: hold\n";

    [Fact]
    public async Task Pause_SendsAProposalThatWouldBeAutoApprovedToReview_NamingThePause()
    {
        var before = await _harness.ProposeAsync(TestCases.ConfidentPricing());
        Assert.Equal(DecisionStatus.AutoApproved, before.Status);

        var state = await PauseAsync(_senior);
        Assert.True(state.IsPaused);
        Assert.Equal(_senior.Name, state.PausedBy);

        var during = await _harness.ProposeAsync(TestCases.ConfidentPricing());
        Assert.Equal(DecisionStatus.Pending, during.Status);
        Assert.Equal(DecisionRoute.Review, during.Route);
        Assert.Contains("is paused by", during.RouteReason, StringComparison.Ordinal);
        Assert.Contains("Proposing discounts against the new price list", during.RouteReason, StringComparison.Ordinal);
        Assert.Contains("review at tier 1 by operator", during.RouteReason, StringComparison.Ordinal);
        var queue = await _harness.WithDbAsync(db => db.Queues.SingleAsync(q => q.Id == during.QueueId));
        Assert.Equal(1, queue.Tier);

        var audit = await _harness.WithDbAsync(db => db.AuditEntries.AsNoTracking().SingleAsync(e => e.Action == "agent.paused"));
        Assert.Equal(_senior.Name, audit.ActorName);
        Assert.Equal("Proposing discounts against the new price list", audit.Reason);

        await ResumeAsync(_senior2);
        var after = await _harness.ProposeAsync(TestCases.ConfidentPricing());
        Assert.Equal(DecisionStatus.AutoApproved, after.Status);
        Assert.Single(await _harness.WithDbAsync(db => db.AuditEntries.AsNoTracking().Where(e => e.Action == "agent.resumed").ToListAsync()));
    }

    [Fact]
    public async Task PauseAndResume_RefuseWhatTheStateOrRoleDoesNotAllow()
    {
        var resumeRunning = await Assert.ThrowsAsync<DomainException>(() => ResumeAsync(_senior));
        Assert.Equal((DomainErrorKind.Conflict, "agent.not-paused"), (resumeRunning.Kind, resumeRunning.Code));

        var byOperator = await Assert.ThrowsAsync<DomainException>(() => PauseAsync(_operator));
        Assert.Equal(DomainErrorKind.Forbidden, byOperator.Kind);

        var noReason = await Assert.ThrowsAsync<DomainException>(() => PauseAsync(_senior, "  "));
        Assert.Equal(DomainErrorKind.Invalid, noReason.Kind);
        Assert.True(noReason.FieldErrors.ContainsKey("reason"));

        // Fabrikam's senior cannot reach Contoso's agent: to them it does not exist.
        var fabrikamSenior = Actor.User(Guid.NewGuid(), "Fabrikam Senior", DemoData.FabrikamId, [Roles.SeniorOperator]);
        var otherTenant = await Assert.ThrowsAsync<DomainException>(() => As(
            s => s.GetRequiredService<AgentPauseService>().PauseAsync("pricing", "Not mine", fabrikamSenior), DemoData.ContosoId));
        Assert.Equal(DomainErrorKind.NotFound, otherTenant.Kind);

        await PauseAsync(_senior);
        var twice = await Assert.ThrowsAsync<DomainException>(() => PauseAsync(_senior2, "Also worried"));
        Assert.Equal((DomainErrorKind.Conflict, "agent.already-paused"), (twice.Kind, twice.Code));
        Assert.Contains(_senior.Name, twice.Message, StringComparison.Ordinal);

        var agent = await PricingAsync();
        Assert.True(agent.IsPaused);
        Assert.Equal("Proposing discounts against the new price list", agent.PauseReason);
        Assert.Single(await _harness.WithDbAsync(db => db.AuditEntries.AsNoTracking().Where(e => e.Action == "agent.paused").ToListAsync()));
    }

    [Fact]
    public async Task Hold_KeepsTheProposal_AndTheResumeRoutesEachHeldRunOnce()
    {
        await PricingPolicyAsync(HoldWhilePaused, Breaker(20));
        await PauseAsync(_senior);
        var runId = await _harness.StartRunAsync(TestCases.ConfidentPricing());
        await _harness.RunRecordedJobsAsync();

        var held = await _harness.WithDbAsync(db => db.Runs.AsNoTracking().SingleAsync(r => r.Id == runId));
        Assert.Equal(RunStatus.Held, held.Status);
        Assert.NotNull(held.HeldProposalJson);
        Assert.Contains("held until the agent is resumed", held.HeldReason, StringComparison.Ordinal);
        Assert.False(await _harness.WithDbAsync(db => db.Decisions.AnyAsync(d => d.RunId == runId)));
        var pause = (await As(s => s.GetRequiredService<AgentPauseService>().GetAsync("pricing")))!;
        Assert.Equal((1, WhilePaused.Hold), (pause.HeldRuns, pause.WhilePaused));
        var listed = (await As(s => s.GetRequiredService<AgentQueries>().GetRunAsync(runId, _senior.Roles)))!;
        Assert.Equal(RunStatus.Held, listed.Status);
        Assert.Contains("is paused by", listed.HeldReason, StringComparison.Ordinal);

        // A held run's job running again proposes nothing.
        await As(async s => { await s.GetRequiredService<PipelineService>().ProcessRunAsync(runId); return 0; });
        Assert.False(await _harness.WithDbAsync(db => db.Decisions.AnyAsync(d => d.RunId == runId)));

        // Two seniors resume at once: one wins, the other is told; the held run is handed on once.
        var enqueuedBefore = _harness.Scheduler.Runs.Count(r => r == runId);
        var results = await Task.WhenAll(
            Record(() => ResumeAsync(_senior, "Fixed")), Record(() => ResumeAsync(_senior2, "Also fixed")));
        Assert.Single(results, r => r is null);
        var loser = Assert.Single(results, r => r is not null)!;
        Assert.Equal(DomainErrorKind.Conflict, loser.Kind);
        Assert.Equal(enqueuedBefore + 1, _harness.Scheduler.Runs.Count(r => r == runId));

        await _harness.RunRecordedJobsAsync();
        var decision = await _harness.WithDbAsync(db => db.Decisions.AsNoTracking().SingleAsync(d => d.RunId == runId));
        Assert.Equal(DecisionStatus.AutoApproved, decision.Status);
        var run = await _harness.WithDbAsync(db => db.Runs.AsNoTracking().SingleAsync(r => r.Id == runId));
        Assert.NotEqual(RunStatus.Held, run.Status);
        Assert.Null(run.HeldReason);
        Assert.Equal(1, await _harness.WithDbAsync(db => db.AuditEntries.CountAsync(e => e.Action == "run.released" && e.EntityId == runId.ToString())));
    }

    [Fact]
    public async Task ProposalsRacingAPause_EachEndOnce_NothingLost()
    {
        await PricingPolicyAsync(HoldWhilePaused, Breaker(20));
        var runs = new List<Guid>();
        for (var i = 0; i < 6; i++)
        {
            runs.Add(await _harness.StartRunAsync(TestCases.ConfidentPricing()));
        }

        var processing = runs.Select(id => As(async s => { await s.GetRequiredService<PipelineService>().ProcessRunAsync(id); return 0; })).ToList();
        var pausing = PauseAsync(_senior);
        await Task.WhenAll([.. processing, pausing]);

        var heldDuring = await _harness.WithDbAsync(db => db.Runs.CountAsync(r => r.Status == RunStatus.Held));
        var decidedDuring = await _harness.WithDbAsync(db => db.Decisions.CountAsync(d => runs.Contains(d.RunId)));
        Assert.Equal(runs.Count, heldDuring + decidedDuring);
        // Every decision made before the pause committed was auto-approved; none made after it.
        var pausedAt = (await PricingAsync()).PausedAt!.Value;
        Assert.All(await _harness.WithDbAsync(db => db.Decisions.AsNoTracking().Where(d => runs.Contains(d.RunId)).ToListAsync()),
            d => Assert.Equal(DecisionStatus.AutoApproved, d.Status));

        await ResumeAsync(_senior);
        await _harness.RunRecordedJobsAsync();
        foreach (var id in runs)
        {
            Assert.Equal(1, await _harness.WithDbAsync(db => db.Decisions.CountAsync(d => d.RunId == id)));
        }

        Assert.Equal(0, await _harness.WithDbAsync(db => db.Runs.CountAsync(r => r.Status == RunStatus.Held)));
        Assert.True(pausedAt <= _clock.GetUtcNow());
    }

    [Fact]
    public async Task Breaker_PausesAtTheLimit_NotBelowTheMinimum_AndTellsTheSeniors()
    {
        await PricingPolicyAsync("agentPause:\n  whilePaused: review\n", Breaker(5));
        var events = new List<AgentPauseEvent>();
        using var subscription = _harness.Services.GetRequiredService<AgentPauseEvents>().Subscribe(e =>
        {
            lock (events)
            {
                events.Add(e);
            }

            return Task.CompletedTask;
        });

        var decisions = new List<Decision>();
        for (var i = 0; i < 5; i++)
        {
            decisions.Add(await _harness.ProposeAsync(TestCases.UncertainPricing($"Customer {i} GmbH")));
        }

        // Two overrides and two approvals: 50 % overridden, but only 4 resolved (minimum 5): the agent keeps running.
        await ResolveAsync(decisions[0], overrideIt: true);
        await ResolveAsync(decisions[1], overrideIt: true);
        await ResolveAsync(decisions[2], overrideIt: false);
        await ResolveAsync(decisions[3], overrideIt: false);
        Assert.False((await PricingAsync()).IsPaused);
        Assert.Empty(events);

        // The fifth: 2 of 5 overridden (40 %), above 30 %.
        await ResolveAsync(decisions[4], overrideIt: false);
        var agent = await PricingAsync();
        Assert.True(agent.IsPaused);
        Assert.True(agent.PausedByBreaker);
        Assert.Equal("circuit breaker", agent.PausedByName);
        Assert.Equal("overrides 2 of 5 (40%) in the last hour, above the policy's 30%", agent.PauseReason);
        var audit = await _harness.WithDbAsync(db => db.AuditEntries.AsNoTracking().SingleAsync(e => e.Action == "agent.paused-by-breaker"));
        Assert.Equal("circuit breaker", audit.ActorName);
        var alert = Assert.Single(events);
        Assert.True(alert.Paused && alert.ByBreaker);
        Assert.Single(await As(s => s.GetRequiredService<AgentPauseService>().TrippedAsync()));

        // A senior's resume clears the alert; an hour later the old resolutions no longer count.
        await ResumeAsync(_senior, "Checked the overrides: a one-off");
        Assert.Empty(await As(s => s.GetRequiredService<AgentPauseService>().TrippedAsync()));
        _clock.Advance(TimeSpan.FromMinutes(61));
        var figures = await _harness.WithDbAsync(db => CircuitBreaker.FiguresAsync(db, agent.Id, _clock.GetUtcNow() - TimeSpan.FromHours(1), default));
        Assert.Equal(0, figures.Resolved);
    }

    [Fact]
    public async Task Breaker_LeavesGoldItemsOut()
    {
        await PricingPolicyAsync("agentPause:\n  whilePaused: review\n", Breaker(3));
        var decisions = new List<Decision>();
        for (var i = 0; i < 4; i++)
        {
            decisions.Add(await _harness.ProposeAsync(TestCases.UncertainPricing($"Gold {i} GmbH")));
        }

        // Two of them are calibration gold items: not the agent's work.
        await _harness.WithDbAsync(async db =>
        {
            foreach (var (d, slot) in decisions.Take(2).Select((d, i) => (d, i)))
            {
                db.GoldItems.Add(new GoldItem(Guid.NewGuid(), d.TenantId, d.Id, UseCase.DynamicPricing, d.QueueId!.Value, _clock.GetUtcNow().AddMinutes(-30 * (slot + 1)),
                    CalibrationSource.Generated, null, GoldAction.Approve, null, "Known answer", d.PolicyVersionId, _clock.GetUtcNow()));
            }

            return await db.SaveChangesAsync();
        });

        // Gold items are scored, never counted: overriding both does not trip the breaker...
        await ResolveAsync(decisions[0], overrideIt: true);
        await ResolveAsync(decisions[1], overrideIt: true);
        await ResolveAsync(decisions[2], overrideIt: false);
        await ResolveAsync(decisions[3], overrideIt: false);
        var agent = await PricingAsync();
        Assert.False(agent.IsPaused);
        var figures = await _harness.WithDbAsync(db => CircuitBreaker.FiguresAsync(db, agent.Id, _clock.GetUtcNow() - TimeSpan.FromHours(1), default));
        Assert.Equal(new BreakerFigures(2, 0, 0), figures);
    }

    private async Task ResolveAsync(Decision decision, bool overrideIt)
    {
        await As(async s =>
        {
            var service = s.GetRequiredService<DecisionService>();
            await service.ClaimAsync(decision.Id, _operator);
            return overrideIt
                ? await service.OverrideAsync(decision.Id, _operator, new Dictionary<string, string?> { ["discountPercent"] = "0.5" }, "Too generous")
                : await service.ApproveAsync(decision.Id, _operator, "Within policy");
        });
    }

    private static async Task<DomainException?> Record(Func<Task> act)
    {
        try
        {
            await act();
            return null;
        }
        catch (DomainException ex)
        {
            return ex;
        }
    }
}
