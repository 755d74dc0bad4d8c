using Microsoft.Playwright;

namespace AgentConsole.Tests.E2E.Pages;

/// <summary>The calibration dashboard: who is paused, and a trainer's clearance with a reason.</summary>
public sealed class CalibrationPage(IPage page)
{
    public async Task OpenAsync()
    {
        await page.GotoAsync("/calibration");
        await Interactive.WaitAsync(page);
        await page.Locator("[data-testid=paused-people]").WaitForAsync();
    }

    public ILocator Paused(string person) => page.Locator($"[data-testid=paused-person][data-person='{person}']");

    public ILocator NobodyPaused => page.Locator("[data-testid=paused-none]");

    public ILocator Operator(string person) => page.Locator($"[data-testid=operator-row][data-person='{person}']");

    public ILocator ClearForm => page.Locator("[data-testid=clear-form]");

    public async Task ClearAsync(string person, string reason)
    {
        await Paused(person).Locator("[data-testid=clear-open]").ClickAsync();
        await SubmitReasonAsync(reason);
    }

    public async Task SubmitReasonAsync(string reason)
    {
        await page.Locator("[data-testid=clear-reason] textarea, textarea[data-testid=clear-reason]").First.FillAsync(reason);
        await page.Locator("[data-testid=clear-save]").ClickAsync();
    }
}
