using AgentConsole.Domain;
using AgentConsole.Domain.Decisions;
using AgentConsole.Domain.Tenancy;
using AgentConsole.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AgentConsole.Tests.Integration.Persistence;

public sealed class SqlitePersistenceTests() : PersistenceTests(TestEngine.Sqlite);

public sealed class PostgreSqlPersistenceTests() : PersistenceTests(TestEngine.PostgreSql);

/// <summary>Persistence and concurrency, run against each engine.</summary>
public abstract class PersistenceTests(TestEngine engine) : IAsyncLifetime
{
    private DomainHarness _harness = default!;

    public async Task InitializeAsync() => _harness = await DomainHarness.CreateAsync(engine: engine);

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    [Fact]
    public async Task Migrations_ApplyToAnEmptyDatabase_AndLeaveNothingPending()
    {
        var pending = await _harness.WithDbAsync(async db => (await db.Database.GetPendingMigrationsAsync()).ToList());
        var applied = await _harness.WithDbAsync(async db => (await db.Database.GetAppliedMigrationsAsync()).ToList());

        Assert.Empty(pending);
        Assert.NotEmpty(applied);
        Assert.Equal(2, await _harness.WithDbAsync(db => db.Tenants.CountAsync()));
    }

    [Fact]
    public async Task ConcurrentResolve_HasOneWinner_AndTheLoserGetsAClearMessage()
    {
        var decision = await _harness.ProposeAsync(TestCases.UncertainPricing());
        var olivia = await _harness.ActorAsync("operator");
        var omar = await _harness.ActorAsync("operator2");

        // Both reviewers saw the same version; both submit at once.
        var attempts = await Task.WhenAll(
            TryAsync(s => s.ApproveAsync(decision.Id, olivia, "Fine", decision.Version)),
            TryAsync(s => s.RejectAsync(decision.Id, omar, "No", decision.Version)));

        Assert.Single(attempts, a => a is null);
        var loser = Assert.Single(attempts, a => a is not null)!;
        Assert.Equal(DomainErrorKind.Conflict, loser.Kind);
        Assert.Contains("was not saved", loser.Message, StringComparison.Ordinal);

        var stored = await _harness.WithDbAsync(db => db.Decisions.Include(d => d.Reviews).SingleAsync(d => d.Id == decision.Id));
        Assert.Single(stored.Reviews);
        var audits = await _harness.WithDbAsync(db => db.AuditEntries.Where(a => a.EntityId == decision.Id.ToString() && a.ActorKind == ActorKind.User).CountAsync());
        Assert.Equal(1, audits);
    }

    [Fact]
    public async Task StaleVersion_IsRefused_EvenWithoutARace()
    {
        var decision = await _harness.ProposeAsync(TestCases.UncertainPricing());
        var olivia = await _harness.ActorAsync("operator");
        var omar = await _harness.ActorAsync("operator2");
        await using (var scope = _harness.Scope(DemoData.ContosoId))
        {
            await scope.ServiceProvider.GetRequiredService<DecisionService>().ApproveAsync(decision.Id, olivia, "ok", decision.Version);
        }

        var error = await TryAsync(s => s.RejectAsync(decision.Id, omar, "no", decision.Version));

        Assert.NotNull(error);
        Assert.Contains("approved by Olivia Operator", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EveryStateChange_AppendsAnAuditEntry_WithBeforeAndAfter()
    {
        var decision = await _harness.ProposeAsync(TestCases.UncertainPricing());
        var olivia = await _harness.ActorAsync("operator");
        await using (var scope = _harness.Scope(DemoData.ContosoId))
        {
            var service = scope.ServiceProvider.GetRequiredService<DecisionService>();
            await service.ClaimAsync(decision.Id, olivia);
            await service.OverrideAsync(decision.Id, olivia, new Dictionary<string, string?> { ["discountPercent"] = "3" }, "Margin floor");
        }

        var entries = await _harness.WithDbAsync(db => db.AuditEntries.Where(a => a.EntityId == decision.Id.ToString()).OrderBy(a => a.Id).ToListAsync());

        Assert.Equal(["decision.proposed", "decision.claimed", "decision.overridden"], entries.Select(e => e.Action));
        var overridden = entries[^1];
        Assert.Equal("Olivia Operator", overridden.ActorName);
        Assert.Equal("Margin floor", overridden.Reason);
        Assert.Contains("InReview", overridden.BeforeJson, StringComparison.Ordinal);
        Assert.Contains("Overridden", overridden.AfterJson, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TenantFilter_HidesAnotherTenantsData()
    {
        var decision = await _harness.ProposeAsync(TestCases.UncertainPricing());

        var seenByFabrikam = await _harness.WithDbAsync(db => db.Decisions.AnyAsync(d => d.Id == decision.Id), DemoData.FabrikamId);
        var fabrikamQueues = await _harness.WithDbAsync(db => db.Queues.Select(q => q.TenantId).Distinct().ToListAsync(), DemoData.FabrikamId);

        Assert.False(seenByFabrikam);
        Assert.Equal([DemoData.FabrikamId], fabrikamQueues);
    }

    [Fact]
    public async Task ActionOnAnotherTenantsDecision_IsNotFound_AndChangesNothing()
    {
        var decision = await _harness.ProposeAsync(TestCases.UncertainPricing());
        var felix = await _harness.ActorAsync("fabrikam");

        DomainException? error;
        await using (var scope = _harness.Scope(DemoData.FabrikamId))
        {
            error = await Record.ExceptionAsync(() => scope.ServiceProvider.GetRequiredService<DecisionService>().ApproveAsync(decision.Id, felix, "mine now")) as DomainException;
        }

        Assert.Equal(DomainErrorKind.NotFound, error?.Kind);
        Assert.Equal(DecisionStatus.Pending, (await _harness.WithDbAsync(db => db.Decisions.SingleAsync(d => d.Id == decision.Id))).Status);
    }

    [Theory]
    [InlineData("auditor", "decision.role")]
    [InlineData("admin", "decision.role")]
    [InlineData("trainee", "decision.role")]
    public async Task ActionByARoleThatMayNotAct_IsForbidden(string userName, string code)
    {
        var decision = await _harness.ProposeAsync(TestCases.UncertainPricing());
        var actor = await _harness.ActorAsync(userName);

        var error = await TryAsync(s => s.ApproveAsync(decision.Id, actor, "try"));

        Assert.Equal(DomainErrorKind.Forbidden, error?.Kind);
        Assert.Equal(code, error?.Code);
    }

    [Fact]
    public async Task OperatorOnTheSeniorQueue_IsForbidden()
    {
        var decision = await _harness.ProposeAsync(TestCases.UncertainPricing());
        var olivia = await _harness.ActorAsync("operator");
        var sam = await _harness.ActorAsync("senior");
        await using (var scope = _harness.Scope(DemoData.ContosoId))
        {
            await scope.ServiceProvider.GetRequiredService<DecisionService>().EscalateAsync(decision.Id, olivia, "Big customer");
        }

        var refused = await TryAsync(s => s.ApproveAsync(decision.Id, olivia, "approve my own escalation"));
        var allowed = await TryAsync(s => s.ApproveAsync(decision.Id, sam, "Checked with sales"));

        Assert.Equal("decision.queue-role", refused?.Code);
        Assert.Null(allowed);
    }

    [Fact]
    public async Task InvalidOverride_ReportsEachField_AndChangesNothing()
    {
        var decision = await _harness.ProposeAsync(TestCases.UncertainPricing());
        var olivia = await _harness.ActorAsync("operator");

        var error = await TryAsync(s => s.OverrideAsync(decision.Id, olivia, new Dictionary<string, string?> { ["discountPercent"] = "95" }, "too generous"));

        Assert.Equal(DomainErrorKind.Invalid, error?.Kind);
        Assert.Contains("between 0 and 60", error!.FieldErrors["discountPercent"][0], StringComparison.Ordinal);
        var stored = await _harness.WithDbAsync(db => db.Decisions.SingleAsync(d => d.Id == decision.Id));
        Assert.Equal(decision.Version, stored.Version);
        Assert.Equal(DecisionStatus.Pending, stored.Status);
    }

    private async Task<DomainException?> TryAsync(Func<DecisionService, Task> action)
    {
        await using var scope = _harness.Scope(DemoData.ContosoId);
        try
        {
            await action(scope.ServiceProvider.GetRequiredService<DecisionService>());
            return null;
        }
        catch (DomainException ex)
        {
            return ex;
        }
    }
}
