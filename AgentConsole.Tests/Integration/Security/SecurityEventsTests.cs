using System.Net;
using AgentConsole.Tests.Infrastructure;
using AgentConsole.Web.Hosting.Security;
using Microsoft.Extensions.Logging;

namespace AgentConsole.Tests.Integration.Security;

/// <summary>
/// Denied access, refused origins, rate-limit refusals and refused hosts are logged in the security category with
/// structured fields and the request's trace id — and never with the cookie that came with the request.
/// </summary>
public sealed class SecurityEventsTests(SecurityEventsTests.Host host) : IClassFixture<SecurityEventsTests.Host>
{
    private const string TraceId = "4bf92f3577b34da6a3ce929d0e0e4736";
    private const string TraceParent = $"00-{TraceId}-00f067aa0ba902b7-01";

    private ConsoleFactory Factory => host.Factory;

    [Theory]
    [InlineData("/api/queues", "trainee")]    // the API
    [InlineData("/queues", "trainee")]        // a page
    [InlineData("/hangfire", "operator")]     // the job dashboard
    [InlineData("/hubs/queues/negotiate?negotiateVersion=1", "trainee")] // the hub
    public async Task DeniedAccess_IsLogged(string path, string userName)
    {
        var (cookie, client) = await SignedInAsync(userName);

        using var response = await SendAsync(client, cookie, path.StartsWith("/hubs", StringComparison.Ordinal) ? HttpMethod.Post : HttpMethod.Get, path);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var logged = Single("AccessDenied", path.Split('?')[0]);
        Assert.Equal(await DemoUserIdAsync(userName), logged.Fields["UserId"]);
        Assert.Equal(Domain.Tenancy.DemoData.ContosoId.ToString(), logged.Fields["TenantId"]);
        Assert.StartsWith("requires one of the roles ", logged.Fields["Rule"], StringComparison.Ordinal);
        AssertClean(logged, cookie);
    }

    [Fact]
    public async Task RefusedOrigin_IsLogged()
    {
        var (cookie, client) = await SignedInAsync("operator");

        using var response = await SendAsync(client, cookie, HttpMethod.Post, "/hubs/queues/negotiate?negotiateVersion=1", origin: "http://localhost:8080");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var logged = Single("OriginRefused", "/hubs/queues/negotiate");
        Assert.Equal("http://localhost:8080", logged.Fields["Origin"]);
        Assert.Equal(await DemoUserIdAsync("operator"), logged.Fields["UserId"]);
        AssertClean(logged, cookie);
    }

    [Fact]
    public async Task RateLimitRefusal_IsLogged()
    {
        var (cookie, client) = await SignedInAsync("senior");

        HttpStatusCode status;
        do
        {
            using var response = await SendAsync(client, cookie, HttpMethod.Get, "/api/queues");
            status = response.StatusCode;
        }
        while (status == HttpStatusCode.OK);

        Assert.Equal(HttpStatusCode.TooManyRequests, status);
        var logged = Single("RateLimited", "/api/queues");
        Assert.Equal(RateLimits.Api, logged.Fields["Limit"]);
        Assert.Equal(await DemoUserIdAsync("senior"), logged.Fields["UserId"]);
        Assert.InRange(int.Parse(logged.Fields["RetryAfterSeconds"]!, System.Globalization.CultureInfo.InvariantCulture), 1, 2);
        AssertClean(logged, cookie);
    }

    [Fact]
    public async Task RefusedHost_IsLogged()
    {
        var (cookie, client) = await SignedInAsync("author");

        using var response = await SendAsync(client, cookie, HttpMethod.Get, "/queues", host: "evil.example");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var logged = Single("HostRefused", "/queues");
        Assert.Equal("evil.example", logged.Fields["Host"]);
        AssertClean(logged, cookie);
    }

    private async Task<(string Cookie, HttpClient Client)> SignedInAsync(string userName) =>
        (await Factory.AuthCookieAsync(userName), Factory.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = false }));

    private static Task<HttpResponseMessage> SendAsync(HttpClient client, string cookie, HttpMethod method, string path, string? origin = null, string? host = null)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Add("Cookie", cookie);
        request.Headers.Add("traceparent", TraceParent);
        if (origin is not null)
        {
            request.Headers.Add("Origin", origin);
        }

        if (host is not null)
        {
            request.Headers.Host = host;
        }

        return client.SendAsync(request);
    }

    /// <summary>The one security event of a kind for a path, carrying the request's trace id.</summary>
    private LogEntry Single(string eventName, string path)
    {
        var entry = Assert.Single(Factory.Logs.Of(SecurityEvents.Category), e => e.EventId.Name == eventName && e.Fields["Path"] == path);
        Assert.Equal(LogLevel.Warning, entry.Level);
        Assert.Equal(TraceId, entry.Fields["TraceId"]);
        return entry;
    }

    /// <summary>No part of the entry repeats the request's cookie (its name or value).</summary>
    private static void AssertClean(LogEntry entry, string cookie)
    {
        var value = cookie[(cookie.IndexOf('=', StringComparison.Ordinal) + 1)..];
        foreach (var text in entry.Fields.Values.Append(entry.Message))
        {
            Assert.DoesNotContain(value[..20], text ?? "", StringComparison.Ordinal);
            Assert.DoesNotContain("agentconsole.auth", text ?? "", StringComparison.Ordinal);
        }
    }

    private Task<string> DemoUserIdAsync(string userName) =>
        Factory.ReadAsync(db => Task.FromResult(db.Users.Single(u => u.UserName == userName).Id.ToString()));

    /// <summary>A console whose API limit a few calls reach.</summary>
    public sealed class Host() : ConsoleHost(new ConsoleFactory { Settings = { ["Security:RateLimits:ApiBurst"] = "2", ["Security:RateLimits:ApiPerSecond"] = "1" } });
}
