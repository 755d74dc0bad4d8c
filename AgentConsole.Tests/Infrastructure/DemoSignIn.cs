using System.Net;
using System.Text.RegularExpressions;

namespace AgentConsole.Tests.Infrastructure;

/// <summary>Signs a demo user in through the real sign-in form (antiforgery token included).</summary>
public static partial class DemoSignIn
{
    /// <summary>
    /// Posts the form with a client that keeps cookies; returns the sign-in response. The client then calls the API as a
    /// script would with a sign-in cookie: with the header that cookie-authenticated API writes need.
    /// </summary>
    public static async Task<HttpResponseMessage> PostAsync(HttpClient client, string userName, string password = "demo")
    {
        if (!client.DefaultRequestHeaders.Contains(AgentConsole.Web.Tenancy.CrossSiteApiProtection.Header))
        {
            client.DefaultRequestHeaders.Add(AgentConsole.Web.Tenancy.CrossSiteApiProtection.Header, "test");
        }

        var page = await client.GetStringAsync(new Uri("/account/login", UriKind.Relative));
        return await client.PostAsync(new Uri("/account/login", UriKind.Relative), Form(page, userName, password));
    }

    /// <summary>The auth cookie of a signed-in user, for SignalR clients; the client must not keep cookies itself.</summary>
    public static async Task<string> AuthCookieAsync(HttpClient client, string userName)
    {
        var login = await client.GetAsync(new Uri("/account/login", UriKind.Relative));
        var antiforgery = string.Join("; ", login.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/account/login") { Content = Form(await login.Content.ReadAsStringAsync(), userName, "demo") };
        request.Headers.Add("Cookie", antiforgery);
        var response = await client.SendAsync(request);
        return response.Headers.TryGetValues("Set-Cookie", out var cookies)
            ? cookies.Select(c => c.Split(';')[0]).Single(c => c.StartsWith("agentconsole.auth=", StringComparison.Ordinal))
            : throw new InvalidOperationException($"Sign-in as {userName} failed: {response.StatusCode}");
    }

    private static FormUrlEncodedContent Form(string page, string userName, string password) => new(new Dictionary<string, string>
    {
        ["userName"] = userName,
        ["password"] = password,
        ["returnUrl"] = "/",
        ["__RequestVerificationToken"] = WebUtility.HtmlDecode(TokenPattern().Match(page).Groups[1].Value),
    });

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();
}
