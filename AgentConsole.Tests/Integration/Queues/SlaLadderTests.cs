using AgentConsole.Domain;
using AgentConsole.Domain.Decisions;
using AgentConsole.Domain.Queues.Sla;
using AgentConsole.Domain.Tenancy;
using AgentConsole.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AgentConsole.Tests.Integration.Queues;

public sealed class SqliteSlaLadderTests() : SlaLadderTests(TestEngine.Sqlite);

public sealed class PostgreSqlSlaLadderTests() : SlaLadderTests(TestEngine.PostgreSql);

/// <summary>
/// The SLA ladder of the policy version that routed a decision, executed by the sweep the recurring job runs: each
/// step fires once, is audited with its rule, survives a second sweep, and loses cleanly to a reviewer.
/// </summary>
public abstract class SlaLadderTests(TestEngine engine) : IAsyncLifetime
{
    private SlaHarness _sla = default!;

    public async Task InitializeAsync() => _sla = await SlaHarness.CreateAsync(engine, leaseSeconds: 86_400);

    public async Task DisposeAsync() => await _sla.DisposeAsync();

    [Fact]
    public async Task Routing_PlansTheLadder_FromThePolicyVersionThatRoutedIt()
    {
        var decision = await _sla.ProposeAsync();
        Assert.Equal(_sla.PolicyVersionId, decision.PolicyVersionId);
        Assert.Equal(decision.CreatedAt, decision.NextSlaStepAt);

        await _sla.SweepAsync();

        var planned = await _sla.ReadAsync(decision.Id);
        Assert.Equal(decision.CreatedAt.AddMinutes(10), planned.NextSlaStepAt);
        Assert.Null(planned.SlaWarnedAt);
        Assert.Equal(decision.Version, planned.Version);
    }

    [Fact]
    public async Task Warn_FlagsTheItemOnce_AuditsTheRule_AndTellsLiveConsoles()
    {
        var decision = await _sla.ProposeAsync();
        var events = new List<DecisionEvent>();
        using var _ = _sla.Domain.Services.GetRequiredService<DecisionEventBus>().Subscribe(e =>
        {
            lock (events)
            {
                events.Add(e);
            }

            return Task.CompletedTask;
        });
        await _sla.SweepAsync();
        _sla.Clock.Advance(TimeSpan.FromMinutes(9));
        await _sla.SweepAsync();
        Assert.Null((await _sla.ReadAsync(decision.Id)).SlaWarnedAt);

        _sla.Clock.Advance(TimeSpan.FromMinutes(2));
        await _sla.SweepAsync();
        await _sla.SweepAsync();

        var warned = await _sla.ReadAsync(decision.Id);
        Assert.Equal(_sla.Clock.GetUtcNow(), warned.SlaWarnedAt);
        Assert.Equal(DecisionStatus.Pending, warned.Status);
        Assert.Equal(decision.CreatedAt.AddMinutes(20), warned.NextSlaStepAt);
        var audit = Assert.Single(await _sla.AuditAsync(decision.Id, "decision.sla-warned"));
        Assert.Equal(SlaLadderRunner.ActorName, audit.ActorName);
        Assert.Equal(ActorKind.System, audit.ActorKind);
        Assert.Contains("SLA ladder of Dynamic pricing v", audit.Reason, StringComparison.Ordinal);
        Assert.Contains("(pricing-t1): warnAfter 10m of business time passed", audit.Reason, StringComparison.Ordinal);
        var firing = Assert.Single(await _sla.FiringsAsync(decision.Id));
        Assert.Equal((SlaStep.Warn, _sla.PolicyVersionId, "10m"), (firing.Step, firing.PolicyVersionId, firing.Threshold));
        Assert.Contains(events, e => e.DecisionId == decision.Id && e.Kind == DecisionEventKind.SlaWarned);

        var row = await _sla.As(s => s.GetRequiredService<DecisionQueries>().GetListItemAsync(decision.Id, [Roles.Operator]));
        Assert.Equal(warned.SlaWarnedAt, row!.SlaWarnedAt);
    }

    [Fact]
    public async Task Reassign_ReleasesAStaleClaim_SayingWhoHeldIt()
    {
        var decision = await _sla.ProposeAsync();
        var olivia = await _sla.ActorAsync("operator");
        await _sla.Act(d => d.ClaimAsync(decision.Id, olivia));

        _sla.Clock.Advance(TimeSpan.FromMinutes(21));
        await _sla.SweepAsync();

        var released = await _sla.ReadAsync(decision.Id);
        Assert.Equal(DecisionStatus.Pending, released.Status);
        Assert.Null(released.ClaimedById);
        var audit = Assert.Single(await _sla.AuditAsync(decision.Id, "decision.sla-reassigned"));
        Assert.Contains($"took it back from {olivia.Name} for someone else to take", audit.Reason, StringComparison.Ordinal);
        Assert.Equal([SlaStep.Warn, SlaStep.Reassign], (await _sla.FiringsAsync(decision.Id)).Select(f => f.Step).Order());

        // Someone else can take it now.
        await _sla.Act(async d => await d.ClaimAsync(decision.Id, await _sla.ActorAsync("operator2")));
    }

    [Fact]
    public async Task Reassign_WithNobodyHoldingIt_IsSkippedWithItsReason()
    {
        var decision = await _sla.ProposeAsync();
        _sla.Clock.Advance(TimeSpan.FromMinutes(21));
        await _sla.SweepAsync();

        var audit = Assert.Single(await _sla.AuditAsync(decision.Id, "decision.sla-reassign-skipped"));
        Assert.EndsWith("skipped: nobody held it.", audit.Reason, StringComparison.Ordinal);
        Assert.Equal(decision.Version, (await _sla.ReadAsync(decision.Id)).Version);
    }

    [Fact]
    public async Task Escalate_MovesItToTheNextTier_AndStartsThatTiersLadder()
    {
        var decision = await _sla.ProposeAsync();
        var tier1 = decision.QueueId;
        await _sla.SweepAsync();
        _sla.Clock.Advance(TimeSpan.FromMinutes(31));
        await _sla.SweepAsync();
        await _sla.SweepAsync();

        var escalated = await _sla.ReadAsync(decision.Id);
        Assert.Equal((DecisionStatus.Escalated, 1), (escalated.Status, escalated.EscalationLevel));
        Assert.NotEqual(tier1, escalated.QueueId);
        Assert.Null(escalated.SlaWarnedAt);
        Assert.Equal(_sla.Clock.GetUtcNow().AddMinutes(10), escalated.NextSlaStepAt);
        Assert.Single(await _sla.AuditAsync(decision.Id, "decision.sla-escalated"));
        Assert.Equal(3, (await _sla.FiringsAsync(decision.Id)).Count(f => f.QueueId == tier1));
    }

    [Fact]
    public async Task Escalate_WithNoHigherTier_IsSkippedWithTheReasonRecorded()
    {
        var decision = await _sla.ProposeAsync();

        // The queue lost its next tier after the policy was approved (no product path does this today).
        await _sla.Domain.WithDbAsync(db => db.Queues.Where(q => q.Id == decision.QueueId).ExecuteUpdateAsync(s => s.SetProperty(q => q.EscalatesToQueueId, (Guid?)null)));
        _sla.Clock.Advance(TimeSpan.FromMinutes(31));
        await _sla.SweepAsync();
        await _sla.SweepAsync();

        var after = await _sla.ReadAsync(decision.Id);
        Assert.Equal((DecisionStatus.Pending, decision.QueueId, (DateTimeOffset?)null), (after.Status, after.QueueId, after.NextSlaStepAt));
        var audit = Assert.Single(await _sla.AuditAsync(decision.Id, "decision.sla-escalate-skipped"));
        Assert.EndsWith("skipped: the queue is the top tier, there is none to escalate to.", audit.Reason, StringComparison.Ordinal);
        Assert.Contains(await _sla.FiringsAsync(decision.Id), f => f.Step == SlaStep.Escalate && f.Outcome.StartsWith("skipped", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AutoDecide_ApprovesAsThePolicySays_AndIsExecutedLikeAPersonsApproval()
    {
        var decision = await _sla.ProposeAsync();
        _sla.Clock.Advance(TimeSpan.FromMinutes(31));
        await _sla.SweepAsync();
        _sla.Clock.Advance(TimeSpan.FromMinutes(41));
        await _sla.SweepAsync();

        var decided = await _sla.ReadAsync(decision.Id);
        Assert.Equal(DecisionStatus.Approved, decided.Status);
        Assert.Equal(SlaLadderRunner.ActorName, decided.ResolvedByName);
        Assert.Equal(decided.ProposalJson, decided.FinalJson);
        Assert.Null(decided.NextSlaStepAt);
        var audit = Assert.Single(await _sla.AuditAsync(decision.Id, "decision.sla-auto-approved"));
        Assert.Contains("(pricing-t2): autoDecideAfter 40m of business time passed", audit.Reason, StringComparison.Ordinal);
        Assert.Contains(decision.Id, _sla.Domain.Scheduler.Executions);
        var auditor = await _sla.ActorAsync("auditor");
        var lineage = await _sla.As(sp => sp.GetRequiredService<DecisionLineageQueries>().GetAsync(decision.Id, auditor));
        Assert.Equal(
            [(LineageStepKind.Escalated, SlaLadderRunner.ActorName), (LineageStepKind.Approved, SlaLadderRunner.ActorName)],
            lineage!.Reviews.Select(r => (r.Kind, r.ActorName)));

        var ledger = await _sla.Domain.ReadAsync(db => db.ErpLedger.CountAsync());
        await _sla.Domain.RunRecordedJobsAsync();
        Assert.Equal(ledger + 1, await _sla.Domain.ReadAsync(db => db.ErpLedger.CountAsync()));
    }

    [Fact]
    public async Task TwoSweepsAtOnce_AndARestart_FireEachStepOnce()
    {
        var decision = await _sla.ProposeAsync();
        _sla.Clock.Advance(TimeSpan.FromMinutes(11));

        await Task.WhenAll(_sla.SweepAsync(), _sla.SweepAsync(), _sla.SweepAsync());
        await _sla.SweepAsync();

        Assert.Single(await _sla.AuditAsync(decision.Id, "decision.sla-warned"));
        Assert.Single(await _sla.FiringsAsync(decision.Id));
    }

    [Fact]
    public async Task AStepTakenWithAStaleVersion_LosesToTheReviewer_AndChangesNothing()
    {
        var decision = await _sla.ProposeAsync();
        var olivia = await _sla.ActorAsync("operator");
        await _sla.Act(d => d.ApproveAsync(decision.Id, olivia, "Within the margin"));
        var approved = await _sla.ReadAsync(decision.Id);

        var system = Actor.System(DemoData.ContosoId, SlaLadderRunner.ActorName);
        var step = await _sla.As(s => s.GetRequiredService<DecisionService>().ActAsSystemAsync(decision.Id, system, decision.Version, "auto-decide", DecisionEventKind.Resolved,
            (d, _, _, now) =>
            {
                d.SlaAutoDecide(system, false, "SLA ladder: autoDecideAfter passed", now);
                return Task.FromResult<string?>("decision.sla-auto-rejected");
            }, "SLA ladder: autoDecideAfter passed", CancellationToken.None));

        Assert.Null(step);
        var after = await _sla.ReadAsync(decision.Id);
        Assert.Equal((DecisionStatus.Approved, olivia.Name, approved.Version), (after.Status, after.ResolvedByName, after.Version));
        Assert.Empty(await _sla.AuditAsync(decision.Id, "decision.sla-auto-rejected"));
    }

    [Fact]
    public async Task AStepFiringWhileAReviewerSubmits_HasOneWinner_AndTheLoserIsToldWhy()
    {
        var decisions = new List<Decision>();
        for (var i = 0; i < 4; i++)
        {
            decisions.Add(await _sla.ProposeAsync($"Race {i} AG"));
        }

        var senior = await _sla.ActorAsync("senior");
        _sla.Clock.Advance(TimeSpan.FromMinutes(31));

        // The sweep escalates each decision while a senior approves it: either may win, never both.
        var approvals = decisions.Select(d => Task.Run(async () =>
        {
            try
            {
                await _sla.Act(s => s.ApproveAsync(d.Id, senior, "Fine", d.Version));
                return null;
            }
            catch (DomainException ex)
            {
                return ex;
            }
        })).ToList();
        await _sla.SweepAsync();
        await Task.WhenAll(approvals);

        for (var i = 0; i < decisions.Count; i++)
        {
            var after = await _sla.ReadAsync(decisions[i].Id);
            var refused = await approvals[i];
            var escalations = await _sla.AuditAsync(decisions[i].Id, "decision.sla-escalated");
            if (refused is null)
            {
                Assert.Equal(DecisionStatus.Approved, after.Status);
                Assert.Empty(escalations);
            }
            else
            {
                Assert.Equal(DomainErrorKind.Conflict, refused.Kind);
                Assert.StartsWith("Your approval was not saved", refused.Message, StringComparison.Ordinal);
                Assert.Equal(DecisionStatus.Escalated, after.Status);
                Assert.Single(escalations);
                Assert.Empty(await _sla.AuditAsync(decisions[i].Id, "decision.approved"));
            }
        }
    }

    [Fact]
    public async Task ADecisionThatLeftItsQueue_IsDroppedFromTheSweep()
    {
        var decision = await _sla.ProposeAsync();
        await _sla.Act(async d => await d.RejectAsync(decision.Id, await _sla.ActorAsync("operator"), "Too deep"));
        _sla.Clock.Advance(TimeSpan.FromMinutes(11));

        await _sla.SweepAsync();

        var after = await _sla.ReadAsync(decision.Id);
        Assert.Null(after.NextSlaStepAt);
        Assert.Empty(await _sla.FiringsAsync(decision.Id));
    }
}
