using Microsoft.Playwright;

namespace AgentConsole.Tests.E2E.Pages;

/// <summary>The certifications register: who holds which, what expires soon; trainers revoke with a reason.</summary>
public sealed class CertificationsPage(IPage page)
{
    public async Task OpenAsync()
    {
        await page.GotoAsync("/certifications");
        await Interactive.WaitAsync(page);
        await page.Locator("[data-testid=certifications-table]").WaitForAsync();
    }

    public ILocator Row(string holder, string key) => page.Locator($"[data-testid=certification-row][data-holder='{holder}'][data-key='{key}']");

    public ILocator Expiring => page.Locator("[data-testid=expiring-row]");

    public ILocator RevokeForm => page.Locator("[data-testid=revoke-form]");

    public async Task RevokeAsync(string holder, string key, string reason)
    {
        await Row(holder, key).Locator("[data-testid=revoke]").ClickAsync();
        await SubmitReasonAsync(reason);
    }

    public async Task SubmitReasonAsync(string reason)
    {
        await page.Locator("[data-testid=revoke-reason] textarea, textarea[data-testid=revoke-reason]").First.FillAsync(reason);
        await page.Locator("[data-testid=revoke-save]").ClickAsync();
    }
}
