using System.Diagnostics;
using AgentConsole.Tests.E2E.Pages;
using AgentConsole.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace AgentConsole.Tests.E2E;

[Collection(BrowserCollection.Name)]
public sealed class QueueWorkflowTests(BrowserFixture fixture)
{
    // A decision must reach an open console within a second; the margin covers a loaded CI machine.
    private const float LiveTimeoutMs = 3_000;

    private static readonly Guid PricingQueue = ConsoleFactory.QueueId("pricing-t1");

    [Fact]
    public async Task Operator_WatchesDecisionsArrive_ApprovesAndOverrides_WhileASecondConsoleSeesThemLeave()
    {
        var olivia = await fixture.SignedInPageAsync("operator");
        var omar = await fixture.SignedInPageAsync("operator2");
        var oliviaQueue = new QueuePage(olivia);
        var omarQueue = new QueuePage(omar);
        await oliviaQueue.OpenAsync(PricingQueue);
        await omarQueue.OpenAsync(PricingQueue);

        // Two cases go through the real pipeline (Hangfire job, agent, routing) and arrive live.
        var first = await fixture.Factory.ProposeAsync(TestCases.UncertainPricing("Browser First AB"));
        var arrival = Stopwatch.StartNew();
        await oliviaQueue.WaitForRowAsync(first.Id, LiveTimeoutMs);
        arrival.Stop();
        await omarQueue.WaitForRowAsync(first.Id, LiveTimeoutMs);
        var second = await fixture.Factory.ProposeAsync(TestCases.UncertainPricing("Browser Second Oy"));
        await oliviaQueue.WaitForRowAsync(second.Id, LiveTimeoutMs);
        await omarQueue.WaitForRowAsync(second.Id, LiveTimeoutMs);

        // Olivia approves the first; it leaves Omar's queue without a reload.
        await oliviaQueue.OpenDecisionAsync(first.Id);
        var decisionPage = new DecisionPage(olivia);
        await decisionPage.ApproveAsync("Within the discount policy");
        await Assertions.Expect(decisionPage.Resolved).ToContainTextAsync("Approved by Olivia Operator");
        await omarQueue.WaitForRowGoneAsync(first.Id, LiveTimeoutMs);

        // She overrides the second with a smaller discount; it leaves too.
        await decisionPage.BackToQueueAsync();
        await oliviaQueue.WaitForRowAsync(second.Id, LiveTimeoutMs);
        await oliviaQueue.OpenDecisionAsync(second.Id);
        await decisionPage.OverrideAsync("discountPercent", "3", "Margin floor for SMB spare parts");
        await Assertions.Expect(decisionPage.Resolved).ToContainTextAsync("Overridden by Olivia Operator");
        await Assertions.Expect(olivia.Locator("[data-testid=final-discountPercent]")).ToContainTextAsync("3 %");
        await omarQueue.WaitForRowGoneAsync(second.Id, LiveTimeoutMs);

        await Assertions.Expect(omar.Locator($"[data-decision-id='{first.Id}']")).ToHaveCountAsync(0);
        Assert.True(arrival.ElapsedMilliseconds < LiveTimeoutMs);
        await olivia.Context.CloseAsync();
        await omar.Context.CloseAsync();
    }

    [Fact]
    public async Task Override_WithAnInvalidValue_ShowsTheProblemBesideTheField()
    {
        var page = await fixture.SignedInPageAsync("operator");
        var decision = await fixture.Factory.ProposeAsync(TestCases.UncertainPricing("Browser Invalid GmbH"));
        var decisionPage = new DecisionPage(page);
        await decisionPage.OpenAsync(decision.Id);

        await decisionPage.OverrideAsync("discountPercent", "75", "Strategic account");

        await Assertions.Expect(page.Locator("[data-testid=action-form]")).ToContainTextAsync("Discount must be between 0 and 60 %.");
        await Assertions.Expect(page.Locator("[data-testid=decision-status]")).ToHaveTextAsync("Pending");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Reviewer_ApprovesByKeyboard()
    {
        var page = await fixture.SignedInPageAsync("operator");
        var decision = await fixture.Factory.ProposeAsync(TestCases.UncertainPricing("Keyboard Buyer SAS"));
        var decisionPage = new DecisionPage(page);
        await decisionPage.OpenAsync(decision.Id);
        await page.Locator("[data-testid=hotkeys]").WaitForAsync();

        await page.Keyboard.PressAsync("a");
        await Assertions.Expect(decisionPage.Reason).ToBeFocusedAsync();
        await page.Keyboard.TypeAsync("Matches the playbook");
        await page.Keyboard.PressAsync("Control+Enter");

        // Decided by keyboard, the queue's next item opens by itself (or, with nothing left, the outcome stays).
        await Assertions.Expect(page.Locator(".mud-snackbar")).ToContainTextAsync("Approved.");
        Assert.Equal((Domain.Decisions.DecisionStatus.Approved, "Olivia Operator"), await ResolvedAsync(decision.Id));
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Operator_ApprovesSeveralItemsAtOnce_SeeingWhatIsLeftOutAndWhy()
    {
        var first = await fixture.Factory.ProposeAsync(TestCases.UncertainPricing("Bulk Buyer One AB"));
        var second = await fixture.Factory.ProposeAsync(TestCases.UncertainPricing("Bulk Buyer Two AB"));
        var taken = await fixture.Factory.ProposeAsync(TestCases.UncertainPricing("Bulk Buyer Three AB"));
        await ClaimAsAsync("operator2", taken.Id);
        var page = await fixture.SignedInPageAsync("operator");
        var queue = new QueuePage(page);
        await queue.OpenAsync(PricingQueue);

        foreach (var id in new[] { first.Id, second.Id, taken.Id })
        {
            await queue.Row(id).Locator("[data-testid=select-row]").CheckAsync();
        }

        await Assertions.Expect(page.Locator("[data-testid=bulk-selected]")).ToHaveTextAsync("3 selected");
        await page.Locator("[data-testid=bulk-approve]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=bulk-included]")).ToContainTextAsync("2 item(s) will be approved, all routed by Dynamic pricing");
        await Assertions.Expect(page.Locator($"[data-testid=bulk-left-out-item][data-decision-id='{taken.Id}']"))
            .ToContainTextAsync("Discount for Bulk Buyer Three AB — Omar Operator is working on it.");

        await page.Locator("[data-testid=bulk-submit]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=bulk-reason]")).ToHaveAttributeAsync("aria-invalid", "true");
        await Assertions.Expect(page.Locator("[data-testid=bulk-preview]")).ToContainTextAsync("A reason is required.");
        await page.Locator("[data-testid=bulk-reason]").FillAsync("Within the discount policy");
        await page.Locator("[data-testid=bulk-submit]").ClickAsync();

        await Assertions.Expect(page.Locator("[data-testid=bulk-done]")).ToHaveTextAsync("2 done, 1 refused.");
        await queue.WaitForRowGoneAsync(first.Id, LiveTimeoutMs);
        await queue.WaitForRowGoneAsync(second.Id, LiveTimeoutMs);
        await Assertions.Expect(queue.Row(taken.Id)).ToBeVisibleAsync();
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Reviewer_WorksAQueueByKeyboardAlone()
    {
        var decision = await fixture.Factory.ProposeAsync(TestCases.UncertainPricing("Keyboard Only Oy"));
        await fixture.Factory.ProposeAsync(TestCases.UncertainPricing("Keyboard Next Oy"));
        var page = await fixture.SignedInPageAsync("operator");
        var queue = new QueuePage(page);
        await queue.OpenAsync(PricingQueue);

        await page.Keyboard.PressAsync("?");
        await Assertions.Expect(page.Locator("[data-testid=shortcut-help]")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("[data-testid=shortcut-help]")).ToContainTextAsync("tick the item for a bulk approve or reject");
        await page.Keyboard.PressAsync("Escape");
        await Assertions.Expect(page.Locator("[data-testid=shortcut-help]")).ToBeHiddenAsync();

        // j moves down the list until the new item has the focus; Enter opens it.
        for (var step = 0; step < 100 && await queue.Row(decision.Id).GetAttributeAsync("data-focused") is null; step++)
        {
            await page.Keyboard.PressAsync("j");
        }

        await Assertions.Expect(queue.Row(decision.Id)).ToHaveAttributeAsync("data-focused", "");
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForURLAsync($"**/decisions/{decision.Id}");
        await Interactive.WaitAsync(page);
        await page.Locator("[data-testid=hotkeys]").WaitForAsync();

        // The page's keys are listened to once its components have rendered in the browser: press until the form opens.
        var decisionPage = new DecisionPage(page);
        for (var attempt = 0; attempt < 40 && !await decisionPage.Reason.IsVisibleAsync(); attempt++)
        {
            await page.Keyboard.PressAsync("a");
            await Task.Delay(250);
        }

        await Assertions.Expect(decisionPage.Reason).ToBeFocusedAsync();
        await page.Keyboard.TypeAsync("Matches the playbook");
        await page.Keyboard.PressAsync("Control+Enter");

        // The next item of the queue opens by itself: the one proposed after it is still waiting.
        await page.WaitForURLAsync(url => url.Contains("/decisions/", StringComparison.Ordinal) && !url.EndsWith(decision.Id.ToString(), StringComparison.Ordinal));
        Assert.Equal((Domain.Decisions.DecisionStatus.Approved, "Olivia Operator"), await ResolvedAsync(decision.Id));
        await Interactive.WaitAsync(page);
        await page.Locator("[data-testid=hotkeys]").WaitForAsync();

        await page.Keyboard.PressAsync("u");
        await page.WaitForURLAsync($"**/queues/{PricingQueue}");
        await queue.WaitForRowGoneAsync(decision.Id, LiveTimeoutMs);
        await page.Context.CloseAsync();
    }

    private async Task<(Domain.Decisions.DecisionStatus Status, string? By)> ResolvedAsync(Guid decisionId)
    {
        for (var attempt = 0; ; attempt++)
        {
            var stored = await fixture.Factory.ReadAsync(db => db.Decisions.Where(d => d.Id == decisionId).Select(d => new { d.Status, d.ResolvedByName }).SingleAsync());
            if (stored.Status != Domain.Decisions.DecisionStatus.Pending || attempt == 50)
            {
                return (stored.Status, stored.ResolvedByName);
            }

            await Task.Delay(100);
        }
    }

    private async Task ClaimAsAsync(string userName, Guid decisionId)
    {
        var user = await fixture.Factory.Services.GetRequiredService<Domain.Tenancy.UserDirectory>().FindAsync(userName) ?? throw new InvalidOperationException(userName);
        await using var scope = fixture.Factory.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<Domain.Tenancy.TenantContext>().Use(Domain.Tenancy.DemoData.ContosoId);
        await scope.ServiceProvider.GetRequiredService<Domain.Decisions.DecisionService>().ClaimAsync(decisionId, user.User.ToActor());
    }
}
