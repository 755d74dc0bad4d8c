using AgentConsole.Domain;
using AgentConsole.Domain.Audit;
using AgentConsole.Domain.Decisions;
using AgentConsole.Domain.Persistence;
using AgentConsole.Domain.Tenancy;
using AgentConsole.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace AgentConsole.Tests.Integration.Audit;

/// <summary>
/// A real trail on SQLite — demo set-up, decisions proposed and worked, a signed checkpoint, more work after it —
/// tampered with in the database the way someone with write access could, then verified: each kind of tampering is
/// reported at exactly the entries concerned, and nothing else is.
/// </summary>
public sealed class AuditTamperTests : IAsyncLifetime
{
    private DomainHarness _harness = default!;
    private Actor _auditor = default!;
    private WrittenCheckpoint _checkpoint = default!;

    public async Task InitializeAsync()
    {
        _harness = await DomainHarness.CreateAsync();
        _auditor = await _harness.ActorAsync("auditor");
        var olivia = await _harness.ActorAsync("operator");
        var first = await _harness.ProposeAsync(TestCases.UncertainPricing("Alpha AB"));
        var second = await _harness.ProposeAsync(TestCases.UncertainPricing("Beta Oy"));
        var third = await _harness.ProposeAsync(TestCases.UncertainPricing("Gamma SA"));
        await using (var scope = _harness.Scope(DemoData.ContosoId))
        {
            var decisions = scope.ServiceProvider.GetRequiredService<DecisionService>();
            await decisions.ClaimAsync(first.Id, olivia);
            await decisions.OverrideAsync(first.Id, olivia, new Dictionary<string, string?> { ["discountPercent"] = "3" }, "Margin floor");
            await decisions.ApproveAsync(second.Id, olivia, "Fine");
            _checkpoint = await scope.ServiceProvider.GetRequiredService<AuditCheckpoints>().WriteNowAsync(_auditor);
            await decisions.RejectAsync(third.Id, olivia, "Too generous");
        }
    }

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    [Fact]
    public async Task AnUntouchedTrail_IsIntact_AndTheRunIsKept()
    {
        var run = await VerifyAsync();

        var entries = await EntriesAsync();
        Assert.Equal(AuditVerificationOutcome.Intact, run.Outcome);
        Assert.Equal((1L, entries[^1].Sequence, entries.Count), (run.FirstSequence, run.LastSequence, (int)run.EntriesChecked));
        Assert.Equal(1, run.CheckpointsChecked);
        Assert.Equal(_checkpoint.Size, run.LatestCheckpointSize);
        var kept = await InScopeAsync(s => s.GetRequiredService<AuditVerificationQueries>().HistoryAsync(_auditor));
        Assert.Equal(("Aude Auditor", AuditVerificationOutcome.Intact), (Assert.Single(kept).RequestedBy, kept[0].Outcome));
    }

    [Fact]
    public async Task AnotherTenantsAuditor_VerifiesOnlyTheirOwnChain_AndSeesNoneOfThisTenantsRuns()
    {
        await VerifyAsync();
        var fabrikamAuditor = Actor.User(Guid.NewGuid(), "Fabrikam Auditor", DemoData.FabrikamId, [Roles.Auditor]);
        var contosoEntries = (await EntriesAsync()).Count;
        var fabrikamEntries = await _harness.WithDbAsync(db => db.AuditEntries.CountAsync(), DemoData.FabrikamId);
        var operatorActor = await _harness.ActorAsync("operator");

        await using var scope = _harness.Scope(DemoData.FabrikamId);
        var before = await scope.ServiceProvider.GetRequiredService<AuditVerificationQueries>().HistoryAsync(fabrikamAuditor);
        var run = await scope.ServiceProvider.GetRequiredService<AuditVerifier>().VerifyAsync(fabrikamAuditor);
        var after = await scope.ServiceProvider.GetRequiredService<AuditVerificationQueries>().HistoryAsync(fabrikamAuditor);
        var refused = await Assert.ThrowsAsync<DomainException>(() => scope.ServiceProvider.GetRequiredService<AuditVerifier>().VerifyAsync(operatorActor));

        Assert.Empty(before);
        Assert.Equal((AuditVerificationOutcome.Intact, (long)fabrikamEntries), (run.Outcome, run.EntriesChecked));
        Assert.NotEqual(contosoEntries, fabrikamEntries);
        Assert.Equal(run.Id, Assert.Single(after).Id);
        Assert.Equal("Your role may not verify the audit trail.", refused.Message);
    }

    [Fact]
    public async Task TheTrail_CoversTheTenantsSetUp_AndEveryChange_OnOneChainWithoutGaps()
    {
        var entries = await EntriesAsync();

        Assert.Equal(Enumerable.Range(1, entries.Count).Select(i => (long)i), entries.Select(e => e.Sequence));
        Assert.Equal(AuditChain.Genesis, entries[0].PreviousHash);
        Assert.All(entries.Skip(1).Zip(entries), pair => Assert.Equal(pair.Second.Hash, pair.First.PreviousHash));
        var actions = entries.Select(e => e.Action).ToList();
        Assert.Equal(1, actions.Count(a => a == "tenant.created"));
        Assert.Equal(11, actions.Count(a => a == "user.created"));
        Assert.Equal(4, actions.Count(a => a == "agent.created"));
        Assert.Equal(8, actions.Count(a => a == "queue.created"));
        Assert.Equal(4, actions.Count(a => a == "policy.installed"));
        Assert.Equal(["decision.claimed", "decision.overridden", "decision.approved", "decision.rejected"], actions.Where(a => a is "decision.claimed" or "decision.overridden" or "decision.approved" or "decision.rejected"));
    }

    [Theory]
    [InlineData("Reason", "'Within the margin floor'")]
    [InlineData("AfterJson", "'{\"status\":\"Approved\"}'")]
    [InlineData("ActorName", "'Omar Operator'")]
    [InlineData("At", "At + 20000")]
    public async Task AnEntryEditedInTheDatabase_IsEdited_AtThatEntry(string column, string value)
    {
        var overridden = (await EntriesAsync()).Single(e => e.Action == "decision.overridden");

        await SqlAsync($"UPDATE AuditEntries SET {column} = {value} WHERE Id = {overridden.Id}");

        Assert.Equal([$"Edited #{overridden.Sequence} id {overridden.Id}"], Findings(await VerifyAsync()));
    }

    [Fact]
    public async Task AMiddleEntryDeleted_IsDeleted_AtItsSequence()
    {
        var entries = await EntriesAsync();
        var approved = entries.Single(e => e.Action == "decision.approved");

        await SqlAsync($"DELETE FROM AuditEntries WHERE Id = {approved.Id}");

        var run = await VerifyAsync();
        Assert.Equal([$"Deleted #{approved.Sequence} id -"], Findings(run));
        Assert.Contains($"entry #{approved.Sequence} is missing: the chain goes from #{approved.Sequence - 1}", run.Findings[0].Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AForgedEntrySlippedIn_WithCorrectHashes_IsInserted()
    {
        var entries = await EntriesAsync();
        var approved = entries.Single(e => e.Action == "decision.approved");
        var before = entries.Single(e => e.Sequence == approved.Sequence - 1);

        // Make room at the approval's place (in two steps: the sequence numbers are unique), then put a forged approval there,
        // hashed and linked to the entry before it as the console would, and move the head on.
        await SqlAsync($"UPDATE AuditEntries SET Sequence = Sequence + 1000000 WHERE Sequence >= {approved.Sequence} AND TenantId = (SELECT TenantId FROM AuditEntries WHERE Id = {approved.Id})");
        await SqlAsync("UPDATE AuditEntries SET Sequence = Sequence - 999999 WHERE Sequence > 1000000");
        var forgedId = await ScalarAsync(
            $"INSERT INTO AuditEntries (TenantId, At, ActorKind, ActorId, ActorName, Action, EntityType, EntityId, Reason, BeforeJson, AfterJson, TraceId, Sequence, PreviousHash, Hash) "
            + $"SELECT TenantId, At, ActorKind, ActorId, ActorName, Action, EntityType, EntityId, 'Approved before the review', BeforeJson, AfterJson, TraceId, {approved.Sequence}, X'{Convert.ToHexString(before.Hash)}', X'' FROM AuditEntries WHERE Id = {approved.Id}; SELECT last_insert_rowid();");
        var forged = (await EntriesAsync()).Single(e => e.Id == forgedId);
        await SqlAsync($"UPDATE AuditEntries SET Hash = X'{Convert.ToHexString(AuditChain.Link(before.Hash, AuditChain.Leaf(forged)))}' WHERE Id = {forgedId}");
        await SqlAsync("UPDATE AuditChainHeads SET Sequence = Sequence + 1 WHERE Sequence = (SELECT MAX(Sequence) FROM AuditChainHeads)");

        Assert.Equal([$"Inserted #{approved.Sequence} id {forgedId}"], Findings(await VerifyAsync()));
    }

    [Fact]
    public async Task TwoEntriesThatSwappedSequenceNumbers_AreReordered()
    {
        var entries = await EntriesAsync();
        var claimed = entries.Single(e => e.Action == "decision.claimed");
        var approved = entries.Single(e => e.Action == "decision.approved");

        await SqlAsync($"UPDATE AuditEntries SET Sequence = -1 WHERE Id = {claimed.Id}");
        await SqlAsync($"UPDATE AuditEntries SET Sequence = {claimed.Sequence} WHERE Id = {approved.Id}");
        await SqlAsync($"UPDATE AuditEntries SET Sequence = {approved.Sequence} WHERE Id = {claimed.Id}");

        Assert.Equal([$"Reordered #{claimed.Sequence} id {approved.Id}", $"Reordered #{approved.Sequence} id {claimed.Id}"], Findings(await VerifyAsync()));
    }

    [Fact]
    public async Task TheTailDeletedAfterACheckpoint_WithTheHeadWoundBack_IsTruncated()
    {
        var keep = _checkpoint.Size - 3;
        var last = (await EntriesAsync()).Single(e => e.Sequence == keep);

        await SqlAsync($"DELETE FROM AuditEntries WHERE Sequence > {keep} AND TenantId = (SELECT TenantId FROM AuditEntries WHERE Id = {last.Id})");
        await SqlAsync($"UPDATE AuditChainHeads SET Sequence = {keep}, Hash = X'{Convert.ToHexString(last.Hash)}' WHERE Sequence > {keep} AND Sequence = (SELECT MAX(Sequence) FROM AuditChainHeads)");

        var run = await VerifyAsync();
        Assert.Equal([$"Truncated #{keep + 1} id -"], Findings(run));
        Assert.Contains($"the chain ends at #{keep}, but the checkpoint signed", run.Findings[0].Detail, StringComparison.Ordinal);
        Assert.Contains($"records {_checkpoint.Size}", run.Findings[0].Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ACheckpointFileWithAnotherRoot_IsAForgedCheckpoint()
    {
        var file = CheckpointFile();
        var root = File.ReadAllLines(file)[2];

        await File.WriteAllTextAsync(file, (await File.ReadAllTextAsync(file)).Replace(root, Convert.ToBase64String(new byte[32]), StringComparison.Ordinal));

        var run = await VerifyAsync();
        Assert.Equal([$"ForgedCheckpoint #{_checkpoint.Size} id -"], Findings(run));
        Assert.Contains("its signature does not match its text", run.Findings[0].Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ACheckpointFileWithAnotherSignature_IsAForgedCheckpoint()
    {
        var file = CheckpointFile();
        var lines = await File.ReadAllLinesAsync(file);
        var signature = Convert.FromBase64String(lines[^1].Split(' ')[2]);
        signature[^1] ^= 0xFF;

        await File.WriteAllTextAsync(file, string.Join("\n", lines[..^1].Append(string.Join(' ', lines[^1].Split(' ')[..2].Append(Convert.ToBase64String(signature))))) + "\n");

        Assert.Equal([$"ForgedCheckpoint #{_checkpoint.Size} id -"], Findings(await VerifyAsync()));
    }

    [Fact]
    public async Task AChainEditedAndRehashedToTheEnd_NoLongerMatchesItsCheckpoint()
    {
        var entries = await EntriesAsync();
        var overridden = entries.Single(e => e.Action == "decision.overridden");

        // The most careful forger: changes an entry, then recomputes every hash after it and the head, as the console would.
        await SqlAsync($"UPDATE AuditEntries SET Reason = 'Agreed with sales' WHERE Id = {overridden.Id}");
        var previous = entries.Single(e => e.Sequence == overridden.Sequence - 1).Hash;
        foreach (var entry in (await EntriesAsync()).Where(e => e.Sequence >= overridden.Sequence))
        {
            var hash = AuditChain.Link(previous, AuditChain.Leaf(entry));
            await SqlAsync($"UPDATE AuditEntries SET PreviousHash = X'{Convert.ToHexString(previous)}', Hash = X'{Convert.ToHexString(hash)}' WHERE Id = {entry.Id}");
            previous = hash;
        }

        await SqlAsync($"UPDATE AuditChainHeads SET Hash = X'{Convert.ToHexString(previous)}' WHERE Hash = X'{Convert.ToHexString(entries[^1].Hash)}'");

        var run = await VerifyAsync();
        var atCheckpoint = entries.Single(e => e.Sequence == _checkpoint.Size);
        Assert.Equal([$"ForgedCheckpoint #{_checkpoint.Size} id {atCheckpoint.Id}"], Findings(run));
        Assert.Contains("were rewritten and re-hashed after it was signed", run.Findings[0].Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckpointsSignedByAnotherKey_StopVerification_SayingTheKeyIsWrong()
    {
        var file = CheckpointFile();
        using var other = new CheckpointKeys(Options.Create(new AuditOptions { CheckpointKey = TestKeys.OtherCheckpointKey }),
            new HostingEnvironment { EnvironmentName = "Production" }, NullLogger<CheckpointKeys>.Instance);
        var reading = Checkpoint.Read(await File.ReadAllTextAsync(file), _checkpoint.Origin, _harness.Services.GetRequiredService<CheckpointKeys>());

        await File.WriteAllTextAsync(file, reading.Checkpoint!.Sign(other));

        var run = await VerifyAsync();
        Assert.Equal(AuditVerificationOutcome.Stopped, run.Outcome);
        Assert.StartsWith("The checkpoint key is wrong: all 1 checkpoints in ", run.Problem, StringComparison.Ordinal);
        Assert.Contains("Set Audit:CheckpointKey (or Audit:CheckpointPublicKey) to the key that signs them.", run.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NoKeyAtAll_StopsVerification_SayingWhatToSet()
    {
        await using var harness = await DomainHarness.CreateAsync(new Dictionary<string, string?> { ["Audit:CheckpointKeyFile"] = "/nonexistent/audit-checkpoint.key" });
        harness.Services.GetRequiredService<CheckpointKeys>().NeverGenerate();

        await using var scope = harness.Scope(DemoData.ContosoId);
        var run = await scope.ServiceProvider.GetRequiredService<AuditVerifier>().VerifyAsync(await harness.ActorAsync("auditor"));

        Assert.Equal(AuditVerificationOutcome.Stopped, run.Outcome);
        Assert.StartsWith("There is no checkpoint key: set Audit:CheckpointKey, or Audit:CheckpointPublicKey to verify only", run.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheDataLayer_RefusesToChangeOrDeleteAnEntry_OneByOneOrInBulk()
    {
        var reason = (await EntriesAsync()).Single(e => e.Action == "decision.overridden");
        await using var scope = _harness.Scope(DemoData.ContosoId);
        await using var db = scope.ServiceProvider.GetRequiredService<IAgentConsoleDbFactory>().Create();
        var entry = await db.AuditEntries.SingleAsync(e => e.Id == reason.Id);

        db.Entry(entry).Property(e => e.Reason).CurrentValue = "Changed by an admin";
        var changed = await Assert.ThrowsAsync<AuditEntryChangeRefusedException>(() => db.SaveChangesAsync());
        db.ChangeTracker.Clear();
        db.AuditEntries.Remove(entry);
        var deleted = await Assert.ThrowsAsync<AuditEntryChangeRefusedException>(() => db.SaveChangesAsync());
        db.ChangeTracker.Clear();
        await Assert.ThrowsAsync<AuditEntryChangeRefusedException>(() => db.AuditEntries.Where(e => e.Id == reason.Id).ExecuteDeleteAsync());
        await Assert.ThrowsAsync<AuditEntryChangeRefusedException>(() => db.AuditEntries.ExecuteUpdateAsync(s => s.SetProperty(e => e.Reason, "bulk")));

        Assert.Contains("cannot be changed (Reason): the audit trail is append-only, for everyone, admins included", changed.Message, StringComparison.Ordinal);
        Assert.Contains("cannot be deleted", deleted.Message, StringComparison.Ordinal);
        Assert.Equal("Margin floor", (await EntriesAsync()).Single(e => e.Id == reason.Id).Reason);
        Assert.Equal(AuditVerificationOutcome.Intact, (await VerifyAsync()).Outcome);
    }

    private async Task<AuditVerification> VerifyAsync() =>
        await InScopeAsync(s => s.GetRequiredService<AuditVerifier>().VerifyAsync(_auditor));

    private async Task<T> InScopeAsync<T>(Func<IServiceProvider, Task<T>> action)
    {
        await using var scope = _harness.Scope(DemoData.ContosoId);
        return await action(scope.ServiceProvider);
    }

    private Task<List<AuditEntry>> EntriesAsync() =>
        _harness.WithDbAsync(db => db.AuditEntries.AsNoTracking().OrderBy(e => e.Sequence).ThenBy(e => e.Id).ToListAsync());

    private string CheckpointFile() => Path.Combine(_checkpoint.Location, $"{_checkpoint.Size}.checkpoint");

    /// <summary>The findings as "Kind #sequence id", e.g. "Edited #40 id 57".</summary>
    private static List<string> Findings(AuditVerification run) =>
        [.. run.Findings.Select(f => $"{f.Kind} #{f.Sequence} id {f.EntryId?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-"}")];

    /// <summary>Runs SQL on the database directly, past the console's data layer, as someone with access to the database could.</summary>
    private async Task SqlAsync(string sql) => await ScalarAsync(sql);

    private async Task<long> ScalarAsync(string sql)
    {
        await using var connection = new SqliteConnection(_harness.Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync() is long id ? id : 0;
    }
}
