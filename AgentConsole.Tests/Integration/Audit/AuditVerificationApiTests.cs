using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AgentConsole.Tests.Infrastructure;
using Hangfire;
using Hangfire.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AgentConsole.Tests.Integration.Audit;

[CollectionDefinition(Name)]
public sealed class AuditConsoleCollection : ICollectionFixture<AuditConsoleFixture>
{
    public const string Name = "audit-console";
}

/// <summary>The console with its real Hangfire server (SQLite storage), as it starts by default.</summary>
public sealed class AuditConsoleFixture() : ConsoleHost(new ConsoleFactory());

/// <summary>
/// Checkpoints and verification through the running console: the recurring Hangfire job that writes the signed
/// checkpoints, the verification API for auditors, and no way for anyone — admins included — to change the trail.
/// </summary>
[Collection(AuditConsoleCollection.Name)]
public sealed class AuditVerificationApiTests(AuditConsoleFixture fixture)
{
    private ConsoleFactory Factory => fixture.Factory;

    [Fact]
    public async Task TheRecurringJob_IsScheduledEveryTenMinutes_AndWritesASignedCheckpointOfEveryChainThatGrew()
    {
        var storage = Factory.Services.GetRequiredService<JobStorage>();
        using (var connection = storage.GetConnection())
        {
            var job = Assert.Single(connection.GetRecurringJobs(), j => j.Id == "write-audit-checkpoints");
            Assert.Equal("*/10 * * * *", job.Cron);
        }

        var directory = Factory.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Domain.Audit.AuditOptions>>().Value.CheckpointDirectory;
        var contoso = Path.Combine(directory, "contoso");
        var head = await Factory.ReadAsync(db => db.AuditChainHeads.AsNoTracking().Select(h => h.Sequence).SingleAsync());

        bool Written() => Directory.Exists(contoso) && Directory.EnumerateFiles(contoso, "*.checkpoint")
            .Any(f => long.Parse(Path.GetFileNameWithoutExtension(f), System.Globalization.CultureInfo.InvariantCulture) >= head);
        Assert.False(Written(), "No checkpoint is written before the job runs.");

        Factory.Services.GetRequiredService<IRecurringJobManager>().Trigger("write-audit-checkpoints");

        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!Written())
        {
            Assert.True(DateTime.UtcNow < deadline, $"No checkpoint of contoso at {head} or later in {contoso} within 30 s.");
            await Task.Delay(200);
        }

        Assert.True(Directory.Exists(Path.Combine(directory, "fabrikam")), "Fabrikam's chain grew too, so it has a checkpoint.");
        var auditor = await Factory.SignInAsync("auditor");
        var run = await (await auditor.PostAsync(new Uri("/api/audit/verification", UriKind.Relative), null)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Intact", run.GetProperty("outcome").GetString());
        Assert.True(run.GetProperty("checkpointsChecked").GetInt32() >= 1);
    }

    [Fact]
    public async Task ACheckpointDirectoryThatCannotBeWritten_IsRefusedNamingTheSetting_AndNothingIsWritten()
    {
        // A file stands where the checkpoint directory's parent should be: no one, root included, can create it.
        var blocker = Path.Combine(Path.GetTempPath(), $"agentconsole-not-a-directory-{Guid.NewGuid():N}");
        await File.WriteAllTextAsync(blocker, "a file where a directory should be");
        try
        {
            await using var console = new ConsoleFactory { Settings = { ["Audit:CheckpointDirectory"] = Path.Combine(blocker, "checkpoints") } }.Start();
            var auditor = await console.SignInAsync("auditor");

            using var response = await auditor.PostAsync(new Uri("/api/audit/checkpoints", UriKind.Relative), null);

            Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal("audit.checkpoint-store", problem.GetProperty("code").GetString());
            Assert.Contains("Audit:CheckpointDirectory", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
            Assert.Equal("a file where a directory should be", await File.ReadAllTextAsync(blocker));
        }
        finally
        {
            File.Delete(blocker);
        }
    }

    [Fact]
    public async Task Verification_IsForAuditorsAndAdmins_AndKeepsEachRunInTheHistory()
    {
        var operatorClient = await Factory.SignInAsync("operator");
        var auditor = await Factory.SignInAsync("auditor");

        using var refused = await operatorClient.PostAsync(new Uri("/api/audit/verification", UriKind.Relative), null);
        using var verified = await auditor.PostAsync(new Uri("/api/audit/verification", UriKind.Relative), null);
        var run = await verified.Content.ReadFromJsonAsync<JsonElement>();
        var overview = await auditor.GetFromJsonAsync<JsonElement>("/api/audit/verification");

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal("Intact", run.GetProperty("outcome").GetString());
        Assert.True(run.GetProperty("entriesChecked").GetInt64() > 0);
        Assert.Equal(run.GetProperty("id").GetGuid(), overview.GetProperty("latest").GetProperty("id").GetGuid());
        Assert.Contains(overview.GetProperty("history").EnumerateArray(), h => h.GetProperty("id").GetGuid() == run.GetProperty("id").GetGuid());
    }

    [Theory]
    [InlineData("admin")]
    [InlineData("auditor")]
    public async Task NoOne_AdminsIncluded_CanChangeOrDeleteAnEntryThroughTheProduct(string userName)
    {
        var client = await Factory.SignInAsync(userName);
        var entry = await Factory.ReadAsync(db => db.AuditEntries.AsNoTracking().OrderBy(e => e.Sequence).FirstAsync());

        // The product has no route that changes or removes audit entries: every such request finds nothing to act on.
        var attempts = new List<(HttpMethod Method, string Path)>
        {
            (HttpMethod.Delete, $"/api/audit/{entry.Id}"),
            (HttpMethod.Put, $"/api/audit/{entry.Id}"),
            (HttpMethod.Patch, $"/api/audit/{entry.Id}"),
            (HttpMethod.Delete, "/api/audit/verification"),
            (HttpMethod.Put, "/api/audit/verification"),
            (HttpMethod.Delete, "/api/audit/checkpoints"),
        };
        foreach (var (method, path) in attempts)
        {
            using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative)) { Content = JsonContent.Create(new { reason = "Changed by an admin" }) };
            using var response = await client.SendAsync(request);
            Assert.True(response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed, $"{method} {path} as {userName}: {(int)response.StatusCode}");
        }

        var after = await Factory.ReadAsync(db => db.AuditEntries.AsNoTracking().SingleAsync(e => e.Id == entry.Id));
        Assert.Equal(entry.Reason, after.Reason);
        Assert.Equal(entry.Hash, after.Hash);
        var run = await (await (await Factory.SignInAsync("auditor")).PostAsync(new Uri("/api/audit/verification", UriKind.Relative), null)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Intact", run.GetProperty("outcome").GetString());
    }
}
