using AgentConsole.Domain.Audit;
using AgentConsole.Domain.Persistence;
using AgentConsole.Domain.Tenancy;
using AgentConsole.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace AgentConsole.Tests.Integration.Audit;

/// <summary>
/// A trail written before the chain existed, as the migration leaves it (entries numbered in id order, no hashes, a
/// head without a hash): verification stops and says so, and sealing at start-up chains it exactly as if the entries
/// had been sealed when they were written.
/// </summary>
public sealed class AuditBackfillTests : IAsyncLifetime
{
    private DomainHarness _harness = default!;

    public async Task InitializeAsync()
    {
        _harness = await DomainHarness.CreateAsync();
        await _harness.ProposeAsync(TestCases.UncertainPricing("Alpha AB"));
    }

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    [Fact]
    public async Task EntriesFromBeforeTheChain_StopVerificationUntilSealed_ThenChainAsIfSealedWhenWritten()
    {
        var sealedWhenWritten = await _harness.WithDbAsync(db => db.AuditEntries.IgnoreQueryFilters().AsNoTracking().OrderBy(e => e.Id).Select(e => new { e.Id, e.Sequence, e.Hash }).ToListAsync());
        await SqlAsync("UPDATE AuditEntries SET Hash = X'', PreviousHash = X''; UPDATE AuditChainHeads SET Hash = X'';");

        var stopped = await VerifyAsync();
        var sealedCount = await AuditBackfill.SealAsync(_harness.Services.GetRequiredService<DatabaseProvider>(), NullLogger.Instance);
        var again = await AuditBackfill.SealAsync(_harness.Services.GetRequiredService<DatabaseProvider>(), NullLogger.Instance);

        Assert.Equal(AuditVerificationOutcome.Stopped, stopped.Outcome);
        Assert.StartsWith("The chain still has entries written before it existed", stopped.Problem, StringComparison.Ordinal);
        Assert.Equal((sealedWhenWritten.Count, 0L), (sealedCount, again));
        var resealed = await _harness.WithDbAsync(db => db.AuditEntries.IgnoreQueryFilters().AsNoTracking().OrderBy(e => e.Id).Select(e => new { e.Id, e.Sequence, e.Hash }).ToListAsync());
        Assert.Equal(sealedWhenWritten.Select(e => Convert.ToHexString(e.Hash)), resealed.Select(e => Convert.ToHexString(e.Hash)));
        Assert.Equal(AuditVerificationOutcome.Intact, (await VerifyAsync()).Outcome);
    }

    private async Task<AuditVerification> VerifyAsync()
    {
        await using var scope = _harness.Scope(DemoData.ContosoId);
        return await scope.ServiceProvider.GetRequiredService<AuditVerifier>().VerifyTenantAsync(DemoData.ContosoId, Actor.System(DemoData.ContosoId, "test"));
    }

    private async Task SqlAsync(string sql)
    {
        await using var connection = new SqliteConnection(_harness.Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }
}
