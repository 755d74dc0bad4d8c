using Microsoft.Playwright;

namespace AgentConsole.Tests.E2E.Pages;

/// <summary>Waits until the Blazor circuit is live; clicks before that would be lost on a prerendered page.</summary>
internal static class Interactive
{
    public static Task WaitAsync(IPage page) => page.Locator("[data-interactive=true]").WaitForAsync();
}

public sealed class SignInPage(IPage page)
{
    public async Task SignInAsDemoUserAsync(string userName)
    {
        await page.GotoAsync("/account/login");
        await page.Locator($"[data-testid='demo-user-{userName}']").ClickAsync();
        await page.WaitForURLAsync(url => !url.Contains("/account/login", StringComparison.Ordinal));
        await Interactive.WaitAsync(page);
    }
}

public sealed class QueuePage(IPage page)
{
    public async Task OpenAsync(Guid queueId)
    {
        await page.GotoAsync($"/queues/{queueId}");
        await Interactive.WaitAsync(page);
        await page.Locator("[data-testid=queue-count]").WaitForAsync();
    }

    public ILocator Row(Guid decisionId) => page.Locator($"[data-testid=queue-row][data-decision-id='{decisionId}']");

    public Task WaitForRowAsync(Guid decisionId, float timeoutMs) => Row(decisionId).WaitForAsync(new() { Timeout = timeoutMs });

    public Task WaitForRowGoneAsync(Guid decisionId, float timeoutMs) => Row(decisionId).WaitForAsync(new() { State = WaitForSelectorState.Detached, Timeout = timeoutMs });

    public async Task OpenDecisionAsync(Guid decisionId)
    {
        await Row(decisionId).Locator("[data-testid=decision-link]").ClickAsync();
        await page.Locator("[data-testid=decision-actions]").WaitForAsync();
    }
}

public sealed class DecisionPage(IPage page)
{
    public async Task OpenAsync(Guid decisionId)
    {
        await page.GotoAsync($"/decisions/{decisionId}");
        await Interactive.WaitAsync(page);
        await page.Locator("[data-testid=decision-actions]").WaitForAsync();
    }

    public ILocator Resolved => page.Locator("[data-testid=resolved-banner]");

    public ILocator Error => page.Locator("[data-testid=action-error]");

    public ILocator Reason => Field("reason");

    private ILocator Field(string testId) => page.Locator($"[data-testid={testId}] textarea, [data-testid={testId}] input:not([type=hidden]), textarea[data-testid={testId}], input[data-testid={testId}]").First;

    public async Task ClaimAsync()
    {
        await page.Locator("[data-testid=claim]").ClickAsync();
        await page.Locator("[data-testid=claim-banner]").WaitForAsync();
    }

    public async Task ApproveAsync(string reason)
    {
        await page.Locator("[data-testid=mode-approve]").ClickAsync();
        await Field("reason").FillAsync(reason);
        await page.Locator("[data-testid=submit]").ClickAsync();
    }

    public async Task OverrideAsync(string field, string value, string reason)
    {
        await page.Locator("[data-testid=mode-override]").ClickAsync();
        await Field($"override-{field}").FillAsync(value);
        await Field("reason").FillAsync(reason);
        await page.Locator("[data-testid=submit]").ClickAsync();
    }

    /// <summary>Rejects or escalates (<paramref name="mode"/> is reject or escalate) with a reason.</summary>
    public async Task ActAsync(string mode, string reason)
    {
        await page.Locator($"[data-testid=mode-{mode}]").ClickAsync();
        await Field("reason").FillAsync(reason);
        await page.Locator("[data-testid=submit]").ClickAsync();
    }

    public Task BackToQueueAsync() => page.Locator("[data-testid=back-to-queue]").ClickAsync();
}

public sealed class PolicyPages(IPage page)
{
    public ILocator Status => page.Locator("[data-testid=policy-status]").First;

    public async Task OpenScopeAsync(string name)
    {
        await page.GotoAsync("/policies");
        await Interactive.WaitAsync(page);
        await page.Locator("[data-testid=policy-row] a", new() { HasText = name }).ClickAsync();
        await page.Locator("[data-testid=versions-table]").WaitForAsync();
    }

    /// <summary>Starts a draft, lets <paramref name="edit"/> rewrite the document, waits until it is valid, and submits it.</summary>
    public async Task<Guid> DraftAndSubmitAsync(Func<string, string> edit, string note)
    {
        await page.Locator("[data-testid=new-draft]").ClickAsync();
        var yaml = page.Locator("[data-testid=policy-yaml]");
        await yaml.WaitForAsync();
        await Interactive.WaitAsync(page);
        await yaml.FillAsync(edit(await yaml.InputValueAsync()));
        await Assertions.Expect(page.Locator("[data-testid=valid]")).ToBeVisibleAsync();
        await page.Locator("textarea[data-testid=change-note]").FillAsync(note);
        await page.Locator("[data-testid=submit]").ClickAsync();
        await Assertions.Expect(Status).ToHaveTextAsync("Awaiting review");
        return Guid.Parse(page.Url[(page.Url.LastIndexOf('/') + 1)..]);
    }

    public async Task ReviewAsync(Guid versionId)
    {
        await page.GotoAsync($"/policies/versions/{versionId}");
        await Interactive.WaitAsync(page);
        await page.Locator("[data-testid=review-panel]").WaitForAsync();
    }

    public async Task ApproveAsync(string comment)
    {
        await page.Locator("textarea[data-testid=review-comment]").FillAsync(comment);
        await page.Locator("[data-testid=approve]").ClickAsync();
    }
}

/// <summary>The auditors' verification page: run it now, the latest result and its findings, the history.</summary>
public sealed class AuditVerificationPage(IPage page)
{
    public ILocator Latest => page.Locator("[data-testid=latest-result]");

    public ILocator Findings => page.Locator("[data-testid=finding]");

    public ILocator History => page.Locator("[data-testid=history-row]");

    public async Task OpenAsync()
    {
        await page.GotoAsync("/audit/verification");
        await Interactive.WaitAsync(page);
        await page.Locator("[data-testid=checkpoint-setup]").WaitForAsync();
    }

    public async Task WriteCheckpointAsync()
    {
        var history = await page.Locator("[data-testid=chain-size]").TextContentAsync();
        await page.Locator("[data-testid=write-checkpoint]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=chain-size]")).Not.ToHaveTextAsync(history ?? "");
    }

    /// <summary>Runs a verification and waits for its result to show as the latest.</summary>
    public async Task VerifyAsync()
    {
        var runs = await History.CountAsync();
        await page.Locator("[data-testid=verify-now]").ClickAsync();
        await Assertions.Expect(History).ToHaveCountAsync(runs + 1);
    }
}
