using Microsoft.Playwright;

namespace AgentConsole.Tests.Infrastructure;

/// <summary>Debian's chromium driven by Playwright (no browser downloads on these machines).</summary>
public static class Chromium
{
    public static Task<IBrowser> LaunchAsync(IPlaywright playwright) => playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
    {
        ExecutablePath = Environment.GetEnvironmentVariable("CHROMIUM_PATH") ?? "/usr/bin/chromium",
        Headless = true,
        Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    });

    /// <summary>A fresh browser profile (its own cookies) on a console, signed in as a demo user through the sign-in page.</summary>
    public static async Task<IPage> SignedInPageAsync(IBrowser browser, Uri console, string userName, float timeoutMs = 30_000)
    {
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = console.ToString(), ViewportSize = new ViewportSize { Width = 1400, Height = 900 } });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(timeoutMs);
        await new E2E.Pages.SignInPage(page).SignInAsDemoUserAsync(userName);
        return page;
    }
}
