using System.Net;
using AgentConsole.Tests.E2E.Pages;
using AgentConsole.Tests.Infrastructure;
using Microsoft.Playwright;

namespace AgentConsole.Tests.E2E;

/// <summary>
/// An admin changes an account on the Users page; the person's open console ends within the revalidation interval
/// (1 s here), and their next API call with the old session is refused at once.
/// </summary>
[Collection(SingleSignOnCollection.Name)]
public sealed class UserAdministrationTests(SingleSignOnFixture fixture)
{
    // The console checks every second here; the margin covers a loaded machine.
    private const float RevokedWithinMs = 15_000;

    [Fact]
    public async Task GrantingARole_EndsThePersonsOpenConsole_AndTheNextSignInCarriesTheRole()
    {
        var nina = await SignedInAsync(SingleSignOnFixture.Newcomer.UserName, "/me");
        await Assertions.Expect(nina.Locator("dl.ac-kv")).ToContainTextAsync("Nina Newcomer");
        var oldSession = await SessionCookieAsync(nina);
        var ada = await SignedInAsync(SingleSignOnFixture.Ada.UserName, "/admin/users");
        var users = new UsersAdminPage(ada);
        await users.OpenAsync();
        await Assertions.Expect(users.Role(SingleSignOnFixture.Ada.UserName, "Admin", "provider")).ToBeVisibleAsync();
        await Screens.SaveAsync(ada, "users-before");

        await users.GrantAsync(SingleSignOnFixture.Newcomer.UserName, "Operator", "Joins the pricing desk");
        await Screens.SaveAsync(ada, "users-after-grant");

        await nina.WaitForURLAsync(url => url.Contains("/account/login", StringComparison.Ordinal), new() { Timeout = RevokedWithinMs });
        await Assertions.Expect(nina.Locator("[data-testid=session-ended]")).ToContainTextAsync("Your session ended because your account changed");
        await Screens.SaveAsync(nina, "session-ended");
        Assert.Equal(HttpStatusCode.Unauthorized, await ApiStatusAsync(oldSession));
        await new SingleSignOnPage(nina).Button.ClickAsync();
        await nina.WaitForURLAsync(url => url.EndsWith("/me", StringComparison.Ordinal));
        await Assertions.Expect(nina.Locator("dl.ac-kv")).ToContainTextAsync("Operator");
        Assert.Equal(HttpStatusCode.OK, await ApiStatusAsync(await SessionCookieAsync(nina)));
        await nina.Context.CloseAsync();
        await ada.Context.CloseAsync();
    }

    [Fact]
    public async Task DisablingAPerson_EndsTheirOpenConsole_RefusesTheirApiCalls_AndTheirNextSignIn()
    {
        var dora = await SignedInAsync(SingleSignOnFixture.Dora.UserName, "/queues");
        var oldSession = await SessionCookieAsync(dora);
        Assert.Equal(HttpStatusCode.OK, await ApiStatusAsync(oldSession));
        var ada = await SignedInAsync(SingleSignOnFixture.Ada.UserName, "/admin/users");
        var users = new UsersAdminPage(ada);
        await users.OpenAsync();

        await users.DisableAsync(SingleSignOnFixture.Dora.UserName, "Left the company");

        Assert.Equal(HttpStatusCode.Unauthorized, await ApiStatusAsync(oldSession));
        await dora.WaitForURLAsync(url => url.Contains("/account/login", StringComparison.Ordinal), new() { Timeout = RevokedWithinMs });
        await new SingleSignOnPage(dora).Button.ClickAsync();
        await Assertions.Expect(new SingleSignOnPage(dora).Denied).ToContainTextAsync("This account is disabled");
        await Screens.SaveAsync(dora, "sign-in-disabled");
        await dora.Context.CloseAsync();
        await ada.Context.CloseAsync();
    }

    private async Task<IPage> SignedInAsync(string userName, string path)
    {
        var context = await (await fixture.BrowserAsync()).NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = fixture.Console.ServerAddress.ToString(),
            ViewportSize = new ViewportSize { Width = 1400, Height = 900 },
        });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(30_000);
        await new SingleSignOnPage(page).StartAsync(path);
        await new ProviderLoginPage(page).SignInAsync(userName);
        await page.WaitForURLAsync(url => url.EndsWith(path, StringComparison.Ordinal));
        await Interactive.WaitAsync(page);
        return page;
    }

    private static async Task<string> SessionCookieAsync(IPage page) =>
        (await page.Context.CookiesAsync()).Single(c => c.Name == "agentconsole.auth").Value;

    private async Task<HttpStatusCode> ApiStatusAsync(string session)
    {
        using var http = new HttpClient(new HttpClientHandler { UseCookies = false }) { BaseAddress = fixture.Console.ServerAddress };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/queues");
        request.Headers.Add("Cookie", "agentconsole.auth=" + session);
        using var response = await http.SendAsync(request);
        return response.StatusCode;
    }
}
