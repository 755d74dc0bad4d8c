using AgentConsole.Domain.Agents;
using AgentConsole.Domain.Audit;
using AgentConsole.Domain.Tenancy;
using AgentConsole.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AgentConsole.Tests.Integration.Audit;

public sealed class SqliteAuditQueriesTests() : AuditQueriesTests(TestEngine.Sqlite);

public sealed class PostgreSqlAuditQueriesTests() : AuditQueriesTests(TestEngine.PostgreSql);

/// <summary>
/// The audit trail searched by actor, action, entity, time and words in reasons, a page at a time and as a stream;
/// only the reader's tenant, and case values the routing policy hides from the reader redacted.
/// </summary>
public abstract class AuditQueriesTests(TestEngine engine) : IAsyncLifetime
{
    private static readonly DateTimeOffset Day = new(2026, 11, 10, 9, 0, 0, TimeSpan.Zero);
    private static readonly HashSet<string> Auditor = [Roles.Auditor];
    private readonly Actor _olivia = Actor.User(DemoData.DeterministicId("audit-test:olivia"), "Olivia Operator", DemoData.ContosoId, [Roles.Operator]);
    private readonly Actor _sam = Actor.User(DemoData.DeterministicId("audit-test:sam"), "Sam Senior", DemoData.ContosoId, [Roles.SeniorOperator]);
    private readonly Actor _felix = Actor.User(DemoData.DeterministicId("audit-test:felix"), "Felix Fabrikam", DemoData.FabrikamId, [Roles.Operator]);
    private DomainHarness _harness = default!;

    public async Task InitializeAsync() => _harness = await DomainHarness.CreateAsync(engine: engine);

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    /// <summary>Writes entries as a Domain service would (the tests choose their times).</summary>
    private async Task RecordAsync(params AuditEntry[] entries)
    {
        foreach (var tenant in entries.GroupBy(e => e.TenantId))
        {
            await _harness.WithDbAsync(async db =>
            {
                db.AuditEntries.AddRange(tenant);
                return await db.SaveChangesAsync();
            }, tenant.Key);
        }
    }

    private static AuditEntry Entry(Actor actor, string action, string entityType, Guid entityId, string? reason, DateTimeOffset at) =>
        AuditEntry.Record(actor, action, entityType, entityId.ToString(), reason, null, new { status = "Approved" }, at);

    private async Task<AuditSearchResult> SearchAsync(AuditSearchInput input, int page = 1, int pageSize = 50, IReadOnlyCollection<string>? roles = null)
    {
        await using var scope = _harness.Scope(DemoData.ContosoId);
        var filter = AuditFilter.Require(input, Day.AddDays(30));
        return await scope.ServiceProvider.GetRequiredService<AuditQueries>().SearchAsync(filter, page, pageSize, roles ?? Auditor);
    }

    private async Task<List<AuditRecord>> StreamAsync(AuditSearchInput input, IReadOnlyCollection<string>? roles = null)
    {
        await using var scope = _harness.Scope(DemoData.ContosoId);
        var filter = AuditFilter.Require(input, Day.AddDays(30));
        return await scope.ServiceProvider.GetRequiredService<AuditQueries>().StreamAsync(filter, roles ?? Auditor).ToListAsync();
    }

    private async Task<(Guid First, Guid Second)> SeedAsync()
    {
        var (first, second) = (Guid.NewGuid(), Guid.NewGuid());
        await RecordAsync(
            Entry(_olivia, "decision.claimed", "decision", first, null, Day),
            Entry(_olivia, "decision.escalated", "decision", first, "Customer asked for a bigger discount, check with sales", Day.AddMinutes(5)),
            Entry(_sam, "decision.approved", "decision", first, "Fine: matches the DISCOUNT policy", Day.AddDays(1)),
            Entry(_sam, "decision.rejected", "decision", second, "Duplicate quote", Day.AddDays(2)),
            Entry(_sam, "policy.drafted", "policy-version", Guid.NewGuid(), null, Day.AddDays(3)),
            Entry(_felix, "decision.approved", "decision", first, "Fabrikam's own discount", Day.AddDays(1)));
        return (first, second);
    }

    [Fact]
    public async Task Search_FindsByActorNameOrId_ByActionOrActionPrefix_ByEntity_ByTime_AndByWordsInTheReason_AnyCase()
    {
        var (first, second) = await SeedAsync();

        async Task<List<string>> Actions(AuditSearchInput input) => [.. (await SearchAsync(input)).Entries.Select(e => $"{e.Action}@{e.EntityId[..4]}")];

        Assert.Equal(["decision.escalated", "decision.claimed"], (await SearchAsync(new() { Actor = "OLIVIA" })).Entries.Select(e => e.Action));
        Assert.Equal(3, (await SearchAsync(new() { Actor = _sam.Id })).Total);
        Assert.Equal(["decision.approved"], (await SearchAsync(new() { Action = "decision.approved" })).Entries.Select(e => e.Action));
        Assert.Equal(4, (await SearchAsync(new() { Action = "decision.*" })).Total);
        Assert.Equal(["policy.drafted"], (await SearchAsync(new() { Action = "policy.*", Actor = _sam.Id })).Entries.Select(e => e.Action));
        Assert.Equal(3, (await SearchAsync(new() { EntityType = "decision", EntityId = first.ToString().ToUpperInvariant() })).Total);
        Assert.Equal([$"decision.rejected@{second.ToString()[..4]}"], await Actions(new() { EntityId = second.ToString() }));
        Assert.Equal(["decision.approved"], (await SearchAsync(new() { From = "2026-11-11", To = "2026-11-11" })).Entries.Select(e => e.Action));
        Assert.Equal(2, (await SearchAsync(new() { To = "2026-11-10T09:06Z" })).Total);
        Assert.Equal(["decision.approved"], (await SearchAsync(new() { Text = "discount POLICY" })).Entries.Select(e => e.Action));
        Assert.Equal(2, (await SearchAsync(new() { Text = "discount" })).Total);
        Assert.Equal(0, (await SearchAsync(new() { Actor = "Sam", Action = "decision.claimed" })).Total);
    }

    [Fact]
    public async Task Search_PagesNewestFirst_WithTheTotal()
    {
        var decision = Guid.NewGuid();
        await RecordAsync([.. Enumerable.Range(0, 7).Select(i => Entry(_olivia, $"decision.step-{i}", "decision", decision, null, Day.AddMinutes(i)))]);

        var pages = new List<AuditSearchResult>();
        for (var page = 1; page <= 4; page++)
        {
            pages.Add(await SearchAsync(new() { EntityId = decision.ToString() }, page, pageSize: 3));
        }

        Assert.All(pages, p => Assert.Equal((7, 3), (p.Total, p.Pages)));
        Assert.Equal(["decision.step-6", "decision.step-5", "decision.step-4"], pages[0].Entries.Select(e => e.Action));
        Assert.Equal(["decision.step-3", "decision.step-2", "decision.step-1"], pages[1].Entries.Select(e => e.Action));
        Assert.Equal(["decision.step-0"], pages[2].Entries.Select(e => e.Action));
        Assert.Empty(pages[3].Entries);
    }

    [Theory]
    [InlineData(0, 50, "page")]
    [InlineData(1, 0, "pageSize")]
    [InlineData(1, 201, "pageSize")]
    public async Task Search_RefusesAPageOrPageSizeOutOfRange_NamingIt(int page, int pageSize, string field)
    {
        var error = await Assert.ThrowsAsync<AgentConsole.Domain.DomainException>(() => SearchAsync(new(), page, pageSize));

        Assert.Equal([field], error.FieldErrors.Keys);
    }

    [Fact]
    public async Task SearchAndStream_NeverShowAnotherTenantsEntries_NotEvenByItsIds()
    {
        var (first, _) = await SeedAsync();
        var fabrikamDecision = await _harness.ProposeAsync(TestCases.UncertainPricing("Fabrikam Only Oy"), tenantId: DemoData.FabrikamId);

        var everything = await SearchAsync(new(), pageSize: 200);
        var streamed = await StreamAsync(new());
        var byFelix = await SearchAsync(new() { Actor = _felix.Id });
        var byItsDecision = await SearchAsync(new() { EntityId = fabrikamDecision.Id.ToString() });

        Assert.DoesNotContain(everything.Entries, e => e.ActorName == "Felix Fabrikam" || e.EntityId == fabrikamDecision.Id.ToString());
        Assert.DoesNotContain(streamed, e => e.ActorName == "Felix Fabrikam" || e.EntityId == fabrikamDecision.Id.ToString());
        Assert.Equal(everything.Total, streamed.Count);
        Assert.Equal((0, 0), (byFelix.Total, byItsDecision.Total));
        Assert.Equal(3, (await SearchAsync(new() { EntityId = first.ToString() })).Total);
    }

    [Fact]
    public async Task AnActionNoEntryOfTheTenantHas_IsNamed_WithTheActionsTheTrailRecords()
    {
        await SeedAsync();
        await RecordAsync(Entry(_felix, "fabrikam.only", "decision", Guid.NewGuid(), null, Day));

        async Task<string?> UnknownAsync(string action)
        {
            await using var scope = _harness.Scope(DemoData.ContosoId);
            return await scope.ServiceProvider.GetRequiredService<AuditQueries>().UnknownActionAsync(AuditFilter.Require(new() { Action = action }, Day.AddDays(30)));
        }

        Assert.Null(await UnknownAsync("decision.approved"));
        Assert.Null(await UnknownAsync("policy.*"));
        var typo = await UnknownAsync("decision.aproved");
        Assert.StartsWith("No entry has the action 'decision.aproved'. Actions recorded: ", typo, StringComparison.Ordinal);
        Assert.Contains("decision.approved, decision.claimed", typo, StringComparison.Ordinal);
        Assert.DoesNotContain("fabrikam.only", typo, StringComparison.Ordinal);
        Assert.StartsWith("No entry has the action 'fabrikam.*'.", await UnknownAsync("fabrikam.*"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stream_GivesEveryMatchingEntryOldestFirst()
    {
        await SeedAsync();

        var streamed = await StreamAsync(new() { Action = "decision.*" });

        Assert.Equal(["decision.claimed", "decision.escalated", "decision.approved", "decision.rejected"], streamed.Select(e => e.Action));
        Assert.True(streamed.Zip(streamed.Skip(1)).All(p => p.First.Id < p.Second.Id));
    }

    [Fact]
    public async Task AReasonStatingAFieldThePolicyHidesFromTheReader_IsRedacted_InPagesAndExports_AndOnlyForThem()
    {
        await PolicyVersions.ActivateAsync(_harness.Services, UseCase.DynamicPricing,
            d => PolicyVersions.WithMasking(d, PolicyVersions.Masking("marginFloorPercent", "Operator, Auditor")));
        var decision = await _harness.ProposeAsync(TestCases.UncertainPricing("Masked Audit AB"));
        var olivia = await _harness.ActorAsync("operator");
        await using (var scope = _harness.Scope(DemoData.ContosoId))
        {
            await scope.ServiceProvider.GetRequiredService<AgentConsole.Domain.Decisions.DecisionService>()
                .EscalateAsync(decision.Id, olivia, "The margin floor is 25 %, too close");
        }

        var search = new AuditSearchInput { EntityId = decision.Id.ToString(), Action = "decision.escalated" };
        var forAuditor = Assert.Single((await SearchAsync(search)).Entries);
        var exported = Assert.Single(await StreamAsync(search));
        var forAdmin = Assert.Single((await SearchAsync(search, roles: [Roles.Admin])).Entries);

        Assert.Equal("The margin floor is ••• %, too close", forAuditor.Reason);
        Assert.Equal(forAuditor.Reason, exported.Reason);
        Assert.Equal("The margin floor is 25 %, too close", forAdmin.Reason);
        var stored = await _harness.WithDbAsync(db => db.AuditEntries.AsNoTracking().SingleAsync(a => a.Id == forAuditor.Id));
        Assert.Equal("The margin floor is 25 %, too close", stored.Reason);
    }

    [Fact]
    public async Task ARunsEntry_LeadsToTheDecisionItsRunProposed()
    {
        var decision = await _harness.ProposeAsync(TestCases.UncertainPricing("Run Link AB"));

        var page = await SearchAsync(new() { EntityType = "run", EntityId = decision.RunId.ToString() });

        Assert.Equal(decision.Id, page.DecisionOf(Assert.Single(page.Entries)));
    }
}
