using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AgentConsole.Domain.Decisions;
using AgentConsole.Domain.Policies;
using AgentConsole.Domain.Tenancy;
using AgentConsole.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace AgentConsole.Tests.Integration.Web;

/// <summary>
/// The decision API masks the case for the caller by the version that routed it — in reading a decision and in every
/// action's answer — and reveals one field to a caller the policy lets, with a reason, for that answer only.
/// The policy in force hides the margin floor from operators and auditors; operators may reveal it.
/// </summary>
public sealed class MaskingApiTests(MaskingWebFixture fixture) : IClassFixture<MaskingWebFixture>, IAsyncLifetime
{
    private const string FloorLine = "Margin floor allows at most 25 % discount.";

    private ConsoleFactory Factory => fixture.Factory;

    public Task InitializeAsync() => fixture.FloorHiddenFromOperatorsAndAuditorsAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private static Uri Api(string path) => new(path, UriKind.Relative);

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response)
    {
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static void AssertFloorHidden(JsonElement decision)
    {
        Assert.Equal(PolicyMasking.Hidden, decision.GetProperty("inputs").GetProperty("marginFloorPercent").GetString());
        Assert.Contains("Hidden by policy: margin floor", decision.GetProperty("evidence").EnumerateArray().Select(e => e.GetString()));
        Assert.DoesNotContain(FloorLine, decision.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetDecision_MasksTheCaseForTheCaller_AndSaysWhatIsHiddenAndWhetherTheyMayRevealIt()
    {
        var decision = await Factory.ProposeAsync(TestCases.UncertainPricing("Api Masked AB"));

        var forOperator = await JsonAsync(await (await Factory.SignInAsync("operator")).GetAsync(Api($"/api/decisions/{decision.Id}")));
        var forAuditor = await JsonAsync(await (await Factory.SignInAsync("auditor")).GetAsync(Api($"/api/decisions/{decision.Id}")));
        var forSenior = await JsonAsync(await (await Factory.SignInAsync("senior")).GetAsync(Api($"/api/decisions/{decision.Id}")));

        AssertFloorHidden(forOperator);
        var masked = Assert.Single(forOperator.GetProperty("masked").EnumerateArray());
        Assert.Equal(("marginFloorPercent", "Margin floor", true), (masked.GetProperty("field").GetString(), masked.GetProperty("label").GetString(), masked.GetProperty("canReveal").GetBoolean()));
        AssertFloorHidden(forAuditor);
        Assert.False(Assert.Single(forAuditor.GetProperty("masked").EnumerateArray()).GetProperty("canReveal").GetBoolean());
        Assert.Equal(25.0, forSenior.GetProperty("inputs").GetProperty("marginFloorPercent").GetDouble());
        Assert.Contains(FloorLine, forSenior.GetProperty("evidence").EnumerateArray().Select(e => e.GetString()));
        Assert.Empty(forSenior.GetProperty("masked").EnumerateArray());
    }

    [Theory]
    [InlineData("claim")]
    [InlineData("approve")]
    [InlineData("override")]
    [InlineData("reject")]
    [InlineData("escalate")]
    public async Task EveryActionsAnswer_IsMaskedForTheCaller(string action)
    {
        var decision = await Factory.ProposeAsync(TestCases.UncertainPricing($"Api Action {action} AB"));
        var client = await Factory.SignInAsync("operator");
        object body = action == "override"
            ? new { values = new { discountPercent = 5 }, reason = "Match the competitor", expectedVersion = decision.Version }
            : new { reason = "Checked", expectedVersion = decision.Version };

        var answer = await JsonAsync(await client.PostAsJsonAsync(Api($"/api/decisions/{decision.Id}/{action}"), body));
        var released = action == "claim" ? await JsonAsync(await client.PostAsJsonAsync(Api($"/api/decisions/{decision.Id}/release"), new { })) : answer;

        AssertFloorHidden(answer);
        AssertFloorHidden(released);
    }

    [Fact]
    public async Task Reveal_AnswersTheValueAndTheEvidence_ForThisAnswerOnly_AndIsAudited()
    {
        var decision = await Factory.ProposeAsync(TestCases.UncertainPricing("Api Reveal AB"));
        var client = await Factory.SignInAsync("operator");

        var revealed = await JsonAsync(await client.PostAsJsonAsync(Api($"/api/decisions/{decision.Id}/reveal"),
            new { field = "marginFloorPercent", reason = "The proposal is close to the floor" }));
        var afterwards = await JsonAsync(await client.GetAsync(Api($"/api/decisions/{decision.Id}")));

        Assert.Equal("marginFloorPercent", revealed.GetProperty("field").GetString());
        Assert.Equal(25.0, revealed.GetProperty("value").GetDouble());
        Assert.Equal([FloorLine], revealed.GetProperty("evidence").EnumerateArray().Select(e => e.GetString()));
        AssertFloorHidden(afterwards);
        var audit = await Factory.ReadAsync(db => db.AuditEntries.AsNoTracking().SingleAsync(a => a.Action == MaskedFieldReveal.AuditAction && a.EntityId == decision.Id.ToString()));
        Assert.Equal(("Olivia Operator", "The proposal is close to the floor"), (audit.ActorName, audit.Reason));
        Assert.DoesNotContain("25", audit.AfterJson!, StringComparison.Ordinal);
        var logged = Assert.Single(Factory.Logs.Of(AccountSecurityEvents.Category), e => e.EventId.Name == "FieldRevealed" && e.Fields["DecisionId"] == decision.Id.ToString());
        Assert.Equal("marginFloorPercent", logged.Fields["Field"]);
        Assert.False(string.IsNullOrEmpty(logged.Fields["TraceId"]));
    }

    [Fact]
    public async Task Reveal_IsNeverStored_NotEvenForARepeatUnderTheSameIdempotencyKey_SoEveryRevealIsAudited()
    {
        var decision = await Factory.ProposeAsync(TestCases.UncertainPricing("Api Reveal Twice AB"));
        var client = await Factory.SignInAsync("operator");

        var answers = new List<HttpResponseMessage>();
        for (var i = 0; i < 2; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, Api($"/api/decisions/{decision.Id}/reveal"))
            {
                Content = JsonContent.Create(new { field = "marginFloorPercent", reason = "The proposal is close to the floor" }),
            };
            request.Headers.Add("Idempotency-Key", $"reveal-{decision.Id}");
            answers.Add(await client.SendAsync(request));
        }

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.StatusCode));
        Assert.All(answers, a => Assert.True(a.Headers.CacheControl?.NoStore));
        Assert.All(answers, a => Assert.False(a.Headers.Contains("Idempotency-Replayed")));
        Assert.Equal(2, await Factory.ReadAsync(db => db.AuditEntries.CountAsync(a => a.Action == MaskedFieldReveal.AuditAction && a.EntityId == decision.Id.ToString())));
    }

    [Fact]
    public async Task Reveal_ByARoleThePolicyDoesNotLet_IsForbidden_AndNothingIsAudited()
    {
        var decision = await Factory.ProposeAsync(TestCases.UncertainPricing("Api Reveal Refused AB"));
        var auditor = await Factory.SignInAsync("auditor");

        var response = await auditor.PostAsJsonAsync(Api($"/api/decisions/{decision.Id}/reveal"), new { field = "marginFloorPercent", reason = "Curious" });

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("The policy that routed this decision does not let your role reveal the margin floor.", problem.GetProperty("detail").GetString());
        Assert.False(await Factory.ReadAsync(db => db.AuditEntries.AnyAsync(a => a.Action == MaskedFieldReveal.AuditAction && a.EntityId == decision.Id.ToString())));
    }

    [Theory]
    [InlineData("operator", "quoteValueEur", "Curious", "field")]
    [InlineData("senior", "marginFloorPercent", "Curious", "field")]
    [InlineData("operator", "marginFloorPercent", "", "reason")]
    [InlineData("operator", null, "Curious", "field")]
    public async Task Reveal_OfAFieldNotHiddenFromTheCaller_OrWithoutAReason_IsABadRequestNamingIt(string userName, string? field, string reason, string named)
    {
        var decision = await Factory.ProposeAsync(TestCases.UncertainPricing("Api Reveal Bad AB"));
        var client = await Factory.SignInAsync(userName);

        var response = await client.PostAsJsonAsync(Api($"/api/decisions/{decision.Id}/reveal"), new { field, reason });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty(named, out _), problem.GetRawText());
        Assert.False(await Factory.ReadAsync(db => db.AuditEntries.AnyAsync(a => a.Action == MaskedFieldReveal.AuditAction && a.EntityId == decision.Id.ToString())));
    }
}
