using AgentConsole.Domain.Audit;
using AgentConsole.Domain.Persistence;
using AgentConsole.Domain.Tenancy;
using AgentConsole.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AgentConsole.Tests.Integration.Audit;

public sealed class SqliteAuditChainTests() : AuditChainEngineTests(TestEngine.Sqlite);

public sealed class PostgreSqlAuditChainTests() : AuditChainEngineTests(TestEngine.PostgreSql);

/// <summary>
/// The chain on each engine: writers saving at the same time for one tenant still make one gap-free chain (they wait
/// for each other at the tenant's head row), another tenant's chain is its own, and an entry deleted with raw SQL is found.
/// </summary>
public abstract class AuditChainEngineTests(TestEngine engine) : IAsyncLifetime
{
    private DomainHarness _harness = default!;

    public async Task InitializeAsync() => _harness = await DomainHarness.CreateAsync(engine: engine);

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    [Fact]
    public async Task ConcurrentWriters_OfOneTenant_MakeOneGapFreeChain_AndEachTenantHasItsOwn()
    {
        var before = await CountAsync(DemoData.ContosoId);

        await Task.WhenAll(Enumerable.Range(0, 8).Select(writer => Task.Run(async () =>
        {
            for (var batch = 0; batch < 5; batch++)
            {
                await using var scope = _harness.Scope(writer % 4 == 3 ? DemoData.FabrikamId : DemoData.ContosoId);
                await using var db = scope.ServiceProvider.GetRequiredService<IAgentConsoleDbFactory>().Create();
                var tenant = writer % 4 == 3 ? DemoData.FabrikamId : DemoData.ContosoId;
                for (var i = 0; i < 3; i++)
                {
                    db.AuditEntries.Add(AuditEntry.Record(Actor.System(tenant, $"writer {writer}"), "test.written", "test", $"{writer}-{batch}-{i}", null, null, null, DateTimeOffset.UtcNow));
                }

                await db.SaveChangesAsync();
            }
        })));

        foreach (var (tenant, written) in new[] { (DemoData.ContosoId, 6 * 5 * 3), (DemoData.FabrikamId, 2 * 5 * 3) })
        {
            var entries = await _harness.WithDbAsync(db => db.AuditEntries.AsNoTracking().OrderBy(e => e.Sequence).ToListAsync(), tenant);
            Assert.Equal(Enumerable.Range(1, entries.Count).Select(i => (long)i), entries.Select(e => e.Sequence));
            Assert.Equal(written, entries.Count(e => e.Action == "test.written"));
            Assert.All(entries.Skip(1).Zip(entries), pair => Assert.Equal(pair.Second.Hash, pair.First.PreviousHash));
            Assert.Equal(AuditVerificationOutcome.Intact, (await VerifyAsync(tenant)).Outcome);
        }

        Assert.Equal(before + (6 * 5 * 3), await CountAsync(DemoData.ContosoId));
    }

    [Fact]
    public async Task AnEntryDeletedWithRawSql_IsDeleted_AtItsSequence()
    {
        var victim = await _harness.WithDbAsync(db => db.AuditEntries.AsNoTracking().OrderBy(e => e.Sequence).Skip(5).FirstAsync());

        await _harness.WithDbAsync(db => db.Database.ExecuteSqlRawAsync(
            engine == TestEngine.PostgreSql ? $"DELETE FROM \"AuditEntries\" WHERE \"Id\" = {victim.Id}" : $"DELETE FROM AuditEntries WHERE Id = {victim.Id}"));

        var run = await VerifyAsync(DemoData.ContosoId);
        var finding = Assert.Single(run.Findings);
        Assert.Equal((AuditFindingKind.Deleted, victim.Sequence), (finding.Kind, finding.Sequence));
    }

    private Task<int> CountAsync(Guid tenant) => _harness.WithDbAsync(db => db.AuditEntries.CountAsync(), tenant);

    private async Task<AuditVerification> VerifyAsync(Guid tenant)
    {
        await using var scope = _harness.Scope(tenant);
        return await scope.ServiceProvider.GetRequiredService<AuditVerifier>().VerifyTenantAsync(tenant, Actor.System(tenant, "test"));
    }
}
