using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentConsole.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace AgentConsole.Tests.Integration.Web;

/// <summary>Cases sent to agents through the API: checked as the agent reads them.</summary>
[Collection(ConsoleWebCollection.Name)]
public sealed class RunsApiTests(ConsoleWebFixture fixture)
{
    private ConsoleFactory Factory => fixture.Factory;

    private static Uri Api(string path) => new(path, UriKind.Relative);

    [Fact]
    public async Task Submit_ACaseTheAgentCanRead_IsAccepted_AndProposed()
    {
        var admin = await Factory.SignInAsync("admin");
        var c = TestCases.UncertainPricing("Runs Api Accepted AB");

        var response = await admin.PostAsJsonAsync(Api("/api/agents/pricing/runs"), new { subject = c.Subject, inputs = c.Inputs });

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var run = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal($"/api/runs/{run.GetProperty("id").GetGuid()}", response.Headers.Location?.OriginalString);
        var runId = run.GetProperty("id").GetGuid();
        await Factory.WaitForAsync(db => db.Decisions.AsNoTracking().SingleOrDefaultAsync(d => d.RunId == runId));
    }

    [Fact]
    public async Task Submit_ACaseMissingWhatTheAgentReads_IsAValidationProblem_AndRecordsNoRun()
    {
        var admin = await Factory.SignInAsync("admin");
        var inputs = JsonNode.Parse(TestCases.UncertainPricing().Inputs.ToJsonString())!.AsObject();
        inputs.Remove("quoteValueEur");
        inputs["comparableDeals"] = "many";
        const string subject = "Runs Api Refused Case";

        var response = await admin.PostAsJsonAsync(Api("/api/agents/pricing/runs"), new { subject, inputs });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        var errors = problem.GetProperty("errors");
        Assert.Equal("Required: a number.", errors.GetProperty("inputs.quoteValueEur")[0].GetString());
        Assert.Equal("Must be a whole number.", errors.GetProperty("inputs.comparableDeals")[0].GetString());
        Assert.Contains("Quote Discount Advisor", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, await Factory.ReadAsync(db => db.Runs.CountAsync(r => r.Subject == subject)));
    }
}
