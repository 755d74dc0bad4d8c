using System.Diagnostics;
using System.Text.Json.Nodes;
using AgentConsole.Domain.Agents;
using AgentConsole.Domain.Agents.BuiltIn;
using AgentConsole.Domain.Decisions;
using AgentConsole.Domain.Pipelines;
using AgentConsole.Domain.Policies;
using AgentConsole.Domain.Tenancy;
using AgentConsole.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace AgentConsole.Tests.Integration.Tenancy;

/// <summary>
/// The live demo on a real SQLite database with an accelerated clock: the feed and its per-queue caps, the demo
/// colleagues who keep the queues moving, and the people they always give way to.
/// </summary>
public sealed class LiveDemoTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly Guid Contoso = DemoData.ContosoId;
    private readonly ManualClock _clock = new(new DateTimeOffset(2026, 11, 24, 8, 0, 0, TimeSpan.Zero));
    private readonly SyntheticCaseGenerator _cases = new(new Random(20261124));
    private DomainHarness _harness = default!;

    // A busier feed than shipped per tick (ticks here are ten times as long), so even the quietest tier-1 queue gets several items an hour.
    public async Task InitializeAsync() =>
        _harness = await DomainHarness.CreateAsync(new Dictionary<string, string?> { ["Demo:CasesPerTick"] = "6" }, s => s.AddSingleton<TimeProvider>(_clock));

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    private DemoOptions Options => _harness.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<DemoOptions>>().Value;

    [Fact]
    public async Task LeftAloneForHours_EveryQueueKeepsMoving_AndNoneFreezesAtItsCap()
    {
        var watch = Stopwatch.StartNew();
        var hours = TimeSpan.FromHours(3);
        var tick = TimeSpan.FromSeconds(60);
        var queues = await _harness.WithDbAsync(db => db.Queues.AsNoTracking().ToListAsync());
        var highest = queues.ToDictionary(q => q.Id, _ => 0);

        for (var elapsed = TimeSpan.Zero; elapsed < hours; elapsed += tick)
        {
            await _harness.Services.GetRequiredService<LiveDemo>().TickAsync(Contoso);
            await _harness.RunRecordedJobsAsync();
            foreach (var (queueId, open) in await OpenPerQueueAsync())
            {
                highest[queueId] = Math.Max(highest[queueId], open);
            }

            _clock.Advance(tick);
        }

        var lastHour = _clock.GetUtcNow().AddHours(-1);
        var arrivals = await ArrivalsSinceAsync(lastHour);
        var openNow = await OpenPerQueueAsync();
        var resolved = await _harness.WithDbAsync(db => db.Decisions.AsNoTracking()
            .Where(d => d.QueueId != null && d.ResolvedAt >= lastHour && d.ResolvedById != null && d.ResolvedById.StartsWith(DemoColleagues.IdPrefix))
            .GroupBy(d => d.QueueId!.Value).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count));
        foreach (var q in queues.OrderBy(q => q.Key))
        {
            output.WriteLine($"{q.Key,-14} arrived in the last hour {arrivals.GetValueOrDefault(q.Id),3} · open now {openNow.GetValueOrDefault(q.Id),2} · highest {highest[q.Id],2} · resolved there by colleagues {resolved.GetValueOrDefault(q.Id),3}");
        }

        output.WriteLine($"{hours.TotalHours} simulated hours in {watch.Elapsed.TotalSeconds:0.0} s");
        Assert.All(queues.Where(q => q.Tier == 1), q => Assert.True(arrivals.GetValueOrDefault(q.Id) > 0, $"{q.Key} received nothing in the last hour"));
        Assert.All(queues, q => Assert.True(resolved.GetValueOrDefault(q.Id) > 0, $"nobody worked {q.Key} in the last hour"));
        Assert.All(queues, q => Assert.True(highest[q.Id] <= Options.MaxOpenPerQueue, $"{q.Key} reached {highest[q.Id]} open decisions"));
        Assert.All(queues, q => Assert.True(openNow.GetValueOrDefault(q.Id) < Options.MaxOpenPerQueue, $"{q.Key} is stuck at its cap"));
    }

    [Fact]
    public async Task Feed_LeavesOutOnlyTheAgentWhoseQueueIsAtItsCap()
    {
        for (var i = 0; i < 3; i++)
        {
            await _harness.ProposeAsync(TestCases.UncertainPricing($"Waiting Customer {i} AB"));
        }

        var pricing = await _harness.WithDbAsync(db => db.Agents.AsNoTracking().SingleAsync(a => a.Key == "pricing"));

        var whenFull = await FedAgentsAsync(maxOpenPerQueue: 3);
        var withRoom = await FedAgentsAsync(maxOpenPerQueue: 4);

        Assert.DoesNotContain(pricing.Id, whenFull);
        Assert.Equal(3, whenFull.Count);
        Assert.Contains(pricing.Id, withRoom);
    }

    [Fact]
    public async Task Colleagues_NeverTouchAnItemAPersonHasClaimed()
    {
        var held = await _harness.ProposeAsync(TestCases.UncertainPricing("Held By Olivia AB"));
        var other = await _harness.ProposeAsync(TestCases.UncertainPricing("Left Waiting AB"));
        var olivia = await _harness.ActorAsync("operator");
        await Decisions(d => d.ClaimAsync(held.Id, olivia));

        // Long after Olivia last touched the queue, colleagues work it again, around her item.
        _clock.Advance(TimeSpan.FromMinutes(10));
        await ColleaguesForAsync(TimeSpan.FromMinutes(8));

        var stillHers = await LoadAsync(held.Id);
        Assert.Equal((DecisionStatus.InReview, olivia.Id), (stillHers.Status, stillHers.ClaimedById));
        Assert.DoesNotContain(stillHers.Reviews, r => DemoColleagues.IsColleague(r.ActorId));
        Assert.False((await LoadAsync(other.Id)).Status.IsOpen());
    }

    [Fact]
    public async Task Colleagues_LeaveAQueueAlone_WhileAPersonWorksIt()
    {
        var hers = await _harness.ProposeAsync(TestCases.UncertainPricing("Decided By Olivia AB"));
        var next = await _harness.ProposeAsync(TestCases.UncertainPricing("Next In Line AB"));
        var elsewhere = await WaitingInAsync("invoices-t1");
        var olivia = await _harness.ActorAsync("operator");
        _clock.Advance(TimeSpan.FromMinutes(3));
        await Decisions(d => d.ClaimAsync(hers.Id, olivia));
        await Decisions(d => d.ApproveAsync(hers.Id, olivia, "Fine."));

        _clock.Advance(TimeSpan.FromMinutes(1));
        await ColleaguesAsync();

        Assert.Equal(DecisionStatus.Pending, (await LoadAsync(next.Id)).Status);
        Assert.True(DemoColleagues.IsColleague((await LoadAsync(elsewhere.Id)).ClaimedById));

        _clock.Advance(TimeSpan.FromMinutes(Options.ColleaguesYieldMinutes));
        await ColleaguesAsync();

        Assert.True(DemoColleagues.IsColleague((await LoadAsync(next.Id)).ClaimedById), "colleagues take the queue up again once she has left it");
    }

    [Fact]
    public async Task APersonWhoClaimsAtTheSameMoment_Wins_AndTheColleaguesClaimChangesNothing()
    {
        var first = await _harness.ProposeAsync(TestCases.UncertainPricing("First Waiting AB"));
        var second = await _harness.ProposeAsync(TestCases.UncertainPricing("Second Waiting AB"));
        var olivia = await _harness.ActorAsync("operator");
        _clock.Advance(TimeSpan.FromMinutes(3));
        Guid? hers = null;

        // The colleagues have read the queue; as the first of them claims, Olivia claims the other item.
        using (WhenAColleagueFirst(e => e.Kind == DecisionEventKind.Claimed, async e =>
        {
            hers = e.DecisionId == first.Id ? second.Id : first.Id;
            await Decisions(d => d.ClaimAsync(hers.Value, olivia));
        }))
        {
            Assert.Equal(1, await ColleaguesAsync());
        }

        var decision = await LoadAsync(hers!.Value);
        Assert.Equal((DecisionStatus.InReview, olivia.Id), (decision.Status, decision.ClaimedById));
        Assert.Equal([olivia.Id], decision.Reviews.Select(r => r.ActorId));
        Assert.Equal(0, await ColleagueAuditEntriesAsync(decision.Id));
    }

    [Fact]
    public async Task APersonWhoReleasesAColleaguesItemAtTheSameMoment_Wins_AndTheColleaguesVerdictChangesNothing()
    {
        var first = await _harness.ProposeAsync(TestCases.UncertainPricing("First Claimed AB"));
        var second = await _harness.ProposeAsync(TestCases.UncertainPricing("Second Claimed AB"));
        var sam = await _harness.ActorAsync("senior");
        _clock.Advance(TimeSpan.FromMinutes(3));
        Assert.Equal(2, await ColleaguesAsync());
        _clock.Advance(TimeSpan.FromMinutes(2));
        Guid? released = null;

        // As the first colleague decides, Sam (a senior operator) takes the other item back to the queue.
        using (WhenAColleagueFirst(e => e.Kind != DecisionEventKind.Claimed, async e =>
        {
            released = e.DecisionId == first.Id ? second.Id : first.Id;
            await Decisions(d => d.ReleaseAsync(released.Value, sam, "I will take this one."));
        }))
        {
            await ColleaguesAsync();
        }

        var decision = await LoadAsync(released!.Value);
        Assert.Equal(DecisionStatus.Pending, decision.Status);
        Assert.Equal([ReviewAction.Claimed, ReviewAction.Released], decision.Reviews.OrderBy(r => r.At).Select(r => r.Action));
        Assert.Equal(sam.Id, decision.Reviews.Single(r => r.Action == ReviewAction.Released).ActorId);
    }

    [Fact]
    public async Task Colleagues_RespectFourEyes_AndTheRoleThePolicyAsksFor()
    {
        await ActivatePricingPolicyAsync(
            ("riskRules:\n", "riskRules:\n  - id: four-eyes-test\n    when: inputs.customer == 'Four Eyes AB'\n    then: review\n    tier: 2\n    raiseRiskTo: critical\n"),
            ("low:      { tier: 1, role: Operator }", "low:      { tier: 1, role: SeniorOperator }"),
            ("medium:   { tier: 1, role: Operator }", "medium:   { tier: 1, role: SeniorOperator }"));
        var fourEyes = new List<Guid>();
        var seniorsOnly = new List<Guid>();
        for (var i = 0; i < 3; i++)
        {
            fourEyes.Add((await _harness.ProposeAsync(TestCases.UncertainPricing("Four Eyes AB"))).Id);
            seniorsOnly.Add((await _harness.ProposeAsync(TestCases.UncertainPricing($"Seniors Only {i} GmbH"))).Id);
        }

        _clock.Advance(TimeSpan.FromMinutes(3));
        await ColleaguesForAsync(TimeSpan.FromMinutes(20));

        var seniors = DemoColleagues.Of(Contoso).Where(c => c.IsInRole(Roles.SeniorOperator)).Select(c => c.Id).ToHashSet();
        var decided = new[] { ReviewAction.Approved, ReviewAction.Overridden, ReviewAction.Rejected };
        foreach (var id in fourEyes.Concat(seniorsOnly))
        {
            var decision = await LoadAsync(id);
            Assert.False(decision.Status.IsOpen(), "the colleagues kept it moving");
            Assert.All(decision.Reviews.Where(r => decided.Contains(r.Action)), r => Assert.Contains(r.ActorId, seniors));
        }

        foreach (var id in fourEyes)
        {
            var decision = await LoadAsync(id);
            Assert.Contains(decision.Status, new[] { DecisionStatus.Approved, DecisionStatus.Rejected });
            if (decision.NeedsSeniorDecision)
            {
                // The two disagreed in the top tier: a third senior, who gave neither verdict, decided it.
                Assert.Equal((1, 1), (decision.Approvers.Count, decision.Rejecters.Count));
                Assert.False(decision.GaveVerdict(decision.ResolvedById!));
            }
            else
            {
                // Every verdict counts: two different colleagues agreed.
                var verdicts = decision.Status == DecisionStatus.Approved ? decision.Approvers : decision.Rejecters;
                Assert.Equal(2, verdicts.Distinct().Count());
            }
        }
    }

    [Fact]
    public async Task Colleagues_DecideATopTierDisagreement_AsASeniorWhoGaveNeitherVerdict_AndNeverGiveTwoVerdicts()
    {
        await ActivatePricingPolicyAsync(
            ("riskRules:\n", "riskRules:\n  - id: four-eyes-test\n    when: inputs.customer == 'Split Seniors AB'\n    then: review\n    tier: 2\n    raiseRiskTo: critical\n"));
        var decision = await _harness.ProposeAsync(TestCases.UncertainPricing("Split Seniors AB"));
        var seniors = DemoColleagues.Of(Contoso).Where(c => c.IsInRole(Roles.SeniorOperator)).ToList();
        await Decisions(d => d.ApproveAsync(decision.Id, seniors[0], "Fine by me"));
        var split = await Decisions(d => d.RejectAsync(decision.Id, seniors[1], "Not at this price"));
        Assert.True(split.NeedsSeniorDecision);

        _clock.Advance(TimeSpan.FromMinutes(3));
        await ColleaguesForAsync(TimeSpan.FromMinutes(20));

        var decided = await LoadAsync(decision.Id);
        Assert.Contains(decided.Status, new[] { DecisionStatus.Approved, DecisionStatus.Rejected });
        Assert.DoesNotContain(decided.ResolvedById, new[] { seniors[0].Id, seniors[1].Id });
        Assert.Contains(decided.ResolvedById, seniors.Select(c => c.Id));
        var verdicts = decided.Reviews.Where(r => r.Action is ReviewAction.Approved or ReviewAction.Rejected).Select(r => r.ActorId).ToList();
        Assert.Equal(verdicts.Count, verdicts.Distinct().Count());
    }

    private async Task<int> ColleaguesAsync()
    {
        await using var scope = _harness.Scope(Contoso);
        var acted = await scope.ServiceProvider.GetRequiredService<DemoColleagues>().TickAsync();
        await _harness.RunRecordedJobsAsync();
        return acted;
    }

    /// <summary>Colleagues' ticks every 30 simulated seconds.</summary>
    private async Task ColleaguesForAsync(TimeSpan duration)
    {
        for (var elapsed = TimeSpan.Zero; elapsed < duration; elapsed += TimeSpan.FromSeconds(30))
        {
            await ColleaguesAsync();
            _clock.Advance(TimeSpan.FromSeconds(30));
        }
    }

    /// <summary>Runs <paramref name="then"/> once, inside the first colleague action that <paramref name="matches"/>: mid-tick, after the colleagues read the queue.</summary>
    private IDisposable WhenAColleagueFirst(Func<DecisionEvent, bool> matches, Func<DecisionEvent, Task> then)
    {
        var done = 0;
        return _harness.Services.GetRequiredService<DecisionEventBus>().Subscribe(async e =>
        {
            if (matches(e) && e.ActorName!.EndsWith("(demo colleague)", StringComparison.Ordinal) && Interlocked.Exchange(ref done, 1) == 0)
            {
                await then(e);
            }
        });
    }

    private async Task<T> Decisions<T>(Func<DecisionService, Task<T>> act)
    {
        await using var scope = _harness.Scope(Contoso);
        return await act(scope.ServiceProvider.GetRequiredService<DecisionService>());
    }

    private Task<Decision> LoadAsync(Guid id) =>
        _harness.WithDbAsync(db => db.Decisions.AsNoTracking().Include(d => d.Reviews).SingleAsync(d => d.Id == id));

    private Task<int> ColleagueAuditEntriesAsync(Guid decisionId) =>
        _harness.WithDbAsync(db => db.AuditEntries.CountAsync(a => a.EntityId == decisionId.ToString() && a.ActorId.StartsWith(DemoColleagues.IdPrefix)));

    /// <summary>Synthetic cases for the queue's agent until one is routed to that queue.</summary>
    private async Task<Decision> WaitingInAsync(string queueKey)
    {
        var agentKey = queueKey[..queueKey.LastIndexOf('-')];
        var agent = await _harness.WithDbAsync(db => db.Agents.AsNoTracking().SingleAsync(a => a.Key == agentKey));
        for (var i = 0; i < 100; i++)
        {
            var c = _cases.Next(agent.UseCase);
            var decision = await _harness.ProposeAsync((c.Subject, c.Inputs, c.Truth), agentKey);
            if (decision.QueueId == DemoData.QueueId(Contoso, queueKey))
            {
                return decision;
            }
        }

        throw new InvalidOperationException($"No synthetic case was routed to {queueKey}.");
    }

    private async Task<List<Guid>> FedAgentsAsync(int maxOpenPerQueue)
    {
        IReadOnlyList<Guid> runs;
        await using (var scope = _harness.Scope(Contoso))
        {
            runs = await scope.ServiceProvider.GetRequiredService<CaseFeed>().FeedAsync(40, maxOpenPerQueue);
        }

        Assert.Equal(40, runs.Count);
        return await _harness.WithDbAsync(db => db.Runs.AsNoTracking().Where(r => runs.Contains(r.Id)).Select(r => r.AgentId).Distinct().ToListAsync());
    }

    private Task<Dictionary<Guid, int>> OpenPerQueueAsync() =>
        _harness.WithDbAsync(db => db.Decisions.AsNoTracking()
            .Where(d => d.QueueId != null && (d.Status == DecisionStatus.Pending || d.Status == DecisionStatus.InReview || d.Status == DecisionStatus.Escalated))
            .GroupBy(d => d.QueueId!.Value).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count));

    /// <summary>Decisions the agents proposed into each of the demo tenant's queues since then, from the audit trail.</summary>
    private async Task<Dictionary<Guid, int>> ArrivalsSinceAsync(DateTimeOffset since)
    {
        var proposed = await _harness.WithDbAsync(db => db.AuditEntries.AsNoTracking()
            .Where(a => a.Action == "decision.proposed" && a.At >= since).Select(a => a.AfterJson).ToListAsync());
        return proposed.Select(json => JsonNode.Parse(json!)!["queueId"]?.GetValue<string>()).OfType<string>()
            .GroupBy(Guid.Parse).ToDictionary(g => g.Key, g => g.Count());
    }

    /// <summary>Puts a new pricing policy in force: the default one, edited.</summary>
    private async Task ActivatePricingPolicyAsync(params (string From, string To)[] edits)
    {
        var author = await _harness.ActorAsync("author");
        await using var scope = _harness.Scope(Contoso);
        var policies = scope.ServiceProvider.GetRequiredService<PolicyService>();
        var pricing = await _harness.WithDbAsync(db => db.PolicyScopes.AsNoTracking().SingleAsync(s => s.Kind == PolicyScopeKind.UseCase && s.Key == nameof(UseCase.DynamicPricing)));
        var draft = await policies.CreateDraftAsync(author, pricing.Id);
        var document = draft.Document;
        foreach (var (from, to) in edits)
        {
            Assert.Contains(from, document, StringComparison.Ordinal);
            document = document.Replace(from, to, StringComparison.Ordinal);
        }

        await policies.SaveDraftAsync(author, draft.Id, document, "Seniors decide pricing; four eyes for one customer.");
        await policies.SubmitAsync(author, draft.Id, null);
        await policies.ApproveAsync(await _harness.ActorAsync("board1"), draft.Id, null);
        await policies.ApproveAsync(await _harness.ActorAsync("board2"), draft.Id, null);
    }
}
