using AgentConsole.Domain;
using AgentConsole.Domain.Agents;
using AgentConsole.Domain.Decisions;
using AgentConsole.Domain.Queues.Leases;
using AgentConsole.Domain.Tenancy;
using AgentConsole.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace AgentConsole.Tests.Integration.Queues;

public sealed class SqliteAssignmentTests() : AssignmentTests(TestEngine.Sqlite);

public sealed class PostgreSqlAssignmentTests() : AssignmentTests(TestEngine.PostgreSql);

/// <summary>Senior operators assign, reassign and release with a reason; the views show each person their work.</summary>
public abstract class AssignmentTests(TestEngine engine) : IAsyncLifetime
{
    private SlaHarness _sla = default!;
    private Actor _senior = default!;
    private Actor _olivia = default!;
    private Actor _omar = default!;

    public async Task InitializeAsync()
    {
        _sla = await SlaHarness.CreateAsync(engine, leaseSeconds: 120);
        (_senior, _olivia, _omar) = (await _sla.ActorAsync("senior"), await _sla.ActorAsync("operator"), await _sla.ActorAsync("operator2"));
    }

    public async Task DisposeAsync() => await _sla.DisposeAsync();

    private Task<T> Assign<T>(Func<Assignments, Task<T>> act) => _sla.As(s => act(s.GetRequiredService<Assignments>()));

    private Task<T> Views<T>(Func<WorkViews, Task<T>> act) => _sla.As(s => act(s.GetRequiredService<WorkViews>()));

    private static Guid UserId(Actor a) => Guid.Parse(a.Id);

    [Fact]
    public async Task Assign_GivesItToOnePerson_WhoAloneMayClaimIt()
    {
        var decision = await _sla.ProposeAsync();

        var assigned = await Assign(a => a.AssignAsync(decision.Id, _senior, UserId(_olivia), "Olivia knows this customer"));

        Assert.Equal((_olivia.Id, _olivia.Name), (assigned.AssignedToId, assigned.AssignedToName));
        var audit = Assert.Single(await _sla.AuditAsync(decision.Id, "decision.assigned"));
        Assert.Equal(($"To {_olivia.Name}: Olivia knows this customer", _senior.Name), (audit.Reason, audit.ActorName));
        var refused = await Assert.ThrowsAsync<DomainException>(() => _sla.Act(d => d.ClaimAsync(decision.Id, _omar)));
        Assert.Equal($"A senior operator assigned this decision to {_olivia.Name}; only they or a senior operator can claim it.", refused.Message);
        Assert.Contains(await Views(v => v.MineAsync(_olivia)), i => i.Id == decision.Id);
        Assert.DoesNotContain(await Views(v => v.AvailableAsync(_omar)), i => i.Id == decision.Id);
        Assert.Equal(DecisionStatus.InReview, (await _sla.Act(d => d.ClaimAsync(decision.Id, _olivia))).Status);
    }

    [Fact]
    public async Task Reassign_TakesItFromTheReviewerWhoHasIt_AndGivesItToAnother()
    {
        var decision = await _sla.ProposeAsync();
        await _sla.Act(d => d.ClaimAsync(decision.Id, _olivia));

        var reassigned = await Assign(a => a.AssignAsync(decision.Id, _senior, UserId(_omar), "Olivia is off sick"));

        Assert.Equal((DecisionStatus.Pending, (string?)null, _omar.Name), (reassigned.Status, reassigned.ClaimedById, reassigned.AssignedToName));
        Assert.Single(await _sla.AuditAsync(decision.Id, "decision.reassigned"));
        Assert.DoesNotContain(await Views(v => v.MineAsync(_olivia)), i => i.Id == decision.Id);
        Assert.Contains(await Views(v => v.MineAsync(_omar)), i => i.Id == decision.Id);
    }

    [Fact]
    public async Task Release_BySenior_NeedsAReason_AndFreesTheItemForAnyone()
    {
        var decision = await _sla.ProposeAsync();
        await _sla.Act(d => d.ClaimAsync(decision.Id, _olivia));

        var noReason = await Assert.ThrowsAsync<DomainException>(() => Assign(a => a.ReleaseAsync(decision.Id, _senior, " ")));
        Assert.Equal(Decision.ReasonRequired, Assert.Single(noReason.FieldErrors["reason"]));
        Assert.Equal(DecisionStatus.InReview, (await _sla.ReadAsync(decision.Id)).Status);

        var released = await Assign(a => a.ReleaseAsync(decision.Id, _senior, "Stuck since this morning"));

        Assert.Equal(DecisionStatus.Pending, released.Status);
        Assert.Equal("Stuck since this morning", Assert.Single(await _sla.AuditAsync(decision.Id, "decision.released-by-supervisor")).Reason);
        Assert.Contains(await Views(v => v.AvailableAsync(_omar)), i => i.Id == decision.Id);
    }

    [Fact]
    public async Task Operators_MayNotAssignOrRelease_AndNobodyIneligibleIsGivenAnItem()
    {
        var decision = await _sla.ProposeAsync();
        var auditor = await _sla.ActorAsync("auditor");

        var assign = await Assert.ThrowsAsync<DomainException>(() => Assign(a => a.AssignAsync(decision.Id, _olivia, UserId(_omar), "Yours")));
        var release = await Assert.ThrowsAsync<DomainException>(() => Assign(a => a.ReleaseAsync(decision.Id, _olivia, "Mine")));
        var attention = await Assert.ThrowsAsync<DomainException>(() => Views(v => v.NeedsAttentionAsync(_olivia)));
        var ineligible = await Assert.ThrowsAsync<DomainException>(() => Assign(a => a.AssignAsync(decision.Id, _senior, UserId(auditor), "Have a look")));
        var unknown = await Assert.ThrowsAsync<DomainException>(() => Assign(a => a.AssignAsync(decision.Id, _senior, Guid.NewGuid(), "Have a look")));

        Assert.All([assign, release, attention], ex => Assert.Equal(DomainErrorKind.Forbidden, ex.Kind));
        Assert.StartsWith($"{auditor.Name} may not decide items in ", Assert.Single(ineligible.FieldErrors["assigneeId"]), StringComparison.Ordinal);
        Assert.Equal("No active person in your organisation has this id.", Assert.Single(unknown.FieldErrors["assigneeId"]));
        var after = await _sla.ReadAsync(decision.Id);
        Assert.Equal((decision.Version, (string?)null), (after.Version, after.AssignedToId));
        var candidates = await Assign(a => a.CandidatesAsync(decision.Id, _senior));
        Assert.Contains(candidates, c => c.Name == _olivia.Name);
        Assert.DoesNotContain(candidates, c => c.Name == auditor.Name);
    }

    [Fact]
    public async Task NeedsAttention_ListsOverdue_AboutToBreach_StuckLeases_AndItemsNobodyCanTake()
    {
        var stuck = await _sla.ProposeAsync("Stuck Lease AG");
        await _sla.Act(d => d.ClaimAsync(stuck.Id, _olivia));
        _sla.Clock.Advance(TimeSpan.FromMinutes(11));
        var warned = await _sla.ProposeAsync("About To Breach AG");
        await PolicyVersions.ActivateAsync(_sla.Domain.Services, UseCase.DynamicPricing, d => SlaHarness.WithLadder(d).Replace(
            "low:      { tier: 1, role: Operator }", "low:      { tier: 1, role: Operator, certification: nobody-holds-this }", StringComparison.Ordinal));
        var orphan = await _sla.ProposeAsync("Nobody Eligible AG");

        var items = await Views(v => v.NeedsAttentionAsync(_senior));

        Assert.Contains("stuck: Olivia Operator's page sent no heartbeat", items.Single(i => i.Item.Id == stuck.Id).Reasons);
        Assert.Contains(items.Single(i => i.Item.Id == orphan.Id).Reasons, r => r.StartsWith("nobody can take it: no active ", StringComparison.Ordinal) && r.EndsWith(" holds the nobody-holds-this certification", StringComparison.Ordinal));
        Assert.DoesNotContain(items, i => i.Item.Id == warned.Id);

        _sla.Clock.Advance(TimeSpan.FromMinutes(11));
        await _sla.SweepAsync();
        items = await Views(v => v.NeedsAttentionAsync(_senior));
        Assert.Contains("about to breach", items.Single(i => i.Item.Id == warned.Id).Reasons);
        Assert.DoesNotContain(await Views(v => v.AvailableAsync(_olivia)), i => i.Id == orphan.Id);
    }
}
