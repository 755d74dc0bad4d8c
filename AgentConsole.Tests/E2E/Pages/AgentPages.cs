using Microsoft.Playwright;

namespace AgentConsole.Tests.E2E.Pages;

/// <summary>An agent's page: its pause, the reason field and the pause or resume button.</summary>
public sealed class AgentPage(IPage page)
{
    public async Task OpenAsync(string agentKey)
    {
        await page.GotoAsync($"/agents/{agentKey}");
        await Interactive.WaitAsync(page);
        await page.Locator("[data-testid=agent-page-ready][data-ready=true]").WaitForAsync(new() { State = WaitForSelectorState.Attached });
    }

    public ILocator State => page.Locator("[data-testid=pause-state]");

    public ILocator Panel => page.Locator("[data-testid=pause-panel]");

    public ILocator Submit => page.Locator("[data-testid=pause-submit]");

    public async Task SubmitAsync(string reason)
    {
        await page.Locator("[data-testid=pause-reason] textarea, textarea[data-testid=pause-reason]").First.FillAsync(reason);
        await Submit.ClickAsync();
    }
}

/// <summary>The queues overview as a senior sees it, with the circuit breaker's alerts above it.</summary>
public sealed class QueuesOverviewPage(IPage page)
{
    public async Task OpenAsync()
    {
        await page.GotoAsync("/queues");
        await Interactive.WaitAsync(page);
        await page.Locator("[data-testid=breaker-alerts-ready][data-ready=true]").WaitForAsync(new() { State = WaitForSelectorState.Attached });
    }

    public ILocator BreakerAlert(string agentKey) => page.Locator($"[data-testid=breaker-alert][data-agent='{agentKey}']");
}
