using Microsoft.Playwright;

namespace AgentConsole.Tests.E2E.Pages;

/// <summary>The trainer's training pages: the track list with its new-track form, and a track with its exercises and scenario forms.</summary>
public sealed class TrainingPages(IPage page)
{
    public ILocator Scenarios => page.Locator("[data-testid=scenario]");

    public ILocator State => page.Locator("[data-testid=track-state]").First;

    public ILocator Field(string testId) =>
        page.Locator($"[data-testid={testId}] textarea, [data-testid={testId}] input:not([type=hidden]), textarea[data-testid={testId}], input[data-testid={testId}]").First;

    /// <summary>The message shown beside a field.</summary>
    public ILocator ErrorBeside(string testId) =>
        page.Locator($".mud-input-control:has([data-testid={testId}]) .mud-input-helper-text.mud-input-error").First;

    public async Task CreateTrackAsync(string name, string key)
    {
        await page.Locator("[data-testid=new-track]").ClickAsync();
        await Field("track-name").FillAsync(name);
        await Field("track-key").FillAsync(key);
        await Field("track-certification").FillAsync(key);
        await page.Locator("[data-testid=track-save]").ClickAsync();
        await page.WaitForURLAsync(url => url.Contains("/training/tracks/", StringComparison.Ordinal));
        await Interactive.WaitAsync(page);
        await page.Locator("[data-testid=track-title]").WaitForAsync();
    }

    public async Task AddExerciseAsync(string title)
    {
        await Field("exercise-title").FillAsync(title);
        await page.Locator("[data-testid=exercise-add]").ClickAsync();
        await page.Locator("[data-testid=exercise]").WaitForAsync();
    }

    /// <summary>Opens a MudSelect and picks the option with this text.</summary>
    public async Task ChooseAsync(string testId, string option)
    {
        await page.Locator($".mud-select:has([data-testid={testId}])").First.ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item", new() { HasText = option }).First.ClickAsync();
        await Assertions.Expect(page.Locator(".mud-popover-open .mud-list-item")).ToHaveCountAsync(0);
    }

    public async Task SaveWrittenAsync() => await page.Locator("[data-testid=written-save]").ClickAsync();

    public async Task GenerateAsync(string agent, int count)
    {
        await page.Locator("[data-testid=add-generated]").ClickAsync();
        await ChooseAsync("generate-agent", agent);
        await Field("generate-count").FillAsync(count.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await page.Locator("[data-testid=generate-save]").ClickAsync();
        await page.Locator("[data-testid=generate-form]").WaitForAsync(new() { State = WaitForSelectorState.Detached });
    }

    public async Task ImportAsync(string subjectWords, Guid decisionId)
    {
        await page.Locator("[data-testid=add-imported]").ClickAsync();
        await Field("import-text").FillAsync(subjectWords);
        await page.Locator("[data-testid=import-search]").ClickAsync();
        var row = page.Locator($"[data-testid=import-row][data-decision-id='{decisionId}']");
        await row.Locator("input[type=checkbox]").CheckAsync();
        await page.Locator("[data-testid=import-save]").ClickAsync();
        await page.Locator("[data-testid=import-form]").WaitForAsync(new() { State = WaitForSelectorState.Detached });
    }

    public async Task PublishAsync()
    {
        await page.Locator("[data-testid=track-publish]").ClickAsync();
        await Assertions.Expect(State).ToHaveTextAsync("Published");
    }
}
