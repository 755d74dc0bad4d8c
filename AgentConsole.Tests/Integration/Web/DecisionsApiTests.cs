using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AgentConsole.Tests.Infrastructure;

namespace AgentConsole.Tests.Integration.Web;

[Collection(ConsoleWebCollection.Name)]
public sealed class DecisionsApiTests(ConsoleWebFixture fixture)
{
    private ConsoleFactory Factory => fixture.Factory;

    private static Uri Api(string path) => new(path, UriKind.Relative);

    [Fact]
    public async Task Approve_ExecutesTheDecision_AndItLeavesTheQueue()
    {
        var decision = await Factory.ProposeAsync(TestCases.UncertainPricing("Api Approve AG"));
        var client = await Factory.SignInAsync("operator");

        var response = await client.PostAsJsonAsync(Api($"/api/decisions/{decision.Id}/approve"), new { reason = "Within policy", expectedVersion = decision.Version });

        response.EnsureSuccessStatusCode();
        Assert.Equal("Approved", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        var open = await client.GetFromJsonAsync<JsonElement>($"/api/queues/{ConsoleFactory.QueueId("pricing-t1")}/decisions");
        Assert.DoesNotContain(open.EnumerateArray(), d => d.GetProperty("id").GetGuid() == decision.Id);
        await Factory.WaitForAsync(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.SingleOrDefaultAsync(
            db.Runs, r => r.Id == decision.RunId && r.ExecutionStatus == Domain.Pipelines.ExecutionStatus.Succeeded));
    }

    [Fact]
    public async Task Approve_WithoutAReason_IsAValidationProblem()
    {
        var decision = await Factory.ProposeAsync(TestCases.UncertainPricing());
        var client = await Factory.SignInAsync("operator");

        var response = await client.PostAsJsonAsync(Api($"/api/decisions/{decision.Id}/approve"), new { reason = "" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("A reason is required.", problem.GetProperty("errors").GetProperty("reason")[0].GetString());
    }

    [Fact]
    public async Task Override_WithAnInvalidValue_NamesTheField()
    {
        var decision = await Factory.ProposeAsync(TestCases.UncertainPricing());
        var client = await Factory.SignInAsync("operator");

        var response = await client.PostAsJsonAsync(Api($"/api/decisions/{decision.Id}/override"), new { values = new { discountPercent = 80 }, reason = "generous" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("between 0 and 60", problem.GetProperty("errors").GetProperty("discountPercent")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Override_WithADiscountBetweenSteps_IsRefusedByTheConsolesRule_AndChangesNothing()
    {
        var decision = await Factory.ProposeAsync(TestCases.UncertainPricing("Api Step Refused AB"));
        var client = await Factory.SignInAsync("operator");

        var refused = await client.PostAsJsonAsync(Api($"/api/decisions/{decision.Id}/override"), new { values = new { discountPercent = 12.3 }, reason = "Competitor match", expectedVersion = decision.Version });

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        var problem = await refused.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Discount must be in steps of 0.5 %, e.g. 12 or 12.5.", problem.GetProperty("errors").GetProperty("discountPercent")[0].GetString());
        var after = await client.GetFromJsonAsync<JsonElement>($"/api/decisions/{decision.Id}");
        Assert.Equal("Pending", after.GetProperty("status").GetString());
        Assert.Equal(decision.Version, after.GetProperty("version").GetInt32());
        Assert.Equal(JsonValueKind.Null, after.GetProperty("final").ValueKind);
        var run = await Factory.WaitForAsync(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.SingleOrDefaultAsync(db.Runs, r => r.Id == decision.RunId));
        Assert.Equal(Domain.Pipelines.ExecutionStatus.NotRequired, run.ExecutionStatus);

        var accepted = await client.PostAsJsonAsync(Api($"/api/decisions/{decision.Id}/override"), new { values = new { discountPercent = 12.5 }, reason = "Competitor match", expectedVersion = decision.Version });

        Assert.True(accepted.IsSuccessStatusCode, await accepted.Content.ReadAsStringAsync());
        Assert.Equal(12.5m, (await accepted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("final").GetProperty("discountPercent").GetDecimal());
    }

    [Fact]
    public async Task Override_WithValidValues_RecordsThem()
    {
        var decision = await Factory.ProposeAsync(TestCases.UncertainPricing());
        var client = await Factory.SignInAsync("operator");

        var response = await client.PostAsJsonAsync(Api($"/api/decisions/{decision.Id}/override"), new { values = new { discountPercent = 2.5 }, reason = "Margin floor" });

        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Overridden", body.GetProperty("status").GetString());
        Assert.Equal(2.5m, body.GetProperty("final").GetProperty("discountPercent").GetDecimal());
    }

    [Fact]
    public async Task Action_ByAnAuditor_IsForbidden()
    {
        var decision = await Factory.ProposeAsync(TestCases.UncertainPricing());
        var client = await Factory.SignInAsync("auditor");

        var response = await client.PostAsJsonAsync(Api($"/api/decisions/{decision.Id}/approve"), new { reason = "I audit" });

        Assert.True(response.StatusCode == HttpStatusCode.Forbidden, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Action_OnAnotherTenantsDecision_IsNotFound()
    {
        var decision = await Factory.ProposeAsync(TestCases.UncertainPricing());
        var client = await Factory.SignInAsync("fabrikam");

        var response = await client.PostAsJsonAsync(Api($"/api/decisions/{decision.Id}/approve"), new { reason = "mine" });

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("This decision does not exist.", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Action_OnADecisionSomeoneJustResolved_IsAConflict()
    {
        var decision = await Factory.ProposeAsync(TestCases.UncertainPricing());
        var olivia = await Factory.SignInAsync("operator");
        var omar = await Factory.SignInAsync("operator2");
        (await olivia.PostAsJsonAsync(Api($"/api/decisions/{decision.Id}/reject"), new { reason = "No", expectedVersion = decision.Version })).EnsureSuccessStatusCode();

        var response = await omar.PostAsJsonAsync(Api($"/api/decisions/{decision.Id}/approve"), new { reason = "Yes", expectedVersion = decision.Version });

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("rejected by Olivia Operator", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Api_AnswersUnauthorized_WhenSignedOut()
    {
        var response = await Factory.CreateClient(new() { AllowAutoRedirect = false }).GetAsync(Api("/api/queues"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}
