using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Threading.Channels;
using AgentConsole.Tests.Infrastructure;
using AgentConsole.Web.Queues;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;

namespace AgentConsole.Tests.Integration.Decisions;

/// <summary>
/// Four-eyes through the real host: the decision API and the queue hub keep a rejection as blind as an approval, refuse a
/// second verdict with a ProblemDetails, and after a disagreement show both verdicts to the next tier.
/// </summary>
public sealed class FourEyesApiTests(FourEyesApiTests.Host host) : IClassFixture<FourEyesApiTests.Host>
{
    private ConsoleFactory Factory => host.Factory;

    private static Uri Api(string path) => new(path, UriKind.Relative);

    private async Task<(string Body, JsonElement FourEyes)> GetAsync(Guid decisionId, string userName)
    {
        var response = await (await Factory.SignInAsync(userName)).GetAsync(Api($"/api/decisions/{decisionId}"));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        return (body, JsonDocument.Parse(body).RootElement.GetProperty("fourEyes"));
    }

    private async Task<HttpResponseMessage> PostAsync(string userName, Guid decisionId, string action, string reason) =>
        await (await Factory.SignInAsync(userName)).PostAsJsonAsync(Api($"/api/decisions/{decisionId}/{action}"), new { reason });

    [Fact]
    public async Task TheApiAndTheHub_KeepARejectionBlind_RefuseASecondVerdict_AndShowBothVerdictsAfterADisagreement()
    {
        var decision = await Factory.ProposeAsync(TestCases.UncertainPricing("Api Split AB"));
        await Factory.ReadAsync(db => db.Decisions.Where(d => d.Id == decision.Id).ExecuteUpdateAsync(s => s.SetProperty(d => d.ReviewersRequired, 2)));
        var messages = Channel.CreateUnbounded<DecisionChangedMessage>();
        await using var omarsHub = await Factory.ConnectToQueueHubAsync("operator2");
        omarsHub.On<DecisionChangedMessage>(QueueHub.DecisionChanged, m => messages.Writer.TryWrite(m));
        await omarsHub.InvokeAsync("SubscribeQueue", ConsoleFactory.QueueId("pricing-t1"));

        (await PostAsync("operator", decision.Id, "reject", "The competitor gap is too small")).EnsureSuccessStatusCode();

        var recorded = await NextAsync(messages, m => m.DecisionId == decision.Id);
        Assert.Equal(("Released", "a reviewer"), (recorded.Kind, recorded.Actor));
        var (omarsBody, omarSees) = await GetAsync(decision.Id, "operator2");
        Assert.Equal((2, 1, true, 0), (omarSees.GetProperty("verdictsRequired").GetInt32(), omarSees.GetProperty("verdictsGiven").GetInt32(),
            omarSees.GetProperty("verdictsHidden").GetBoolean(), omarSees.GetProperty("verdicts").GetArrayLength()));
        Assert.DoesNotContain("Olivia", omarsBody, StringComparison.Ordinal);
        Assert.DoesNotContain("competitor gap", omarsBody, StringComparison.Ordinal);
        var (_, oliviaSees) = await GetAsync(decision.Id, "operator");
        var hers = Assert.Single(oliviaSees.GetProperty("verdicts").EnumerateArray());
        Assert.Equal(("Olivia Operator", "reject"), (hers.GetProperty("reviewer").GetString(), hers.GetProperty("verdict").GetString()));

        var twice = await PostAsync("operator", decision.Id, "approve", "On second thought");
        Assert.Equal(HttpStatusCode.Conflict, twice.StatusCode);
        var problem = await twice.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("You already rejected this decision; the policy requires 2 different reviewers (four-eyes), so another reviewer must give their verdict.",
            problem.GetProperty("detail").GetString());

        (await PostAsync("operator2", decision.Id, "approve", "Within the margin floor")).EnsureSuccessStatusCode();

        var escalated = await NextAsync(messages, m => m.DecisionId == decision.Id && m.Kind == "Escalated");
        Assert.Equal("Four-eyes review", escalated.Actor);
        var (_, samSees) = await GetAsync(decision.Id, "senior");
        Assert.Equal((0, true, false), (samSees.GetProperty("verdictsGiven").GetInt32(), samSees.GetProperty("verdictsHidden").GetBoolean(), samSees.GetProperty("needsSeniorDecision").GetBoolean()));
        var disagreement = Assert.Single(samSees.GetProperty("disagreements").EnumerateArray());
        Assert.True(disagreement.GetProperty("escalated").GetBoolean());
        Assert.Equal(ConsoleFactory.QueueId("pricing-t2"), disagreement.GetProperty("toQueueId").GetGuid());
        Assert.Equal(
            [("Olivia Operator", "reject", "The competitor gap is too small"), ("Omar Operator", "approve", "Within the margin floor")],
            disagreement.GetProperty("verdicts").EnumerateArray().Select(v => (v.GetProperty("reviewer").GetString(), v.GetProperty("verdict").GetString(), v.GetProperty("reason").GetString())));
    }

    [Fact]
    public async Task ADecisionNeedingOneReviewer_HasNoFourEyesPart()
    {
        var decision = await Factory.ProposeAsync(TestCases.UncertainPricing("Api Single AB"));

        var response = await (await Factory.SignInAsync("operator")).GetFromJsonAsync<JsonElement>(Api($"/api/decisions/{decision.Id}"));

        Assert.Equal(JsonValueKind.Null, response.GetProperty("fourEyes").ValueKind);
    }

    private static async Task<DecisionChangedMessage> NextAsync(Channel<DecisionChangedMessage> messages, Func<DecisionChangedMessage, bool> match)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (true)
        {
            var message = await messages.Reader.ReadAsync(timeout.Token);
            if (match(message))
            {
                return message;
            }
        }
    }

    public sealed class Host : IAsyncLifetime
    {
        public ConsoleFactory Factory { get; } = new();

        public Task InitializeAsync()
        {
            Factory.Start();
            return Task.CompletedTask;
        }

        public async Task DisposeAsync() => await Factory.DisposeAsync();
    }
}
