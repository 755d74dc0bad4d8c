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
    public async Task ListDecisions_SortedByAge_ListsTheLongestWaitingFirst_AndNewestTheOpposite()
    {
        var older = await Factory.ProposeAsync(TestCases.UncertainPricing("Sort Older AB"));
        var newer = await Factory.ProposeAsync(TestCases.UncertainPricing("Sort Newer AB"));
        var client = await Factory.SignInAsync("operator");

        var byAge = Ids(await client.GetFromJsonAsync<JsonElement>(Decisions("sort=age")));
        var byNewest = Ids(await client.GetFromJsonAsync<JsonElement>(Decisions("sort=NEWEST")));

        Assert.True(byAge.IndexOf(older.Id) < byAge.IndexOf(newer.Id), "age lists the older decision first");
        Assert.True(byNewest.IndexOf(newer.Id) < byNewest.IndexOf(older.Id), "newest lists the newer decision first");
    }

    [Fact]
    public async Task ListDecisions_FiltersByAgentRiskAndConfidence()
    {
        var decision = await Factory.ProposeAsync(TestCases.UncertainPricing("Filter Test AB"));
        var client = await Factory.SignInAsync("operator");

        var matching = Ids(await client.GetFromJsonAsync<JsonElement>(Decisions($"agentId={decision.AgentId}&minRisk=Low&minConfidence=0&maxConfidence=1&sort=priority")));
        var tooConfident = Ids(await client.GetFromJsonAsync<JsonElement>(Decisions(FormattableString.Invariant($"agentId={decision.AgentId}&minConfidence={decision.Confidence + 0.001}"))));
        var otherAgent = Ids(await client.GetFromJsonAsync<JsonElement>(Decisions($"agentId={Guid.NewGuid()}")));

        Assert.Contains(decision.Id, matching);
        Assert.DoesNotContain(decision.Id, tooConfident);
        Assert.Empty(otherAgent);
    }

    [Theory]
    [InlineData("due")]
    [InlineData("Priority")]
    [InlineData("confidence")]
    [InlineData("oldest")]
    [InlineData("DueAt")]
    public async Task ListDecisions_AcceptsTheSortNamesClientsWrite(string sort)
    {
        var client = await Factory.SignInAsync("operator");

        var response = await client.GetAsync(new Uri(Decisions($"sort={sort}&minConfidence=0"), UriKind.Relative));

        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task ListDecisions_WithAnUnknownSort_NamesTheParameterAndTheAcceptedValues()
    {
        var client = await Factory.SignInAsync("operator");

        var response = await client.GetAsync(new Uri(Decisions("sort=fastest"), UriKind.Relative));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("'fastest'", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains("due, priority, confidence, newest, age", problem.GetProperty("errors").GetProperty("sort")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListDecisions_ComesInPages_WithTheTotalAndALinkToTheNext()
    {
        await Factory.ProposeAsync(TestCases.UncertainPricing("Page One AB"));
        await Factory.ProposeAsync(TestCases.UncertainPricing("Page Two AB"));
        await Factory.ProposeAsync(TestCases.UncertainPricing("Page Three AB"));
        var client = await Factory.SignInAsync("operator");

        var first = await client.GetAsync(new Uri(Decisions("sort=age&limit=2"), UriKind.Relative));
        var total = int.Parse(first.Headers.GetValues("X-Total-Count").Single(), System.Globalization.CultureInfo.InvariantCulture);
        var all = Ids(await client.GetFromJsonAsync<JsonElement>(Decisions("sort=age&limit=500")));
        Assert.Equal(all.Count, total);
        Assert.True(total >= 3);
        Assert.Equal(all.Take(2), Ids(await first.Content.ReadFromJsonAsync<JsonElement>()));

        var next = first.Headers.GetValues("Link").Single();
        Assert.Matches("^<.*/decisions\\?sort=age&offset=2&limit=2>; rel=\"next\"$", next);
        var second = Ids(await client.GetFromJsonAsync<JsonElement>(new Uri(next[1..next.IndexOf('>', StringComparison.Ordinal)], UriKind.RelativeOrAbsolute)));
        Assert.Equal(all.Skip(2).Take(2), second);
    }

    [Theory]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=501", "limit")]
    [InlineData("offset=-1", "offset")]
    public async Task ListDecisions_WithAPageOutOfRange_NamesTheParameter(string query, string field)
    {
        var client = await Factory.SignInAsync("operator");

        var response = await client.GetAsync(new Uri(Decisions(query), UriKind.Relative));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
    }

    private static List<Guid> Ids(JsonElement list) => [.. list.EnumerateArray().Select(d => d.GetProperty("id").GetGuid())];
}
