using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AgentConsole.Tests.Infrastructure;

namespace AgentConsole.Tests.Integration.Web;

[Collection(ConsoleWebCollection.Name)]
public sealed class QueuesApiTests(ConsoleWebFixture fixture)
{
    private ConsoleFactory Factory => fixture.Factory;

    private static string Decisions(string query) => $"/api/queues/{ConsoleFactory.QueueId("pricing-t1")}/decisions?{query}";

    [Fact]
    public async Task ListDecisions_FiltersByAgentRiskAndConfidence()
    {
        var decision = await Factory.ProposeAsync(TestCases.UncertainPricing("Filter Test AB"));
        var client = await Factory.SignInAsync("operator");

        var matching = Ids(await client.GetFromJsonAsync<JsonElement>(Decisions($"agentId={decision.AgentId}&minRisk=Low&minConfidence=0&maxConfidence=1")));
        var tooConfident = Ids(await client.GetFromJsonAsync<JsonElement>(Decisions(FormattableString.Invariant($"agentId={decision.AgentId}&minConfidence={decision.Confidence + 0.001}"))));
        var otherAgent = Ids(await client.GetFromJsonAsync<JsonElement>(Decisions($"agentId={Guid.NewGuid()}")));

        Assert.Contains(decision.Id, matching);
        Assert.DoesNotContain(decision.Id, tooConfident);
        Assert.Empty(otherAgent);
    }

    private static List<Guid> Ids(JsonElement list) => [.. list.EnumerateArray().Select(d => d.GetProperty("id").GetGuid())];
}
