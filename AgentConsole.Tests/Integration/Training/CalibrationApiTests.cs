using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AgentConsole.Domain.Agents;
using AgentConsole.Domain.Tenancy;
using AgentConsole.Domain.Training.Calibration;
using AgentConsole.Domain.Training.Scenarios;
using AgentConsole.Tests.Infrastructure;
using Hangfire;
using Hangfire.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AgentConsole.Tests.Integration.Training;

/// <summary>
/// Calibration through the running console: the recurring Hangfire job seeds gold items once per slot; to an operator a
/// gold item is the same in the API as a real one; a paused operator is refused with ProblemDetails that give the reason;
/// the dashboard and a trainer's clearance are role-checked and refuse bad input.
/// </summary>
public sealed class CalibrationApiTests : IAsyncLifetime
{
    private static readonly TimeSpan Slot = TimeSpan.FromMinutes(30);
    private readonly ManualClock _clock = new(GoldItemSeeding.SlotOf(DateTimeOffset.UtcNow, Slot) + TimeSpan.FromMinutes(25));
    private ConsoleFactory _console = default!;

    public async Task InitializeAsync()
    {
        _console = new ConsoleFactory
        {
            Settings = { ["Calibration:SeedGoldItems"] = "true" },
            ReplaceServices = s => s.AddSingleton<TimeProvider>(_clock),
        }.Start();
        await Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _console.DisposeAsync();

    private async Task<GoldItem> NextGoldItemAsync()
    {
        _clock.Advance(Slot);
        await using var scope = _console.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantContext>().Use(DemoData.ContosoId);
        Assert.Equal(1, await scope.ServiceProvider.GetRequiredService<GoldItemSeeding>().SeedDueAsync());
        return await _console.ReadAsync(db => db.GoldItems.AsNoTracking().OrderByDescending(g => g.SlotStart).FirstAsync());
    }

    private static async Task<JsonElement> JsonAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static Task<HttpResponseMessage> PostAsync(HttpClient client, string path, object body) =>
        client.PostAsJsonAsync(new Uri(path, UriKind.Relative), body);

    private static string[] Shape(JsonElement e) => [.. e.EnumerateObject().Select(p => $"{p.Name}:{p.Value.ValueKind}")];

    [Fact]
    public async Task TheRecurringJob_SeedsAGoldItemOncePerSlot()
    {
        var storage = _console.Services.GetRequiredService<JobStorage>();
        using (var connection = storage.GetConnection())
        {
            var job = Assert.Single(connection.GetRecurringJobs(), j => j.Id == "seed-gold-items");
            Assert.Equal(Cron.Minutely(), job.Cron);
        }

        var jobs = (IRecurringJobManagerV2)_console.Services.GetRequiredService<IRecurringJobManager>();
        async Task RunJobAsync()
        {
            // Waits for this very run: other recurring jobs succeed meanwhile too.
            var jobId = jobs.TriggerJob("seed-gold-items");
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (true)
            {
                using var connection = storage.GetConnection();
                if (connection.GetStateData(jobId)?.Name == Hangfire.States.SucceededState.StateName)
                {
                    break;
                }

                Assert.True(DateTime.UtcNow < deadline, "The seeding job did not finish within 30 s.");
                await Task.Delay(100);
            }
        }

        await RunJobAsync();
        await RunJobAsync();

        // One for Contoso's first pricing tier, one for Fabrikam's: each tenant's policy seeds its own queues, once.
        Assert.Equal(1, await _console.ReadAsync(db => db.GoldItems.CountAsync()));
        Assert.Equal(1, await _console.ReadAsync(db => db.GoldItems.CountAsync(), DemoData.FabrikamId));
        var gold = await _console.ReadAsync(db => db.GoldItems.AsNoTracking().SingleAsync());
        Assert.Equal(ConsoleFactory.QueueId("pricing-t1"), gold.QueueId);
    }

    [Fact]
    public async Task ToAnOperator_AGoldItemLooksExactlyLikeARealOne_InTheApi()
    {
        var gold = await NextGoldItemAsync();
        var real = await _console.ProposeAsync(TestCases.UncertainPricing("Real Customer AB"));
        var operatorClient = await _console.SignInAsync("operator");

        var goldBody = await JsonAsync(operatorClient, $"/api/decisions/{gold.DecisionId}");
        var realBody = await JsonAsync(operatorClient, $"/api/decisions/{real.Id}");
        var rows = (await JsonAsync(operatorClient, $"/api/queues/{ConsoleFactory.QueueId("pricing-t1")}/decisions")).EnumerateArray().ToList();
        var goldRow = rows.Single(r => r.GetProperty("id").GetGuid() == gold.DecisionId);
        var realRow = rows.Single(r => r.GetProperty("id").GetGuid() == real.Id);

        Assert.Equal(Shape(realBody).Where(p => !p.StartsWith("final:", StringComparison.Ordinal)), Shape(goldBody).Where(p => !p.StartsWith("final:", StringComparison.Ordinal)));
        Assert.Equal(Shape(realRow), Shape(goldRow));
        Assert.Equal(realBody.GetProperty("routedBy").GetString(), goldBody.GetProperty("routedBy").GetString());
        foreach (var text in new[] { goldBody.GetRawText(), goldRow.GetRawText() })
        {
            Assert.DoesNotContain("gold", text, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("calibration", text, StringComparison.OrdinalIgnoreCase);
        }

        // Its history and its lineage read the same way.
        var lineage = await JsonAsync(operatorClient, $"/api/decisions/{gold.DecisionId}/lineage");
        Assert.DoesNotContain("gold", lineage.GetRawText(), StringComparison.OrdinalIgnoreCase);

        // An auditor may learn which decision was gold; an operator may not ask.
        Assert.Equal(HttpStatusCode.Forbidden, (await operatorClient.GetAsync(new Uri($"/api/calibration/gold-items/{gold.DecisionId}", UriKind.Relative))).StatusCode);
        var auditor = await _console.SignInAsync("auditor");
        var seen = await JsonAsync(auditor, $"/api/calibration/gold-items/{gold.DecisionId}");
        Assert.Equal(gold.GoldAction.ToString(), seen.GetProperty("goldAction").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await auditor.GetAsync(new Uri($"/api/calibration/gold-items/{real.Id}", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task APausedOperator_IsRefusedWithTheReason_SeesItOnTheirRows_AndATrainerClearsIt()
    {
        await PolicyVersions.ActivateAsync(_console.Services, UseCase.DynamicPricing, d => d
            .Replace("minimumAnswers: 5", "minimumAnswers: 3", StringComparison.Ordinal)
            .Replace("pauseFrom: [medium, high, critical]", "pauseFrom: [low, medium, high, critical]", StringComparison.Ordinal));
        var operatorClient = await _console.SignInAsync("operator");
        for (var i = 0; i < 3; i++)
        {
            var gold = await NextGoldItemAsync();
            Assert.Equal(HttpStatusCode.OK, (await PostAsync(operatorClient, $"/api/decisions/{gold.DecisionId}/claim", new { })).StatusCode);
            var verb = gold.GoldAction == GoldAction.Approve ? "reject" : "approve";
            Assert.Equal(HttpStatusCode.OK, (await PostAsync(operatorClient, $"/api/decisions/{gold.DecisionId}/{verb}", new { reason = "My call" })).StatusCode);
        }

        var real = await _console.ProposeAsync(TestCases.UncertainPricing("After The Pause AB"));
        using var refused = await PostAsync(operatorClient, $"/api/decisions/{real.Id}/claim", new { });
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        var problem = await refused.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("decision.calibration-paused", problem.GetProperty("code").GetString());
        Assert.Equal("You cannot claim this decision: you are paused from low-, medium-, high- and critical-risk dynamic pricing decisions because your "
            + "accuracy 0% over the last 3 gold items (7 days), below the policy's 60%. A trainer must clear the pause.", problem.GetProperty("detail").GetString());
        var row = (await JsonAsync(operatorClient, $"/api/queues/{ConsoleFactory.QueueId("pricing-t1")}/decisions")).EnumerateArray().Single(r => r.GetProperty("id").GetGuid() == real.Id);
        Assert.StartsWith("you are paused from low-, medium-, high- and critical-risk dynamic pricing decisions", row.GetProperty("pausedReason").GetString(), StringComparison.Ordinal);
        Assert.NotNull((await JsonAsync(operatorClient, $"/api/decisions/{real.Id}")).GetProperty("pausedReason").GetString());
        var mine = (await JsonAsync(operatorClient, "/api/me/calibration/pauses")).EnumerateArray().Single();
        var pauseId = mine.GetProperty("id").GetGuid();

        // The supervisor sees who is paused and why.
        var senior = await _console.SignInAsync("senior");
        var dashboard = await JsonAsync(senior, "/api/calibration?days=7");
        var paused = dashboard.GetProperty("activePauses").EnumerateArray().Single();
        Assert.Equal(("Olivia Operator", 0d), (paused.GetProperty("personName").GetString(), paused.GetProperty("accuracyPercent").GetDouble()));
        using var badDays = await senior.GetAsync(new Uri("/api/calibration?days=0", UriKind.Relative));
        Assert.Equal(HttpStatusCode.BadRequest, badDays.StatusCode);
        Assert.True((await badDays.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("days", out _));
        Assert.Equal(HttpStatusCode.Forbidden, (await operatorClient.GetAsync(new Uri("/api/calibration", UriKind.Relative))).StatusCode);

        // Only a trainer clears it, with a reason.
        var clearPath = $"/api/calibration/pauses/{pauseId}/clear";
        Assert.Equal(HttpStatusCode.Forbidden, (await PostAsync(senior, clearPath, new { reason = "Fine by me" })).StatusCode);
        var trainer = await _console.SignInAsync("trainer");
        using var noReason = await PostAsync(trainer, clearPath, new { reason = "" });
        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        Assert.True((await noReason.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("reason", out _));
        Assert.Equal(HttpStatusCode.Forbidden, (await PostAsync(operatorClient, $"/api/decisions/{real.Id}/claim", new { })).StatusCode);

        using var cleared = await PostAsync(trainer, clearPath, new { reason = "Retrained on margin floors" });
        Assert.Equal(HttpStatusCode.OK, cleared.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await PostAsync(trainer, clearPath, new { reason = "Again" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(operatorClient, $"/api/decisions/{real.Id}/claim", new { })).StatusCode);
        Assert.Empty((await JsonAsync(operatorClient, "/api/me/calibration/pauses")).EnumerateArray());
    }
}
