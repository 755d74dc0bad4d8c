using System.Globalization;
using System.Net;
using System.Text.Json;
using AgentConsole.Tests.Infrastructure;
using AgentConsole.Web.Hosting.Security;

namespace AgentConsole.Tests.Integration.Security;

/// <summary>
/// A burst of sign-in attempts is answered with 429, <c>Retry-After</c> and a readable page, and even the right
/// password does not get in until the wait is over.
/// </summary>
public sealed class SignInRateLimitTests(SignInRateLimitTests.Host host) : IClassFixture<SignInRateLimitTests.Host>
{
    private const int SignInPerMinute = 3;

    private ConsoleFactory Factory => host.Factory;

    [Fact]
    public async Task SignInBurst_IsAnswered429WithRetryAfter_AndTheRightPasswordDoesNotGetIn()
    {
        for (var i = 0; i < SignInPerMinute; i++)
        {
            var (_, wrong) = await Factory.PostSignInAsync("operator", "wrong");
            Assert.Equal(HttpStatusCode.Redirect, wrong.StatusCode);
        }

        var (client, refused) = await Factory.PostSignInAsync("operator", "demo");

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        var retryAfter = int.Parse(refused.Headers.GetValues("Retry-After").Single(), CultureInfo.InvariantCulture);
        Assert.InRange(retryAfter, 1, 60);
        Assert.Equal("text/html", refused.Content.Headers.ContentType?.MediaType);
        Assert.Contains($"Too many sign-in attempts from your address. Wait {retryAfter} seconds, then try again.", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.False(refused.Headers.TryGetValues("Set-Cookie", out var cookies) && cookies.Any(c => c.StartsWith("agentconsole.auth=", StringComparison.Ordinal)));
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync(new Uri("/queues", UriKind.Relative))).StatusCode);
    }

    public sealed class Host() : ConsoleHost(new ConsoleFactory
    {
        Settings = { ["Security:RateLimits:SignInPerMinute"] = SignInPerMinute.ToString(CultureInfo.InvariantCulture) },
    });
}

/// <summary>
/// A burst of API calls is answered with a 429 ProblemDetails and <c>Retry-After</c>, does nothing, and holds back
/// only that caller; after the wait it is served again.
/// </summary>
public sealed class ApiRateLimitTests(ApiRateLimitTests.Host host) : IClassFixture<ApiRateLimitTests.Host>
{
    private const int ApiBurst = 5;

    private ConsoleFactory Factory => host.Factory;

    [Fact]
    public async Task ApiBurst_IsAnswered429ProblemWithRetryAfter_OnlyForThatCaller_AndServedAgainAfterTheWait()
    {
        var operatorClient = await Factory.SignInAsync("operator");
        var seniorClient = await Factory.SignInAsync("senior");
        for (var i = 0; i < ApiBurst; i++)
        {
            (await operatorClient.GetAsync(new Uri("/api/queues", UriKind.Relative))).EnsureSuccessStatusCode();
        }

        using var refused = await operatorClient.GetAsync(new Uri("/api/queues", UriKind.Relative));
        using var other = await seniorClient.GetAsync(new Uri("/api/queues", UriKind.Relative));

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        var retryAfter = int.Parse(refused.Headers.GetValues("Retry-After").Single(), CultureInfo.InvariantCulture);
        Assert.InRange(retryAfter, 1, 2);
        var problem = JsonDocument.Parse(await refused.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(429, problem.GetProperty("status").GetInt32());
        Assert.Equal("rate-limit.api", problem.GetProperty("code").GetString());
        Assert.Contains($"Retry after {retryAfter} s", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);

        // The bucket refills on a timer, which may tick a little late on a busy machine.
        await Task.Delay(TimeSpan.FromSeconds(retryAfter));
        var again = await operatorClient.GetAsync(new Uri("/api/queues", UriKind.Relative));
        for (var i = 0; i < 10 && again.StatusCode == HttpStatusCode.TooManyRequests; i++)
        {
            await Task.Delay(100);
            again = await operatorClient.GetAsync(new Uri("/api/queues", UriKind.Relative));
        }

        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
    }

    [Fact]
    public async Task RefusedApiWrite_ChangesNothing()
    {
        var decision = await Factory.ProposeAsync(TestCases.UncertainPricing("Rate Limited AB"));
        var client = await Factory.SignInAsync("operator2");
        for (var i = 0; i < ApiBurst; i++)
        {
            (await client.GetAsync(new Uri($"/api/decisions/{decision.Id}", UriKind.Relative))).EnsureSuccessStatusCode();
        }

        using var refused = await client.PostAsync(new Uri($"/api/decisions/{decision.Id}/claim", UriKind.Relative), null);

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        var after = await Factory.ReadAsync(db => Task.FromResult(db.Decisions.Single(d => d.Id == decision.Id)));
        Assert.Equal(decision.Version, after.Version);
        Assert.Null(after.ClaimedById);
    }

    public sealed class Host() : ConsoleHost(new ConsoleFactory
    {
        Settings =
        {
            ["Security:RateLimits:ApiBurst"] = ApiBurst.ToString(CultureInfo.InvariantCulture),
            ["Security:RateLimits:ApiPerSecond"] = "1",
        },
    });
}

/// <summary>With the documented defaults, a working session — sign-ins and a steady stream of API calls — is never refused.</summary>
public sealed class DefaultRateLimitTests(DefaultRateLimitTests.Host host) : IClassFixture<DefaultRateLimitTests.Host>
{
    private static readonly RateLimitOptions Defaults = new();

    private ConsoleFactory Factory => host.Factory;

    [Fact]
    public async Task WorkingSession_IsNotThrottled()
    {
        Assert.Equal((10, 100, 20), (Defaults.SignInPerMinute, Defaults.ApiBurst, Defaults.ApiPerSecond));
        var clients = new List<HttpClient>();
        foreach (var user in new[] { "operator", "operator2", "senior", "admin", "author" })
        {
            clients.Add(await Factory.SignInAsync(user));
        }

        // A script's burst of Defaults.ApiBurst calls, then ten a second for three seconds, for each user at once.
        var statuses = await Task.WhenAll(clients.Select(async client =>
        {
            var seen = new List<HttpStatusCode>();
            for (var i = 0; i < Defaults.ApiBurst; i++)
            {
                seen.Add((await client.GetAsync(new Uri("/api/queues", UriKind.Relative))).StatusCode);
            }

            for (var i = 0; i < 30; i++)
            {
                await Task.Delay(100);
                seen.Add((await client.GetAsync(new Uri("/api/queues", UriKind.Relative))).StatusCode);
            }

            return seen;
        }));

        Assert.All(statuses.SelectMany(s => s), s => Assert.Equal(HttpStatusCode.OK, s));
    }

    /// <summary>The console with its default limits (the test hosts' raised sign-in limit put back).</summary>
    public sealed class Host() : ConsoleHost(new ConsoleFactory
    {
        Settings = { ["Security:RateLimits:SignInPerMinute"] = Defaults.SignInPerMinute.ToString(CultureInfo.InvariantCulture) },
    });
}
