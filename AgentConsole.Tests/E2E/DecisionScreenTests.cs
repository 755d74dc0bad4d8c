using System.Net.Http.Json;
using AgentConsole.Tests.E2E.Pages;
using AgentConsole.Tests.Infrastructure;
using Microsoft.Playwright;

namespace AgentConsole.Tests.E2E;

/// <summary>What an operator reads on a decision's page says the same thing everywhere, and says it when their action was lost.</summary>
[Collection(BrowserCollection.Name)]
public sealed class DecisionScreenTests(BrowserFixture fixture)
{
    [Fact]
    public async Task ARaceLost_WhileWritingAnApproval_SaysTheApprovalWasNotSaved()
    {
        var olivia = await fixture.SignedInPageAsync("operator");
        var decision = await fixture.Factory.ProposeAsync(TestCases.UncertainPricing("Race Loser SpA"));
        var page = new DecisionPage(olivia);
        await page.OpenAsync(decision.Id);
        await olivia.Locator("[data-testid=mode-approve]").ClickAsync();
        await page.Reason.FillAsync("Looks fine to me");

        // Omar rejects it through the API while Olivia is still writing.
        using var omar = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true }) { BaseAddress = fixture.Factory.ServerAddress };
        (await DemoSignIn.PostAsync(omar, "operator2")).Dispose();
        using var rejected = await omar.PostAsJsonAsync(new Uri($"/api/decisions/{decision.Id}/reject", UriKind.Relative), new { reason = "Duplicate quote" });
        rejected.EnsureSuccessStatusCode();

        await Assertions.Expect(page.Error).ToContainTextAsync("Your approval was not saved: this decision was rejected by Omar Operator a moment ago.");
        await Assertions.Expect(page.Resolved).ToContainTextAsync("Rejected by Omar Operator");
        await olivia.Context.CloseAsync();
    }

    [Fact]
    public async Task AnOverride_IsCalledAnOverride_OnTheButton_TheMessage_TheStatusAndTheHistory_AndTheMessageCoversNoTitle()
    {
        var olivia = await fixture.SignedInPageAsync("operator");
        var decision = await fixture.Factory.ProposeAsync(TestCases.UncertainPricing("One Word Ltd"));
        var page = new DecisionPage(olivia);
        await page.OpenAsync(decision.Id);

        await olivia.Locator("[data-testid=mode-override]").ClickAsync();
        await Assertions.Expect(olivia.Locator("[data-testid=submit]")).ToHaveTextAsync("Override");
        await page.OverrideAsync("discountPercent", "3", "Margin floor");

        var message = olivia.Locator(".mud-snackbar");
        await Assertions.Expect(message).ToContainTextAsync("Overridden");
        await Assertions.Expect(olivia.Locator("[data-testid=decision-status]")).ToHaveTextAsync("Overridden");
        await Assertions.Expect(olivia.Locator("[data-testid=history]")).ToContainTextAsync("Overridden by Olivia Operator");
        var title = await olivia.Locator("[data-testid=decision-subject]").BoundingBoxAsync();
        var toast = await message.BoundingBoxAsync();
        Assert.True(toast!.Y > title!.Y + title.Height, $"The message (top {toast.Y}) covers the page title (bottom {title.Y + title.Height}).");
        await olivia.Context.CloseAsync();
    }

    [Fact]
    public async Task ChoosingAnAction_MovesTheKeyboardToItsForm_ButNeverOutOfAFieldThePersonIsTypingIn()
    {
        var olivia = await fixture.SignedInPageAsync("operator");
        var decision = await fixture.Factory.ProposeAsync(TestCases.UncertainPricing("Focus Keeper AB"));
        var page = new DecisionPage(olivia);
        await page.OpenAsync(decision.Id);
        const string focusedTestId = "document.activeElement.closest('[data-testid]')?.getAttribute('data-testid')";

        // An override starts at the values; a rejection at its reason.
        await olivia.Locator("[data-testid=mode-override]").ClickAsync();
        await Assertions.Expect(olivia.Locator("[data-testid=override-discountPercent] input, input[data-testid=override-discountPercent]").First).ToBeFocusedAsync();
        await olivia.Locator("[data-testid=mode-reject]").ClickAsync();
        await Assertions.Expect(page.Reason).ToBeFocusedAsync();

        // Someone who already went on into a field keeps typing there.
        await olivia.Locator("[data-testid=mode-override]").ClickAsync();
        await page.Reason.FocusAsync();
        await olivia.Keyboard.TypeAsync("Margin floor");
        await olivia.WaitForTimeoutAsync(300);
        Assert.Equal("reason", await olivia.EvaluateAsync<string>(focusedTestId));
        await Assertions.Expect(page.Reason).ToHaveValueAsync("Margin floor");
        await olivia.Context.CloseAsync();
    }

    [Fact]
    public async Task AMissingReason_IsNamedOnce_InOneWording()
    {
        var olivia = await fixture.SignedInPageAsync("operator");
        var decision = await fixture.Factory.ProposeAsync(TestCases.UncertainPricing("Reasonless BV"));
        var page = new DecisionPage(olivia);
        await page.OpenAsync(decision.Id);

        await olivia.Locator("[data-testid=mode-reject]").ClickAsync();
        var form = olivia.Locator("[data-testid=action-form]");

        // Leaving the field empty, then submitting: the same words both times, and never a bare "Required".
        await page.Reason.FocusAsync();
        await page.Reason.BlurAsync();
        await Assertions.Expect(form.Locator(".mud-input-helper-text.mud-input-error")).ToContainTextAsync("A reason is required.");
        Assert.DoesNotMatch(@"(?m)^\s*Required\s*$", await form.InnerTextAsync());
        await olivia.Locator("[data-testid=submit]").ClickAsync();
        await Assertions.Expect(form.Locator(".mud-input-helper-text.mud-input-error")).ToContainTextAsync("A reason is required.");
        Assert.DoesNotMatch(@"(?m)^\s*Required\s*$", await form.InnerTextAsync());
        await olivia.Context.CloseAsync();
    }
}
