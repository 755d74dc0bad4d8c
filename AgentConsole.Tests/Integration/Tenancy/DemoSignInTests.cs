using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AgentConsole.Domain.Decisions;
using AgentConsole.Tests.Infrastructure;
using AgentConsole.Web.Tenancy;
using AgentConsole.Domain.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace AgentConsole.Tests.Integration.Tenancy;

/// <summary>The demo sign-in's lockout, and cookie callers' API writes protected against cross-site requests.</summary>
public sealed class DemoSignInTests : IAsyncLifetime
{
    private ConsoleFactory Factory { get; } = new();

    public Task InitializeAsync()
    {
        Factory.Start();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await Factory.DisposeAsync();

    [Fact]
    public async Task ABurstOfWrongPasswords_LocksTheUserName_WithAClearMessage_EvenForTheRightPassword()
    {
        for (var i = 0; i < 5; i++)
        {
            await Factory.PostSignInAsync("senior2", "guess-" + i);
        }

        var (client, response) = await Factory.PostSignInAsync("senior2", "demo");
        var page = WebUtility.HtmlDecode(await client.GetStringAsync(response.Headers.Location));
        var other = await Factory.SignInAsync("senior");

        Assert.Contains("Too many failed sign-ins for this user name: it is locked for 5 more minutes.", page, StringComparison.Ordinal);
        var events = Factory.Logs.Of(AccountSecurityEvents.Category).Where(e => e.EventId.Id is >= 1000 and < 1100).ToList();
        Assert.Equal(6, events.Count(e => e.EventId.Name == "SignInFailed" && e.Fields["UserName"] == "senior2"));
        Assert.Single(events, e => e.EventId.Name == "LockedOut");
        Assert.All(events, e => Assert.Matches("^[0-9a-f]{32}$", e.Fields["TraceId"] ?? ""));
        Assert.DoesNotContain(events, e => e.Message.Contains("guess-", StringComparison.Ordinal) || e.Fields.Values.Any(v => v == "demo"));
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync(new Uri("/api/queues", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await other.GetAsync(new Uri("/api/queues", UriKind.Relative))).StatusCode);
    }

    public static TheoryData<string, string?, string?> CrossSite => new()
    {
        { "no header", null, null },
        { "another origin", "http://evil.example", null },
        { "another port of the same site", "http://localhost:8081", null },
        { "a same-site page", null, "same-site" },
        { "a cross-site page", null, "cross-site" },
    };

    [Theory]
    [MemberData(nameof(CrossSite))]
    public async Task CookieApiWrite_NotFromTheConsolesOwnOrigin_IsRefused_AndChangesNothing(string kind, string? origin, string? fetchSite)
    {
        var decision = await Factory.ProposeAsync(TestCases.UncertainPricing("Cross Site " + kind));
        var client = await Factory.SignInAsync("operator");
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/decisions/{decision.Id}/claim");
        if (kind == "no header")
        {
            client.DefaultRequestHeaders.Remove(CrossSiteApiProtection.Header);
        }

        if (origin is not null)
        {
            request.Headers.Add("Origin", origin);
        }

        if (fetchSite is not null)
        {
            request.Headers.Add("Sec-Fetch-Site", fetchSite);
        }

        var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("api.cross-site", problem.GetProperty("code").GetString());
        Assert.Equal(DecisionStatus.Pending, (await Factory.ReadAsync(db => db.Decisions.AsNoTracking().SingleAsync(d => d.Id == decision.Id))).Status);
    }

    [Fact]
    public async Task CookieApiWrite_FromTheConsolesOwnOrigin_WithTheHeader_IsAccepted()
    {
        var decision = await Factory.ProposeAsync(TestCases.UncertainPricing("Same Origin AB"));
        var client = await Factory.SignInAsync("operator");
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/decisions/{decision.Id}/claim");
        request.Headers.Add("Origin", "http://localhost");
        request.Headers.Add("Sec-Fetch-Site", "same-origin");

        var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
