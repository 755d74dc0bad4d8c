using AgentConsole.Domain.Audit;
using AgentConsole.Domain.Decisions;
using AgentConsole.Domain.Tenancy;
using AgentConsole.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AgentConsole.Tests.Integration.Audit;

/// <summary>
/// <c>AgentConsole.Jobs verify-audit</c> as a scheduler runs it — the job host's build output, as its own process,
/// against a real SQLite trail with a signed checkpoint — and its exit codes: 0 intact, 1 tampering found (a line per
/// finding), 2 could not verify (the reason on standard error).
/// </summary>
public sealed class VerifyAuditCommandTests : IAsyncLifetime
{
    private DomainHarness _harness = default!;

    public async Task InitializeAsync()
    {
        _harness = await DomainHarness.CreateAsync(new Dictionary<string, string?> { ["Audit:CheckpointKey"] = TestKeys.CheckpointKey });
        var olivia = await _harness.ActorAsync("operator");
        var decision = await _harness.ProposeAsync(TestCases.UncertainPricing("Alpha AB"));
        await using var scope = _harness.Scope(DemoData.ContosoId);
        await scope.ServiceProvider.GetRequiredService<DecisionService>().ApproveAsync(decision.Id, olivia, "Fine");
        await scope.ServiceProvider.GetRequiredService<AuditCheckpoints>().WriteNowAsync(await _harness.ActorAsync("auditor"));
    }

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    [Fact]
    public async Task AnIntactTrail_ExitsZero_WithALinePerTenant()
    {
        var (exit, output) = await RunAsync(TestKeys.CheckpointKey);

        Assert.Equal(0, exit);
        Assert.Matches(@"contoso: intact, \d+ entries and 1 checkpoints checked", output);
        Assert.Matches(@"fabrikam: intact, \d+ entries and \d+ checkpoints checked", output);
    }

    [Fact]
    public async Task ATamperedEntry_ExitsOne_NamingTheEntryAndTheKind()
    {
        var approved = await _harness.WithDbAsync(db => db.AuditEntries.AsNoTracking().SingleAsync(e => e.Action == "decision.approved"));
        await using (var connection = new SqliteConnection(_harness.Database.ConnectionString))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = $"UPDATE AuditEntries SET Reason = 'Checked twice' WHERE Id = {approved.Id}";
            await command.ExecuteNonQueryAsync();
        }

        var (exit, output) = await RunAsync(TestKeys.CheckpointKey, "--tenant", "contoso");

        Assert.Equal(1, exit);
        Assert.Contains($"contoso: #{approved.Sequence} (id {approved.Id}) edited", output, StringComparison.Ordinal);
        Assert.DoesNotContain("fabrikam", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnotherKey_ExitsTwo_SayingTheKeyIsWrong()
    {
        var (exit, output) = await RunAsync(TestKeys.OtherCheckpointKey, "--tenant", "contoso");

        Assert.Equal(2, exit);
        Assert.Contains("contoso: verification stopped: The checkpoint key is wrong", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnUnknownTenant_ExitsTwo_SayingSo()
    {
        var (exit, output) = await RunAsync(TestKeys.CheckpointKey, "--tenant", "nobody");

        Assert.Equal(2, exit);
        Assert.Contains("verify-audit: there is no tenant 'nobody'.", output, StringComparison.Ordinal);
    }

    private async Task<(int Exit, string Output)> RunAsync(string key, params string[] arguments)
    {
        var settings = new Dictionary<string, string?>(_harness.Database.Settings)
        {
            ["Audit:CheckpointKey"] = key,
            ["Audit:CheckpointDirectory"] = Path.Combine(_harness.Directory, "checkpoints"),
        };
        await using var node = NodeProcess.RunJobsCommand("verify-audit", ["verify-audit", .. arguments], settings);
        var exit = await node.WaitForExitAsync(TimeSpan.FromSeconds(60));
        return (exit, node.Output);
    }
}
