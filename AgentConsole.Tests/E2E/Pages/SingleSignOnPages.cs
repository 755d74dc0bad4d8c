using Microsoft.Playwright;

namespace AgentConsole.Tests.E2E.Pages;

/// <summary>The console's sign-in page in a single sign-on mode, and its sign-out button.</summary>
public sealed class SingleSignOnPage(IPage page)
{
    public ILocator Button => page.Locator("[data-testid=sso-sign-in]");

    public ILocator SignedOut => page.Locator("[data-testid=signed-out]");

    public ILocator Denied => page.Locator("[data-testid=denied-message]");

    /// <summary>Opens a console page while signed out: the console asks to sign in, and the button leads to the provider.</summary>
    public async Task StartAsync(string path = "/")
    {
        await page.GotoAsync(path);
        await Button.ClickAsync();
    }

    public async Task SignOutAsync()
    {
        await page.Locator("[data-testid=sign-out]").ClickAsync();
        await page.WaitForURLAsync(url => url.Contains("/account/login", StringComparison.Ordinal));
    }
}

/// <summary>The test provider's own login page: it asks for a user name.</summary>
public sealed class ProviderLoginPage(IPage page)
{
    public ILocator Form => page.Locator("[data-testid=provider-login]");

    public async Task SignInAsync(string userName)
    {
        await page.Locator("#username").FillAsync(userName);
        await page.Locator("[data-testid=provider-login] button").ClickAsync();
    }
}
