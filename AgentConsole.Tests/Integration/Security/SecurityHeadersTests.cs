using System.Net;
using System.Text.RegularExpressions;
using AgentConsole.Domain.Agents;
using AgentConsole.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AgentConsole.Tests.Integration.Security;

[CollectionDefinition(Name)]
public sealed class SecurityCollection : ICollectionFixture<SecurityFixture>
{
    public const string Name = "security";
}

/// <summary>The console as it starts by default (Development, plain http), shared by the security tests that need nothing else.</summary>
public sealed class SecurityFixture() : ConsoleHost(new ConsoleFactory());

/// <summary>Every kind of answer carries the security headers, with a Content-Security-Policy the console works under.</summary>
[Collection(SecurityCollection.Name)]
public sealed partial class SecurityHeadersTests(SecurityFixture fixture)
{
    private ConsoleFactory Factory => fixture.Factory;

    public static TheoryData<string, string?, int> Answers => new()
    {
        { "/account/login", null, 200 },                                  // a page
        { "/queues", "operator", 200 },                                   // an interactive page
        { "/api/queues", "operator", 200 },                               // the API
        { "/api/queues", null, 401 },                                     // an API refusal
        { "/api/queues/not-an-id/decisions", "operator", 404 },           // an API error
        { "/api/queues/00000000-0000-0000-0000-000000000001/decisions?minConfidence=abc", "operator", 400 },
        { "/no-such-page", "operator", 404 },                             // the not-found page
        { "/favicon.png", null, 200 },                                    // a static file
        { "/_framework/blazor.web.js", null, 200 },                       // the framework's script
        { "/hangfire", "admin", 200 },                                    // the job dashboard
        { "/hangfire", "operator", 403 },                                 // … refused
        { "/health/live", null, 200 },
    };

    [Theory]
    [MemberData(nameof(Answers))]
    public async Task Answer_CarriesTheSecurityHeaders(string path, string? userName, int status)
    {
        var client = userName is null ? Factory.CreateClient(new() { AllowAutoRedirect = false }) : await Factory.SignInAsync(userName);

        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal(status, (int)response.StatusCode);
        AssertSecurityHeaders(response);
    }

    [Fact]
    public async Task Page_NamesTheNonceOfItsImportMap_AndANewOneEachTime()
    {
        var client = Factory.CreateClient();

        var first = await NonceAsync(client);
        var second = await NonceAsync(client);

        Assert.NotEqual(first, second);
    }

    [Fact]
    public async Task Api_NamesNoNonce()
    {
        var client = await Factory.SignInAsync("operator");

        using var response = await client.GetAsync(new Uri("/api/queues", UriKind.Relative));

        Assert.Contains("script-src 'self';", Csp(response), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Hsts_IsNotSentInDevelopment_EvenOverHttps()
    {
        var client = Factory.CreateClient(new() { BaseAddress = new Uri("https://localhost") });

        using var response = await client.GetAsync(new Uri("/health/live", UriKind.Relative));

        Assert.False(response.Headers.Contains("Strict-Transport-Security"));
    }

    /// <summary>Asserts the headers every answer of the console carries.</summary>
    internal static void AssertSecurityHeaders(HttpResponseMessage response)
    {
        var csp = Csp(response);
        foreach (var directive in new[]
                 {
                     "default-src 'self'", "style-src 'self' 'unsafe-inline'", "img-src 'self' data:", "font-src 'self' data:",
                     "object-src 'none'", "base-uri 'self'", "frame-ancestors 'none'",
                 })
        {
            Assert.Contains(directive, csp, StringComparison.Ordinal);
        }

        Assert.Matches("script-src 'self'( 'nonce-[A-Za-z0-9_-]{24}')?;", csp);
        Assert.Matches("connect-src 'self'[^;]*;", csp);
        Assert.Matches("form-action 'self'[^;]*;", csp);
        Assert.DoesNotContain("unsafe-eval", csp, StringComparison.Ordinal);
        Assert.Equal("nosniff", Single(response, "X-Content-Type-Options"));
        Assert.Equal("DENY", Single(response, "X-Frame-Options"));
        Assert.Equal("strict-origin-when-cross-origin", Single(response, "Referrer-Policy"));
        Assert.Equal("same-origin", Single(response, "Cross-Origin-Opener-Policy"));
        Assert.Contains("camera=()", Single(response, "Permissions-Policy"), StringComparison.Ordinal);
    }

    /// <summary>The answer's one Content-Security-Policy (Blazor adds none of its own beside it).</summary>
    internal static string Csp(HttpResponseMessage response) => Single(response, "Content-Security-Policy");

    private static string Single(HttpResponseMessage response, string header)
    {
        var values = response.Headers.TryGetValues(header, out var h) ? h.ToList()
            : response.Content.Headers.TryGetValues(header, out var c) ? c.ToList() : [];
        Assert.True(values.Count == 1, $"{response.RequestMessage?.RequestUri} answered {values.Count} {header} headers: {string.Join(" | ", values)}");
        return values[0];
    }

    private static async Task<string> NonceAsync(HttpClient client)
    {
        using var response = await client.GetAsync(new Uri("/account/login", UriKind.Relative));
        var nonce = Regex.Match(Csp(response), "'nonce-([^']+)'").Groups[1].Value;
        var html = await response.Content.ReadAsStringAsync();
        Assert.Matches($"<script type=\"importmap\" nonce=\"{Regex.Escape(nonce)}\">", html);
        Assert.Single(ScriptTag().Matches(html), m => !m.Value.Contains(" src=", StringComparison.Ordinal));
        return nonce;
    }

    [GeneratedRegex("<script[^>]*>")]
    private static partial Regex ScriptTag();
}

/// <summary>A production console at console.example.com with extra policy origins, whose policies page and run lookups fail.</summary>
public sealed class ProductionHttpsHost() : ConsoleHost(new ConsoleFactory
{
    Environment = "Production",
    HeaderSignIn = true,
    Settings =
    {
        ["AllowedHosts"] = "console.example.com",
        ["Security:FormActionOrigins:0"] = "https://login.example.com",
        ["Security:ConnectOrigins:0"] = "wss://events.example.com",
        ["Security:HstsMaxAgeDays"] = "30",
    },
    ReplaceServices = services => services.AddScoped<AgentQueries>(_ => throw new InvalidOperationException("failing on purpose")),
});

/// <summary>
/// Outside Development, over HTTPS: HSTS; the headers on the error page and on a failed API call too; configured
/// origins join the policy.
/// </summary>
public sealed class ProductionSecurityHeadersTests(ProductionHttpsHost host) : IClassFixture<ProductionHttpsHost>
{
    private ConsoleFactory Factory => host.Factory;

    [Fact]
    public async Task Hsts_IsSentOverHttps_AndNotOverHttp()
    {
        using var https = await Client("https").GetAsync(new Uri("/health/live", UriKind.Relative));
        using var http = await Client("http").GetAsync(new Uri("/health/live", UriKind.Relative));

        Assert.Equal("max-age=2592000", string.Join(",", https.Headers.GetValues("Strict-Transport-Security")));
        Assert.False(http.Headers.Contains("Strict-Transport-Security"));
    }

    [Fact]
    public async Task ErrorPage_AndFailedApiCall_CarryTheSecurityHeaders()
    {
        var client = Client("https");
        using var page = new HttpRequestMessage(HttpMethod.Get, "/policies");
        page.Headers.Add(HeaderSignIn.Header, Domain.Tenancy.Roles.Admin);
        using var api = new HttpRequestMessage(HttpMethod.Get, $"/api/runs/{Guid.NewGuid()}");
        api.Headers.Add(HeaderSignIn.Header, Domain.Tenancy.Roles.Admin);

        using var pageResponse = await client.SendAsync(page);
        using var apiResponse = await client.SendAsync(api);

        Assert.Equal(HttpStatusCode.InternalServerError, pageResponse.StatusCode);
        Assert.Equal(HttpStatusCode.InternalServerError, apiResponse.StatusCode);
        SecurityHeadersTests.AssertSecurityHeaders(pageResponse);
        SecurityHeadersTests.AssertSecurityHeaders(apiResponse);
        Assert.True(pageResponse.Headers.Contains("Strict-Transport-Security"));
    }

    [Fact]
    public async Task ConfiguredOrigins_JoinFormActionAndConnectSrc()
    {
        using var response = await Client("https").GetAsync(new Uri("/health/live", UriKind.Relative));

        var csp = SecurityHeadersTests.Csp(response);
        Assert.Contains("form-action 'self' https://login.example.com;", csp, StringComparison.Ordinal);
        Assert.Contains("connect-src 'self' wss://events.example.com;", csp, StringComparison.Ordinal);
    }

    private HttpClient Client(string scheme) =>
        Factory.CreateClient(new() { BaseAddress = new Uri($"{scheme}://console.example.com"), AllowAutoRedirect = false });
}

/// <summary>Settings that would weaken the policy or not be origins stop the console at start, saying which.</summary>
public sealed class SecurityOptionsTests
{
    [Theory]
    [InlineData("Security:AllowedOrigins:0", "https://partner.example.com/app", "Security:AllowedOrigins")]
    [InlineData("Security:FormActionOrigins:0", "https://login.example.com; script-src *", "Security:FormActionOrigins")]
    [InlineData("Security:ConnectOrigins:0", "'unsafe-inline'", "Security:ConnectOrigins")]
    [InlineData("Security:RateLimits:SignInPerMinute", "0", "SignInPerMinute")]
    [InlineData("Security:Hubs:KeepAliveSeconds", "60", "KeepAliveSeconds")]
    public async Task InvalidSetting_StopsTheStart(string key, string value, string named)
    {
        await using var factory = new ConsoleFactory { Settings = { [key] = value } };

        var failure = Record.Exception(() => factory.Start());

        var validation = Assert.IsType<OptionsValidationException>(Causes(failure).OfType<OptionsValidationException>().FirstOrDefault(), exactMatch: false);
        Assert.Contains(named, validation.Message, StringComparison.Ordinal);
    }

    private static IEnumerable<Exception> Causes(Exception? exception)
    {
        for (; exception is not null; exception = exception.InnerException)
        {
            yield return exception;
            if (exception is AggregateException aggregate)
            {
                foreach (var inner in aggregate.InnerExceptions.SelectMany(Causes))
                {
                    yield return inner;
                }
            }
        }
    }
}
