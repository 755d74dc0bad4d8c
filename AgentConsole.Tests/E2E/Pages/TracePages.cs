using Microsoft.Playwright;

namespace AgentConsole.Tests.E2E.Pages;

/// <summary>A trace's page: its waterfall of spans and the details of the span chosen.</summary>
public sealed class TraceScreen(IPage page)
{
    public ILocator Waterfall => page.Locator("[data-testid=waterfall]");

    public ILocator Details => page.Locator("[data-testid=span-details]");

    /// <summary>The rows of failed spans.</summary>
    public ILocator Errors => page.Locator("[data-testid=span-row][data-status='Error']");

    /// <summary>The alert above the waterfall naming the failed spans.</summary>
    public ILocator ErrorSummary => page.Locator("[data-testid=trace-errors]");

    public ILocator Row(string spanName) => page.Locator($"[data-testid=span-row][data-span-name='{spanName}']");

    /// <summary>From a decision's page, follows "View trace" and waits for the waterfall.</summary>
    public async Task OpenFromDecisionAsync()
    {
        await page.Locator("[data-testid=view-trace]").ClickAsync();
        await page.WaitForURLAsync(url => url.Contains("/traces/", StringComparison.Ordinal));
        await Interactive.WaitAsync(page);
        await Waterfall.WaitForAsync();
    }

    /// <summary>Chooses a span and waits for its details.</summary>
    public async Task ChooseAsync(string spanName)
    {
        await Row(spanName).ClickAsync();
        await Assertions.Expect(Details.Locator("[data-testid=span-name]")).ToHaveTextAsync(spanName);
    }

    /// <summary>Follows the link back to the trace's decision.</summary>
    public async Task BackToDecisionAsync()
    {
        await page.Locator("[data-testid=trace-decision]").ClickAsync();
        await page.WaitForURLAsync(url => url.Contains("/decisions/", StringComparison.Ordinal));
        await page.Locator("[data-testid=decision-actions]").WaitForAsync();
    }
}
