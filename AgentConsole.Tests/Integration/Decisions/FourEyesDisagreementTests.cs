using AgentConsole.Domain;
using AgentConsole.Domain.Decisions;
using AgentConsole.Domain.Tenancy;
using AgentConsole.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AgentConsole.Tests.Integration.Decisions;

public sealed class SqliteFourEyesDisagreementTests() : FourEyesDisagreementTests(TestEngine.Sqlite);

public sealed class PostgreSqlFourEyesDisagreementTests() : FourEyesDisagreementTests(TestEngine.PostgreSql);

/// <summary>
/// Four-eyes disagreement through <see cref="DecisionService"/> on a real database: a rejection is one verdict among
/// those needed and as blind as an approval; reviewers who disagree send the decision to the seniors' queue with both
/// verdicts attached (audited as the system, one live event), where a new blind round starts; seniors who disagree in
/// the top tier leave it for a third senior; two final verdicts at once have one winner.
/// </summary>
public abstract class FourEyesDisagreementTests(TestEngine engine) : IAsyncLifetime
{
    private DomainHarness _harness = default!;
    private Actor _olivia = default!;
    private Actor _omar = default!;
    private Actor _sam = default!;
    private Actor _sienna = default!;
    private Actor _auditor = default!;

    public async Task InitializeAsync()
    {
        _harness = await DomainHarness.CreateAsync(engine: engine);
        _olivia = await _harness.ActorAsync("operator");
        _omar = await _harness.ActorAsync("operator2");
        _sam = await _harness.ActorAsync("senior");
        _sienna = await _harness.ActorAsync("senior2");
        _auditor = await _harness.ActorAsync("auditor");
    }

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    private async Task<T> As<T>(Func<IServiceProvider, Task<T>> act)
    {
        await using var scope = _harness.Scope(DemoData.ContosoId);
        return await act(scope.ServiceProvider);
    }

    private Task<Decision> Act(Func<DecisionService, Task<Decision>> act) => As(s => act(s.GetRequiredService<DecisionService>()));

    private Task<DecisionDetail> SeenBy(Guid id, Actor viewer) => As(async s => (await s.GetRequiredService<DecisionQueries>().GetForAsync(id, viewer))!);

    private async Task<Decision> FourEyesAsync(string customer)
    {
        var decision = await _harness.ProposeAsync(TestCases.UncertainPricing(customer));
        await _harness.WithDbAsync(db => db.Decisions.Where(d => d.Id == decision.Id).ExecuteUpdateAsync(s => s.SetProperty(d => d.ReviewersRequired, 2)));
        return await _harness.ReadAsync(db => db.Decisions.AsNoTracking().SingleAsync(d => d.Id == decision.Id));
    }

    private Task<List<Domain.Audit.AuditEntry>> AuditAsync(Guid id) =>
        _harness.ReadAsync(db => db.AuditEntries.AsNoTracking().Where(a => a.EntityType == "decision" && a.EntityId == id.ToString()).OrderBy(a => a.Id).ToListAsync());

    private async Task<List<DecisionEvent>> RecordingEventsAsync(Func<Task> act)
    {
        var published = new List<DecisionEvent>();
        using (_harness.Services.GetRequiredService<DecisionEventBus>().Subscribe(e =>
        {
            lock (published)
            {
                published.Add(e);
            }

            return Task.CompletedTask;
        }))
        {
            await act();
        }

        return published;
    }

    [Fact]
    public async Task ARejection_IsOneOfTheVerdicts_AndAsBlindAsAnApproval()
    {
        var decision = await FourEyesAsync("Blind Rejection AB");

        var published = await RecordingEventsAsync(() => Act(s => s.RejectAsync(decision.Id, _olivia, "The gap does not justify it")));

        var stored = await _harness.ReadAsync(db => db.Decisions.AsNoTracking().SingleAsync(d => d.Id == decision.Id));
        Assert.Equal((DecisionStatus.Pending, 1), (stored.Status, stored.VerdictsGiven));
        var live = Assert.Single(published, e => e.DecisionId == decision.Id);
        Assert.Equal((DecisionEventKind.Released, "a reviewer"), (live.Kind, live.ActorName));
        var recorded = Assert.Single(await AuditAsync(decision.Id), a => a.Action == Decision.RejectionRecordedAction);
        Assert.Equal(_olivia.Name, recorded.ActorName);

        // Omar has not given his verdict: the page, the list row and the lineage show nothing of Olivia's.
        var omarSees = await SeenBy(decision.Id, _omar);
        Assert.DoesNotContain(omarSees.Reviews, r => r.Action == ReviewAction.Rejected);
        Assert.Single(omarSees.Audit, e => e.Action == DecisionQueries.HiddenVerdictAction);
        Assert.DoesNotContain(omarSees.Audit, e => e.ActorName == _olivia.Name || (e.Reason ?? "").Contains("gap", StringComparison.Ordinal));
        Assert.Empty(omarSees.RoundVerdicts);
        var rows = await As(s => s.GetRequiredService<DecisionQueries>().ListOpenAsync(decision.QueueId!.Value, new DecisionFilter(), _omar.Roles));
        var row = Assert.Single(DecisionQueries.BlindFor(_omar, rows), r => r.Id == decision.Id);
        Assert.True(row.VerdictsHidden);
        Assert.Equal((null, null, 0), (row.ApproverIdsCsv, row.RejecterIdsCsv, row.Verdicts));
        var lineage = (await As(s => s.GetRequiredService<DecisionLineageQueries>().GetAsync(decision.Id, _omar)))!;
        Assert.DoesNotContain(lineage.Records, r => r.Action == Decision.RejectionRecordedAction);
        Assert.DoesNotContain(lineage.Reviews, r => r.ActorName == _olivia.Name);

        // Olivia sees her own; an auditor sees everything.
        Assert.Equal(ReviewAction.Rejected, Assert.Single((await SeenBy(decision.Id, _olivia)).RoundVerdicts).Action);
        Assert.False(DecisionQueries.BlindFor(_olivia, rows).Single(r => r.Id == decision.Id).VerdictsHidden);
        Assert.Contains((await SeenBy(decision.Id, _auditor)).Audit, e => e.Action == Decision.RejectionRecordedAction && e.ActorName == _olivia.Name);

        // Omar rejects too: rejected, and no one is blind any more.
        var rejected = await Act(s => s.RejectAsync(decision.Id, _omar, "Agreed"));
        Assert.Equal((DecisionStatus.Rejected, _omar.Name), (rejected.Status, rejected.ResolvedByName));
        Assert.Contains((await SeenBy(decision.Id, _sam)).Audit, e => e.Action == Decision.RejectionRecordedAction && e.ActorName == _olivia.Name);
    }

    [Fact]
    public async Task AReviewerCannotGiveTwoVerdicts_AndNothingChanges()
    {
        var decision = await FourEyesAsync("Twice Ltd");
        var approved = await Act(s => s.ApproveAsync(decision.Id, _olivia, "Fine"));

        var error = await Assert.ThrowsAsync<DomainException>(() => Act(s => s.RejectAsync(decision.Id, _olivia, "On second thought")));

        Assert.Equal((DomainErrorKind.Conflict, "decision.already-approved"), (error.Kind, error.Code));
        var after = await _harness.ReadAsync(db => db.Decisions.AsNoTracking().SingleAsync(d => d.Id == decision.Id));
        Assert.Equal((approved.Version, 1, (string?)null), (after.Version, after.VerdictsGiven, after.RejecterIdsCsv));
    }

    [Fact]
    public async Task Disagreement_GoesToTheSeniorsWithBothVerdicts_WhoDecideAfresh_AndInTheTopTierAThirdSeniorDecides()
    {
        var decision = await FourEyesAsync("Split Verdict GmbH");
        var tier1 = decision.QueueId!.Value;
        await Act(s => s.ApproveAsync(decision.Id, _olivia, "Within the margin floor"));

        Decision escalated = default!;
        var published = await RecordingEventsAsync(async () => escalated = await Act(s => s.RejectAsync(decision.Id, _omar, "The competitor gap is too small")));

        var seniors = DemoData.QueueId(DemoData.ContosoId, "pricing-t2");
        Assert.Equal((DecisionStatus.Escalated, seniors, 1), (escalated.Status, escalated.QueueId, escalated.EscalationLevel));
        Assert.NotNull(escalated.ReviewersDisagreedAt);
        Assert.Equal(0, escalated.VerdictsGiven);

        // One live event: the system's escalation, naming no reviewer.
        var live = Assert.Single(published, e => e.DecisionId == decision.Id);
        Assert.Equal((DecisionEventKind.Escalated, DecisionService.FourEyesActorName, seniors, (Guid?)tier1), (live.Kind, live.ActorName, live.QueueId, live.PreviousQueueId));

        // Audited: both verdicts as the reviewers gave them, then the system's step with both in its reason.
        var audit = await AuditAsync(decision.Id);
        Assert.Equal([Decision.ApprovalRecordedAction, Decision.RejectionRecordedAction, Decision.FourEyesDisagreedAction],
            audit.Where(a => a.Action != "decision.proposed").Select(a => a.Action));
        var disagreed = audit.Last();
        Assert.Equal((ActorKind.System, DecisionService.FourEyesActorName), (disagreed.ActorKind, disagreed.ActorName));
        Assert.Equal(
            "Four-eyes reviewers disagreed: Olivia Operator approved (\"Within the margin floor\"), Omar Operator rejected (\"The competitor gap is too small\"). Escalated to Dynamic pricing — seniors, which decides afresh.",
            disagreed.Reason);

        // The seniors see both verdicts (the evidence attached), and decide in a new blind round.
        var samSees = await SeenBy(decision.Id, _sam);
        var attached = Assert.Single(samSees.Disagreements);
        Assert.Equal((tier1, (Guid?)seniors), (attached.FromQueueId!.Value, attached.ToQueueId));
        Assert.Equal([(_olivia.Name, "approve", "Within the margin floor"), (_omar.Name, "reject", "The competitor gap is too small")],
            attached.Verdicts.Select(v => (v.Reviewer, v.Verdict, v.Reason)));
        Assert.Contains(samSees.Audit, e => e.Action == Decision.ApprovalRecordedAction && e.ActorName == _olivia.Name);
        Assert.True(samSees.Decision.HidesVerdictsFrom(_sam));
        var rows = await As(s => s.GetRequiredService<DecisionQueries>().ListOpenAsync(seniors, new DecisionFilter(), _sam.Roles));
        Assert.NotNull(Assert.Single(rows, r => r.Id == decision.Id).ReviewersDisagreedAt);

        await Act(s => s.RejectAsync(decision.Id, _sam, "The floor is the floor"));
        var siennaSees = await SeenBy(decision.Id, _sienna);
        Assert.Single(siennaSees.Audit, e => e.Action == DecisionQueries.HiddenVerdictAction);
        Assert.Contains(siennaSees.Audit, e => e.Action == Decision.RejectionRecordedAction && e.ActorName == _omar.Name);
        Assert.DoesNotContain(siennaSees.Audit, e => e.ActorName == _sam.Name);
        var siennasLineage = (await As(s => s.GetRequiredService<DecisionLineageQueries>().GetAsync(decision.Id, _sienna)))!;
        Assert.Contains(siennasLineage.Reviews, r => r.Kind == LineageStepKind.ReviewersDisagreed);
        Assert.Contains(siennasLineage.Reviews, r => r.Kind == LineageStepKind.RejectionRecorded && r.ActorName == _omar.Name);
        Assert.DoesNotContain(siennasLineage.Reviews, r => r.ActorName == _sam.Name);

        // The seniors disagree too, in the top tier: it stays there for a senior who gave neither verdict.
        var published2 = await RecordingEventsAsync(async () => escalated = await Act(s => s.ApproveAsync(decision.Id, _sienna, "The deal is strategic")));
        Assert.Equal((DecisionStatus.Escalated, seniors, true), (escalated.Status, escalated.QueueId, escalated.NeedsSeniorDecision));
        var live2 = Assert.Single(published2, e => e.DecisionId == decision.Id);
        Assert.Equal((DecisionEventKind.Released, DecisionService.FourEyesActorName), (live2.Kind, live2.ActorName));
        var refused = await Assert.ThrowsAsync<DomainException>(() => Act(s => s.ApproveAsync(decision.Id, _sam, "Still no")));
        Assert.Equal("decision.gave-disagreeing-verdict", refused.Code);
        // Nor can a supervisor give it to one of them, or to an operator.
        var candidates = await As(s => s.GetRequiredService<Domain.Queues.Leases.Assignments>().CandidatesAsync(decision.Id, _sam));
        Assert.DoesNotContain(candidates, c => c.Name == _sam.Name || c.Name == _sienna.Name || c.Name == _olivia.Name);
        var helen = DemoColleagues.Of(DemoData.ContosoId).First(c => c.IsInRole(Roles.SeniorOperator));
        var helenSees = await SeenBy(decision.Id, helen);
        Assert.Equal(2, helenSees.Disagreements.Count);
        Assert.False(helenSees.Decision.HidesVerdictsFrom(helen));
        var waiting = await As(s => s.GetRequiredService<DecisionQueries>().ListOpenAsync(seniors, new DecisionFilter(), helen.Roles));
        Assert.True(Assert.Single(waiting, r => r.Id == decision.Id).NeedsSeniorDecision);
        var attention = await As(s => s.GetRequiredService<Domain.Queues.Leases.WorkViews>().NeedsAttentionAsync(_sam));
        Assert.Contains("reviewers disagreed: needs a senior's decision", Assert.Single(attention, a => a.Item.Id == decision.Id).Reasons);

        var decided = await Act(s => s.ApproveAsync(decision.Id, helen, "Strategic account: approve"));

        Assert.Equal((DecisionStatus.Approved, helen.Name), (decided.Status, decided.ResolvedByName));
        Assert.Equal(2, (await AuditAsync(decision.Id)).Count(a => a.Action == Decision.FourEyesDisagreedAction));
    }

    [Fact]
    public async Task TwoFinalVerdictsAtOnce_HaveOneWinner_AndTheLoserIsToldWhy()
    {
        var decision = await FourEyesAsync("Photo Finish AB");
        var seen = await Act(s => s.ApproveAsync(decision.Id, _olivia, "Fine"));

        // Omar rejects and Sam approves the version they both saw, at the same moment: one of them gives the last verdict.
        var attempts = await Task.WhenAll(
            TryAsync(() => Act(s => s.RejectAsync(decision.Id, _omar, "No", seen.Version))),
            TryAsync(() => Act(s => s.ApproveAsync(decision.Id, _sam, "Yes", seen.Version))));

        Assert.Single(attempts, a => a is null);
        var loser = Assert.Single(attempts, a => a is not null)!;
        Assert.Equal(DomainErrorKind.Conflict, loser.Kind);
        var after = await _harness.ReadAsync(db => db.Decisions.AsNoTracking().SingleAsync(d => d.Id == decision.Id));
        var audit = await AuditAsync(decision.Id);
        if (attempts[0] is null)
        {
            Assert.Equal("Your approval was not saved: this decision was escalated to the next tier a moment ago.", loser.Message);
            Assert.Equal(DecisionStatus.Escalated, after.Status);
            Assert.Single(audit, a => a.Action == Decision.FourEyesDisagreedAction);
        }
        else
        {
            Assert.Equal("Your rejection was not saved: this decision was approved by Sam Senior a moment ago.", loser.Message);
            Assert.Equal(DecisionStatus.Approved, after.Status);
            Assert.DoesNotContain(audit, a => a.Action == Decision.FourEyesDisagreedAction);
        }

        Assert.Equal(2, audit.Count(a => a.ActorKind == ActorKind.User));
    }

    private static async Task<DomainException?> TryAsync(Func<Task> act)
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

public sealed class SqliteFourEyesSlaRaceTests() : FourEyesSlaRaceTests(TestEngine.Sqlite);

public sealed class PostgreSqlFourEyesSlaRaceTests() : FourEyesSlaRaceTests(TestEngine.PostgreSql);

/// <summary>The SLA ladder's escalate step firing while the last, disagreeing four-eyes verdict arrives: one escalation, never two.</summary>
public abstract class FourEyesSlaRaceTests(TestEngine engine) : IAsyncLifetime
{
    private Queues.SlaHarness _sla = default!;

    public async Task InitializeAsync() => _sla = await Queues.SlaHarness.CreateAsync(engine, leaseSeconds: 86_400);

    public async Task DisposeAsync() => await _sla.DisposeAsync();

    [Fact]
    public async Task AnEscalateStepFiringWhileTheLastVerdictDisagrees_HasOneWinner_AndTheLoserIsToldWhy()
    {
        var olivia = await _sla.ActorAsync("operator");
        var omar = await _sla.ActorAsync("operator2");
        var decisions = new List<Decision>();
        for (var i = 0; i < 4; i++)
        {
            var proposed = await _sla.ProposeAsync($"Four-eyes Race {i} AG");
            await _sla.Domain.WithDbAsync(db => db.Decisions.Where(d => d.Id == proposed.Id).ExecuteUpdateAsync(s => s.SetProperty(d => d.ReviewersRequired, 2)));
            decisions.Add(await _sla.Act(s => s.ApproveAsync(proposed.Id, olivia, "Fine")));
        }

        _sla.Clock.Advance(TimeSpan.FromMinutes(31));

        // The sweep escalates each decision (escalateAfter: 30m) while Omar gives the last verdict, which disagrees.
        var rejections = decisions.Select(d => Task.Run(async () =>
        {
            try
            {
                await _sla.Act(s => s.RejectAsync(d.Id, omar, "No", d.Version));
                return null;
            }
            catch (DomainException ex)
            {
                return ex;
            }
        })).ToList();
        await _sla.SweepAsync();
        await Task.WhenAll(rejections);

        var seniors = DemoData.QueueId(DemoData.ContosoId, "pricing-t2");
        for (var i = 0; i < decisions.Count; i++)
        {
            var after = await _sla.ReadAsync(decisions[i].Id);
            var refused = await rejections[i];
            var byLadder = await _sla.AuditAsync(decisions[i].Id, "decision.sla-escalated");
            var byFourEyes = await _sla.AuditAsync(decisions[i].Id, Decision.FourEyesDisagreedAction);
            Assert.Equal((DecisionStatus.Escalated, seniors, 1), (after.Status, after.QueueId, after.EscalationLevel));
            Assert.Equal(0, after.VerdictsGiven);
            if (refused is null)
            {
                Assert.Empty(byLadder);
                Assert.Single(byFourEyes);
                Assert.NotNull(after.ReviewersDisagreedAt);
            }
            else
            {
                Assert.Equal(DomainErrorKind.Conflict, refused.Kind);
                Assert.Equal("Your rejection was not saved: this decision was escalated to the next tier a moment ago.", refused.Message);
                Assert.Single(byLadder);
                Assert.Empty(byFourEyes);
                Assert.Empty(await _sla.AuditAsync(decisions[i].Id, Decision.RejectionRecordedAction));
            }
        }
    }
}
