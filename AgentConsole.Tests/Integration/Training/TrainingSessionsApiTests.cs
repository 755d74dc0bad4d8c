using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AgentConsole.Domain.Training.Tracks;
using AgentConsole.Tests.Infrastructure;
using static AgentConsole.Tests.Infrastructure.Problems;
using Microsoft.EntityFrameworkCore;

namespace AgentConsole.Tests.Integration.Training;

/// <summary>
/// Training sessions over HTTP: a trainee works a session through the API and nothing else, bad answers are refused
/// with ProblemDetails naming the field, a trainer reads sessions and progress but answers nothing.
/// </summary>
public sealed class TrainingSessionsApiTests(TrainingApiHost host) : IClassFixture<TrainingApiHost>
{
    private ConsoleFactory Factory => host.Factory;

    private Task<Guid> PricingTrackAsync() =>
        Factory.ReadAsync(db => db.TrainingTracks.Where(t => t.Key == DemoTracks.PricingKey && t.State == TrackState.Published).Select(t => t.Id).SingleAsync());

    [Fact]
    public async Task ATrainee_WorksPracticeThroughTheApi_SeeingGoldOnlyAfterAnswering_AndBadAnswersChangeNothing()
    {
        var trainee = await Factory.SignInAsync("trainee");
        var trackId = await PricingTrackAsync();

        var offers = await trainee.GetFromJsonAsync<JsonElement>("/api/learning/offers");
        var offer = offers.EnumerateArray().Single(o => o.GetProperty("trackId").GetGuid() == trackId);
        Assert.False(offer.GetProperty("certified").GetBoolean());
        Assert.Equal("you have never held it", offer.GetProperty("standing").GetString());

        var badMode = await ProblemAsync(await trainee.PostAsJsonAsync("/api/learning/sessions", new { trackId, mode = "quiz" }), HttpStatusCode.BadRequest);
        Assert.Equal(["mode"], ErrorFields(badMode));
        await ProblemAsync(await trainee.PostAsJsonAsync("/api/learning/sessions", new { trackId = Guid.NewGuid(), mode = "practice" }), HttpStatusCode.NotFound);

        var started = await trainee.PostAsJsonAsync("/api/learning/sessions", new { trackId, mode = "practice" });
        Assert.Equal(HttpStatusCode.Created, started.StatusCode);
        var session = await started.Content.ReadFromJsonAsync<JsonElement>();
        var sessionId = session.GetProperty("id").GetGuid();
        var item = session.GetProperty("items")[0];
        Assert.Equal(JsonValueKind.Null, item.GetProperty("gold").ValueKind);
        Assert.Equal(JsonValueKind.Null, item.GetProperty("explanation").ValueKind);
        var answer = $"/api/learning/sessions/{sessionId}/items/{item.GetProperty("id").GetGuid()}/answer";

        var noReason = await ProblemAsync(await trainee.PostAsJsonAsync(answer, new { action = "approve", reason = "" }), HttpStatusCode.BadRequest);
        Assert.Equal(["reason"], ErrorFields(noReason));
        var badAction = await ProblemAsync(await trainee.PostAsJsonAsync(answer, new { action = "shrug", reason = "Hmm" }), HttpStatusCode.BadRequest);
        Assert.Equal(["action"], ErrorFields(badAction));
        var badValues = await ProblemAsync(await trainee.PostAsJsonAsync(answer, new { action = "override", reason = "Too generous", values = new { discountPercent = 75 } }), HttpStatusCode.BadRequest);
        Assert.Equal(["discountPercent"], ErrorFields(badValues));
        Assert.Equal(0, await Factory.ReadAsync(db => db.TrainingSessionItems.CountAsync(i => i.SessionId == sessionId && i.AnsweredAt != null)));

        var answered = await trainee.PostAsJsonAsync(answer, new { action = "approve", reason = "Within the discount policy" });
        Assert.Equal(HttpStatusCode.OK, answered.StatusCode);
        var feedback = await answered.Content.ReadFromJsonAsync<JsonElement>();
        Assert.NotEqual(JsonValueKind.Null, feedback.GetProperty("correct").ValueKind);
        Assert.False(string.IsNullOrEmpty(feedback.GetProperty("gold").GetString()));
        Assert.False(string.IsNullOrEmpty(feedback.GetProperty("explanation").GetString()));

        var again = await ProblemAsync(await trainee.PostAsJsonAsync(answer, new { action = "reject", reason = "Changed my mind" }), HttpStatusCode.Conflict);
        Assert.Equal("training.already-answered", again.GetProperty("code").GetString());

        // Another person's session does not exist for them.
        var colleague = await Factory.SignInAsync("operator");
        await ProblemAsync(await colleague.GetAsync(new Uri($"/api/learning/sessions/{sessionId}", UriKind.Relative)), HttpStatusCode.NotFound);
        await ProblemAsync(await colleague.PostAsJsonAsync(answer, new { action = "approve", reason = "Mine now" }), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task ATrainee_CannotOpenARealQueueOrDecision_ThroughTheApiOrACraftedAddress()
    {
        var decision = await Factory.ProposeAsync(TestCases.UncertainPricing("Crafted Address AB"));
        var trainee = await Factory.SignInAsync("trainee");

        await ProblemAsync(await trainee.GetAsync(new Uri($"/api/decisions/{decision.Id}", UriKind.Relative)), HttpStatusCode.Forbidden);
        await ProblemAsync(await trainee.GetAsync(new Uri($"/api/queues/{decision.QueueId}/decisions", UriKind.Relative)), HttpStatusCode.Forbidden);
        await ProblemAsync(await trainee.PostAsJsonAsync($"/api/decisions/{decision.Id}/approve", new { reason = "From the sandbox" }), HttpStatusCode.Forbidden);

        // A sandbox address with a real decision's id finds nothing: the sandbox only shows the trainee's own items.
        var page = await trainee.GetStringAsync(new Uri($"/learning/sessions/{decision.Id}/items/{decision.Id}", UriKind.Relative));
        Assert.Contains("does not exist in your training sessions", page, StringComparison.Ordinal);
        Assert.DoesNotContain("Crafted Address AB", page, StringComparison.Ordinal);
        var real = await trainee.GetAsync(new Uri($"/decisions/{decision.Id}", UriKind.Relative));
        Assert.DoesNotContain("Crafted Address AB", await real.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(Domain.Decisions.DecisionStatus.Pending, await Factory.ReadAsync(db => db.Decisions.Where(d => d.Id == decision.Id).Select(d => d.Status).SingleAsync()));
    }

    [Fact]
    public async Task ATrainer_ReadsSessionsWithGoldAndTheProgressReport_ButAnswersNothing()
    {
        var trainee = await Factory.SignInAsync("operator2");
        var trackId = await PricingTrackAsync();
        var session = await (await trainee.PostAsJsonAsync("/api/learning/sessions", new { trackId, mode = "practice" })).Content.ReadFromJsonAsync<JsonElement>();
        var sessionId = session.GetProperty("id").GetGuid();
        var itemId = session.GetProperty("items")[0].GetProperty("id").GetGuid();
        await trainee.PostAsync(new Uri($"/api/learning/sessions/{sessionId}/finish", UriKind.Relative), null);

        var trainer = await Factory.SignInAsync("trainer");
        var forbidden = await trainer.PostAsJsonAsync($"/api/learning/sessions/{sessionId}/items/{itemId}/answer", new { action = "approve", reason = "Fixing the score" });
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        var review = await trainer.GetFromJsonAsync<JsonElement>($"/api/training/sessions/{sessionId}");
        Assert.Equal(0.0, review.GetProperty("accuracyPercent").GetDouble());
        Assert.Equal("FinishedEarly", review.GetProperty("endReason").GetString());
        Assert.All(review.GetProperty("items").EnumerateArray(), i => Assert.False(string.IsNullOrEmpty(i.GetProperty("gold").GetString())));

        var report = await trainer.GetFromJsonAsync<JsonElement>($"/api/training/progress?track={DemoTracks.PricingKey}");
        Assert.Contains(report.GetProperty("trainees").EnumerateArray(), t => t.GetProperty("name").GetString() == "Omar Operator");
        Assert.Contains(report.GetProperty("byKind").EnumerateArray(), k => k.GetProperty("answered").GetInt32() > 0);
        var badSince = await ProblemAsync(await trainer.GetAsync(new Uri("/api/training/progress?since=yesterday", UriKind.Relative)), HttpStatusCode.BadRequest);
        Assert.Equal(["since"], ErrorFields(badSince));
        await ProblemAsync(await trainee.GetAsync(new Uri("/api/training/progress", UriKind.Relative)), HttpStatusCode.Forbidden);
    }
}
