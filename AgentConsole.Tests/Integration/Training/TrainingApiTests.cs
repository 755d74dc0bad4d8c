using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AgentConsole.Tests.Infrastructure;
using static AgentConsole.Tests.Infrastructure.Problems;
using Microsoft.EntityFrameworkCore;

namespace AgentConsole.Tests.Integration.Training;

/// <summary>The console with its demo data, for the training API.</summary>
public sealed class TrainingApiHost() : ConsoleHost(new ConsoleFactory());

/// <summary>Trainers build a track through the API; bad input answers ProblemDetails naming the fields and changes nothing.</summary>
public sealed class TrainingApiTests(TrainingApiHost host) : IClassFixture<TrainingApiHost>
{
    private ConsoleFactory Factory => host.Factory;

    [Fact]
    public async Task ATrainer_BuildsAndPublishesATrack_AndBadInputIsRefusedNamingTheFields()
    {
        var trainer = await Factory.SignInAsync("trainer");
        var tracksBefore = await Factory.ReadAsync(db => db.TrainingTracks.CountAsync());

        var bad = await ProblemAsync(await trainer.PostAsJsonAsync("/api/training/tracks",
            new { key = "Bad Key", name = "", certificationKey = "api-reviewer", passMarkPercent = 150, timeLimitMinutes = 10, attemptsAllowed = 2, validityDays = 90 }), HttpStatusCode.BadRequest);
        Assert.Equal(["key", "name", "passMarkPercent"], ErrorFields(bad));
        Assert.Equal(tracksBefore, await Factory.ReadAsync(db => db.TrainingTracks.CountAsync()));

        var created = await trainer.PostAsJsonAsync("/api/training/tracks",
            new { key = "api-reviewer", name = "API reviewer", certificationKey = "api-reviewer", passMarkPercent = 75, timeLimitMinutes = 10, attemptsAllowed = 2, validityDays = 90 });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var trackId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var withExercise = await (await trainer.PostAsJsonAsync($"/api/training/tracks/{trackId}/exercises", new { title = "Discounts" })).Content.ReadFromJsonAsync<JsonElement>();
        var exerciseId = withExercise.GetProperty("exercises")[0].GetProperty("id").GetGuid();
        var pricing = await Factory.ReadAsync(db => db.Agents.SingleAsync(a => a.Key == "pricing"));
        var scenarios = $"/api/training/tracks/{trackId}/exercises/{exerciseId}/scenarios";

        var inputs = TestCases.UncertainPricing("Api Case AB").Inputs;
        inputs["comparableDeals"] = "many";
        var invalid = await ProblemAsync(await trainer.PostAsJsonAsync(scenarios, new
        {
            agentId = pricing.Id, subject = "Discount for Api Case AB", inputs, proposal = new { discountPercent = 7.5 }, confidence = 0.6,
            goldAction = "overrule", explanation = "Because.",
        }), HttpStatusCode.BadRequest);
        Assert.Equal(["goldAction", "inputs.comparableDeals"], ErrorFields(invalid));

        inputs["comparableDeals"] = 2;
        var written = await trainer.PostAsJsonAsync(scenarios, new
        {
            agentId = pricing.Id, subject = "Discount for Api Case AB", inputs, proposal = new { discountPercent = 7.5 }, confidence = 0.6,
            goldAction = "override", goldValues = new { discountPercent = 4.5 }, explanation = "Few deals: stay near the gap.",
        });
        Assert.Equal(HttpStatusCode.Created, written.StatusCode);
        var generated = await (await trainer.PostAsJsonAsync(scenarios + "/generate", new { agentId = pricing.Id, count = 3 })).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(3, generated.GetArrayLength());
        Assert.All(generated.EnumerateArray(), s => Assert.Equal("Generated", s.GetProperty("source").GetString()));
        await ProblemAsync(await trainer.PostAsJsonAsync(scenarios + "/generate", new { agentId = pricing.Id, count = 500 }), HttpStatusCode.BadRequest);

        var published = await (await trainer.PostAsync(new Uri($"/api/training/tracks/{trackId}/publish", UriKind.Relative), null)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Published", published.GetProperty("state").GetString());
        Assert.Equal(4, published.GetProperty("exercises")[0].GetProperty("scenarios").GetArrayLength());

        var frozen = await ProblemAsync(await trainer.PutAsJsonAsync($"/api/training/tracks/{trackId}",
            new { key = "api-reviewer", name = "Renamed", certificationKey = "api-reviewer", passMarkPercent = 75, timeLimitMinutes = 10, attemptsAllowed = 2, validityDays = 90 }), HttpStatusCode.Conflict);
        Assert.Equal("training.track-frozen", frozen.GetProperty("code").GetString());
        Assert.Equal("API reviewer", await Factory.ReadAsync(db => db.TrainingTracks.Where(t => t.Id == trackId).Select(t => t.Name).SingleAsync()));
    }

    [Fact]
    public async Task AnOperator_IsRefusedTheTrainingApi()
    {
        var operatorClient = await Factory.SignInAsync("operator");

        var response = await operatorClient.GetAsync(new Uri("/api/training/tracks", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }
}
