using AgentConsole.Domain;
using AgentConsole.Domain.Decisions;
using AgentConsole.Domain.Queues;
using AgentConsole.Domain.Tenancy;
using AgentConsole.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace AgentConsole.Tests.Integration.Decisions;

public sealed class SqliteSavedFilterTests() : SavedFilterTests(TestEngine.Sqlite);

public sealed class PostgreSqlSavedFilterTests() : SavedFilterTests(TestEngine.PostgreSql);

/// <summary>Each person's saved queue filters: theirs alone, named once per queue, checked, and gone when deleted.</summary>
public abstract class SavedFilterTests(TestEngine engine) : IAsyncLifetime
{
    private static readonly Guid PricingQueue = ConsoleFactory.QueueId("pricing-t1");
    private DomainHarness _harness = default!;
    private Actor _olivia = default!;
    private Actor _omar = default!;

    public async Task InitializeAsync()
    {
        _harness = await DomainHarness.CreateAsync(engine: engine);
        _olivia = await _harness.ActorAsync("operator");
        _omar = await _harness.ActorAsync("operator2");
    }

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    private async Task<T> Filters<T>(Func<SavedFilters, Task<T>> act, Guid? tenantId = null)
    {
        await using var scope = _harness.Scope(tenantId ?? DemoData.ContosoId);
        return await act(scope.ServiceProvider.GetRequiredService<SavedFilters>());
    }

    [Fact]
    public async Task AFilter_IsSavedForItsOwnerAlone_AndComesBackAsChosen()
    {
        var choice = new QueueFilterChoice(null, RiskLevel.Medium, "low", DecisionSort.ConfidenceAscending);
        var saved = await Filters(f => f.SaveAsync(_olivia, PricingQueue, "  Shaky mediums ", choice));

        var mine = await Filters(f => f.ListAsync(_olivia, PricingQueue));
        Assert.Equal("Shaky mediums", Assert.Single(mine).Name);
        Assert.Equal(choice, mine[0].Choice);
        Assert.Empty(await Filters(f => f.ListAsync(_omar, PricingQueue)));

        var notTheirs = await Assert.ThrowsAsync<DomainException>(() => Filters(async f => { await f.DeleteAsync(_omar, saved.Id); return true; }));
        Assert.Equal(DomainErrorKind.NotFound, notTheirs.Kind);
        await Filters(async f => { await f.DeleteAsync(_olivia, saved.Id); return true; });
        Assert.Empty(await Filters(f => f.ListAsync(_olivia, PricingQueue)));
    }

    [Fact]
    public async Task BadFilters_AreRefusedNamingTheField_AndSaveNothing()
    {
        await Filters(f => f.SaveAsync(_olivia, PricingQueue, "Mine", new QueueFilterChoice(null, null, "any", DecisionSort.DueAt)));

        var duplicate = await Assert.ThrowsAsync<DomainException>(() => Filters(f => f.SaveAsync(_olivia, PricingQueue, "MINE", new QueueFilterChoice(null, null, "any", DecisionSort.DueAt))));
        Assert.Equal(["name"], duplicate.FieldErrors.Keys);
        Assert.Contains("You already have a filter named 'MINE'", duplicate.FieldErrors["name"][0], StringComparison.Ordinal);

        var bad = await Assert.ThrowsAsync<DomainException>(() => Filters(f => f.SaveAsync(_olivia, PricingQueue, "", new QueueFilterChoice(null, (RiskLevel)(-1), "some", (DecisionSort)(-1)))));
        Assert.Equal(["confidenceBand", "minRisk", "name", "sort"], bad.FieldErrors.Keys.Order(StringComparer.Ordinal));

        var otherTenant = await Assert.ThrowsAsync<DomainException>(() => Filters(f => f.SaveAsync(_olivia, PricingQueue, "Across", new QueueFilterChoice(null, null, "any", DecisionSort.DueAt)), DemoData.FabrikamId));
        Assert.Equal(DomainErrorKind.NotFound, otherTenant.Kind);
        Assert.Single(await Filters(f => f.ListAsync(_olivia, PricingQueue)));
    }
}
