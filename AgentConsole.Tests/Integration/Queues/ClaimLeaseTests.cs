using AgentConsole.Domain;
using AgentConsole.Domain.Decisions;
using AgentConsole.Domain.Queues.Leases;
using AgentConsole.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace AgentConsole.Tests.Integration.Queues;

public sealed class SqliteClaimLeaseTests() : ClaimLeaseTests(TestEngine.Sqlite);

public sealed class PostgreSqlClaimLeaseTests() : ClaimLeaseTests(TestEngine.PostgreSql);

/// <summary>Claims are leases: kept by heartbeats from the reviewer's page, released when it closes, expired by the sweep.</summary>
public abstract class ClaimLeaseTests(TestEngine engine) : IAsyncLifetime
{
    private SlaHarness _sla = default!;

    public async Task InitializeAsync() => _sla = await SlaHarness.CreateAsync(engine, leaseSeconds: 120);

    public async Task DisposeAsync() => await _sla.DisposeAsync();

    private Task<T> Leases<T>(Func<ClaimLeases, Task<T>> act) => _sla.As(s => act(s.GetRequiredService<ClaimLeases>()));

    [Fact]
    public async Task AClaimWithoutHeartbeat_GoesBackToTheQueue_AuditedAndPublished()
    {
        var decision = await _sla.ProposeAsync();
        var olivia = await _sla.ActorAsync("operator");
        await _sla.Act(d => d.ClaimAsync(decision.Id, olivia));
        var events = new List<DecisionEvent>();
        using var _ = _sla.Domain.Services.GetRequiredService<DecisionEventBus>().Subscribe(e =>
        {
            lock (events)
            {
                events.Add(e);
            }

            return Task.CompletedTask;
        });

        _sla.Clock.Advance(TimeSpan.FromSeconds(119));
        Assert.Equal(0, (await _sla.SweepAsync()).LeasesExpired);
        _sla.Clock.Advance(TimeSpan.FromSeconds(2));
        var swept = await _sla.SweepAsync();
        await _sla.SweepAsync();

        Assert.True(swept.LeasesExpired >= 1);
        var after = await _sla.ReadAsync(decision.Id);
        Assert.Equal((DecisionStatus.Pending, (string?)null), (after.Status, after.ClaimedById));
        var audit = Assert.Single(await _sla.AuditAsync(decision.Id, "decision.lease-expired"));
        Assert.Equal($"Lease expired: {olivia.Name}'s page sent no heartbeat for 120 seconds, so the claim went back to the queue.", audit.Reason);
        Assert.Contains(events, e => e.DecisionId == decision.Id && e.Kind == DecisionEventKind.Released);
    }

    [Fact]
    public async Task Heartbeats_KeepTheClaim()
    {
        var decision = await _sla.ProposeAsync();
        var olivia = await _sla.ActorAsync("operator");
        await _sla.Act(d => d.ClaimAsync(decision.Id, olivia));
        var version = (await _sla.ReadAsync(decision.Id)).Version;

        for (var i = 0; i < 4; i++)
        {
            _sla.Clock.Advance(TimeSpan.FromSeconds(90));
            var standing = await Leases(l => l.RenewAsync(decision.Id, olivia));
            Assert.Equal(_sla.Clock.GetUtcNow().AddSeconds(120), standing.ExpiresAt);
            await _sla.SweepAsync();
        }

        var after = await _sla.ReadAsync(decision.Id);
        Assert.Equal((DecisionStatus.InReview, olivia.Id, version), (after.Status, after.ClaimedById, after.Version));
        Assert.Empty(await _sla.AuditAsync(decision.Id, "decision.lease-expired"));
    }

    [Fact]
    public async Task AReviewerWhoseLeaseLapsed_IsToldSoOnSubmitting_AndNothingChanges()
    {
        var decision = await _sla.ProposeAsync();
        var olivia = await _sla.ActorAsync("operator");
        var claimed = await _sla.Act(d => d.ClaimAsync(decision.Id, olivia));
        _sla.Clock.Advance(TimeSpan.FromMinutes(3));
        await _sla.SweepAsync();
        var released = await _sla.ReadAsync(decision.Id);

        var approve = await Assert.ThrowsAsync<DomainException>(() => _sla.Act(d => d.ApproveAsync(decision.Id, olivia, "Looks right", claimed.Version)));
        var heartbeat = await Assert.ThrowsAsync<DomainException>(() => Leases(l => l.RenewAsync(decision.Id, olivia)));

        Assert.Equal(("decision.lease-expired", DomainErrorKind.Conflict), (approve.Code, approve.Kind));
        Assert.Equal("Your approval was not saved: your claim lapsed because your page stopped sending heartbeats, and it went back to its queue. What you entered is still here: claim it again to go on.", approve.Message);
        Assert.Equal("decision.lease-lost", heartbeat.Code);
        var after = await _sla.ReadAsync(decision.Id);
        Assert.Equal((DecisionStatus.Pending, released.Version), (after.Status, after.Version));

        // Claiming it again lets them finish.
        await _sla.Act(d => d.ClaimAsync(decision.Id, olivia));
        var approved = await _sla.Act(d => d.ApproveAsync(decision.Id, olivia, "Looks right"));
        Assert.Equal(DecisionStatus.Approved, approved.Status);
    }

    [Fact]
    public async Task ClosingThePage_ReleasesTheClaim_OnlyOfItsHolder()
    {
        var decision = await _sla.ProposeAsync();
        var olivia = await _sla.ActorAsync("operator");
        var omar = await _sla.ActorAsync("operator2");
        await _sla.Act(d => d.ClaimAsync(decision.Id, olivia));

        Assert.False(await Leases(l => l.ReleaseOnCloseAsync(decision.Id, omar)));
        Assert.Equal(DecisionStatus.InReview, (await _sla.ReadAsync(decision.Id)).Status);
        Assert.True(await Leases(l => l.ReleaseOnCloseAsync(decision.Id, olivia)));
        Assert.False(await Leases(l => l.ReleaseOnCloseAsync(decision.Id, olivia)));

        var after = await _sla.ReadAsync(decision.Id);
        Assert.Equal(DecisionStatus.Pending, after.Status);
        var audit = Assert.Single(await _sla.AuditAsync(decision.Id, "decision.released"));
        Assert.Equal("Closed the decision page", audit.Reason);
    }

    [Fact]
    public async Task OnlyTheClaimer_RenewsTheLease()
    {
        var decision = await _sla.ProposeAsync();
        await _sla.Act(async d => await d.ClaimAsync(decision.Id, await _sla.ActorAsync("operator")));
        var omar = await _sla.ActorAsync("operator2");
        var auditor = await _sla.ActorAsync("auditor");

        var other = await Assert.ThrowsAsync<DomainException>(() => Leases(l => l.RenewAsync(decision.Id, omar)));
        var role = await Assert.ThrowsAsync<DomainException>(() => Leases(l => l.RenewAsync(decision.Id, auditor)));

        Assert.Equal("Your claim on this decision has ended: Olivia Operator is working on this decision.", other.Message);
        Assert.Equal(DomainErrorKind.Forbidden, role.Kind);
    }
}
