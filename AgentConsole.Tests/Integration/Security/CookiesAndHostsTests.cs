using System.Net;
using AgentConsole.Tests.Infrastructure;
using AgentConsole.Web.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Logging;

namespace AgentConsole.Tests.Integration.Security;

/// <summary>
/// The console's cookies carry the attributes the README documents, Secure only where the request came over HTTPS;
/// requests for hosts outside <c>AllowedHosts</c> are refused.
/// </summary>
[Collection(SecurityCollection.Name)]
public sealed class CookiesAndHostsTests(SecurityFixture fixture)
{
    private ConsoleFactory Factory => fixture.Factory;

    [Theory]
    [InlineData("http", false)]
    [InlineData("https", true)]
    public async Task SignIn_SetsHttpOnlySameSiteCookies_SecureOnlyOverHttps(string scheme, bool secure)
    {
        var client = Factory.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri($"{scheme}://localhost"), AllowAutoRedirect = false, HandleCookies = false });

        using var form = await client.GetAsync(new Uri("/account/login", UriKind.Relative));
        var antiforgery = Cookie(form, ".AspNetCore.Antiforgery.");
        var auth = await SignInCookieAsync(client, form);

        AssertAttributes(antiforgery, sameSite: "strict", secure);
        AssertAttributes(auth, sameSite: "lax", secure);
    }

    [Theory]
    [InlineData("evil.example", HttpStatusCode.BadRequest)]
    [InlineData("console.example.com", HttpStatusCode.BadRequest)]
    [InlineData("127.0.0.2", HttpStatusCode.BadRequest)]
    [InlineData("localhost", HttpStatusCode.OK)]
    [InlineData("127.0.0.1:5080", HttpStatusCode.OK)]
    [InlineData("[::1]:5080", HttpStatusCode.OK)]
    public async Task Host_IsServedOnlyWhenAllowed(string host, HttpStatusCode expected)
    {
        var client = Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        using var request = new HttpRequestMessage(HttpMethod.Get, "/account/login");
        request.Headers.Host = host;

        using var response = await client.SendAsync(request);

        Assert.Equal(expected, response.StatusCode);
    }

    [Theory]
    [InlineData("http://0.0.0.0:8080", "localhost;127.0.0.1;[::1]", true)]
    [InlineData("http://[::]:8080", "localhost;127.0.0.1;[::1]", true)]
    [InlineData("http://*:8080", "localhost", true)]
    [InlineData("http://console.example.com:8080", "localhost;127.0.0.1;[::1]", true)]
    [InlineData("http://0.0.0.0:8080", "console.example.com", false)]
    [InlineData("http://0.0.0.0:8080", "*", false)]
    [InlineData("http://127.0.0.1:5080", "localhost;127.0.0.1;[::1]", false)]
    [InlineData("http://localhost:5080", "localhost;127.0.0.1;[::1]", false)]
    [InlineData("http://[::1]:5080", "localhost;127.0.0.1;[::1]", false)]
    public void StartupBanner_WarnsWhenTheConsoleListensBeyondLoopback_ButAnswersOnlyLoopbackNames(string url, string allowedHosts, bool warns) =>
        Assert.Equal(warns, StartupBanner.AnswersOnlyLoopbackBeyondIt([url], allowedHosts.Split(';')));

    [Fact]
    public async Task StartupBanner_OnLoopback_DoesNotWarn()
    {
        await using var loopback = new ConsoleFactory { Kestrel = true }.Start();

        Assert.DoesNotContain(loopback.Logs.Entries, e => e.Category == typeof(StartupBanner).FullName && e.Level == LogLevel.Warning);
    }

    private static async Task<string> SignInCookieAsync(HttpClient client, HttpResponseMessage form)
    {
        var token = System.Text.RegularExpressions.Regex.Match(await form.Content.ReadAsStringAsync(), "name=\"__RequestVerificationToken\" value=\"([^\"]+)\"").Groups[1].Value;
        using var post = new HttpRequestMessage(HttpMethod.Post, "/account/login")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["userName"] = "operator",
                ["password"] = "demo",
                ["returnUrl"] = "/",
                ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token),
            }),
        };
        post.Headers.Add("Cookie", Cookie(form, ".AspNetCore.Antiforgery.").Split(';')[0]);
        using var signedIn = await client.SendAsync(post);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        return Cookie(signedIn, "agentconsole.auth=");
    }

    private static string Cookie(HttpResponseMessage response, string prefix) =>
        Assert.Single(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith(prefix, StringComparison.Ordinal));

    private static void AssertAttributes(string cookie, string sameSite, bool secure)
    {
        var attributes = cookie.Split(';').Skip(1).Select(a => a.Trim().ToLowerInvariant()).ToList();
        Assert.Contains("httponly", attributes);
        Assert.Contains($"samesite={sameSite}", attributes);
        Assert.Equal(secure, attributes.Contains("secure"));
        Assert.Contains("path=/", attributes);
    }
}
