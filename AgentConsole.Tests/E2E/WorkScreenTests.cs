using AgentConsole.Domain.Decisions;
using AgentConsole.Domain.Queues.Sla;
using AgentConsole.Tests.E2E.Pages;
using AgentConsole.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace AgentConsole.Tests.E2E;

/// <summary>An SLA warning arrives on an open queue and decision page; a claim lives as long as the reviewer's page.</summary>
[Collection(BrowserCollection.Name)]
public sealed class WorkScreenTests(BrowserFixture fixture)
{
    [Fact]
    public async Task AnSlaWarning_ArrivesOnTheOpenQueueRow_AndTheDecisionPage()
    {
        var decision = await fixture.Factory.ProposeAsync(TestCases.UncertainPricing("Breach Soon GmbH"));
        var olivia = await fixture.SignedInPageAsync("operator");
        var queue = new QueuePage(olivia);
        await queue.OpenAsync(ConsoleFactory.QueueId("pricing-t1"));
        await queue.WaitForRowAsync(decision.Id, 10_000);
        await Assertions.Expect(queue.Row(decision.Id).Locator("[data-testid=about-to-breach]")).ToHaveCountAsync(0);

        // The decision entered its queue 46 minutes ago (the clock moved, not the product): the pricing ladder warns at 45.
        var now = DateTimeOffset.UtcNow;
        await fixture.Factory.ReadAsync(db => db.Decisions.Where(d => d.Id == decision.Id)
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.SlaClockStartedAt, now.AddMinutes(-46)).SetProperty(d => d.NextSlaStepAt, now.AddMinutes(-1))));
        await fixture.Factory.Services.GetRequiredService<SlaSweep>().RunAsync();

        await Assertions.Expect(queue.Row(decision.Id).Locator("[data-testid=about-to-breach]")).ToHaveTextAsync("About to breach");
        await queue.OpenDecisionAsync(decision.Id);
        await Assertions.Expect(olivia.Locator("[data-testid=sla-warning]")).ToContainTextAsync("About to breach its SLA");
        await Assertions.Expect(olivia.Locator("[data-testid=history]")).ToContainTextAsync("SLA warning: about to breach by SLA ladder");
        await olivia.Context.CloseAsync();
    }

    [Fact]
    public async Task AClaim_IsKeptWhileThePageIsOpen_AndReleasedWhenItCloses()
    {
        var decision = await fixture.Factory.ProposeAsync(TestCases.UncertainPricing("Closing Tab Oy"));
        var olivia = await fixture.SignedInPageAsync("operator");
        var page = new DecisionPage(olivia);
        await page.OpenAsync(decision.Id);
        await page.ClaimAsync();
        await Assertions.Expect(olivia.Locator("[data-testid=lease-held]")).ToContainTextAsync("Your claim stays yours while this page is open");

        await olivia.GotoAsync(new Uri(fixture.Factory.ServerAddress, "/work").ToString());

        var released = await fixture.Factory.WaitForAsync(db => db.Decisions.AsNoTracking().Where(d => d.Id == decision.Id && d.Status == DecisionStatus.Pending).FirstOrDefaultAsync());
        Assert.Null(released.ClaimedById);
        var history = await fixture.Factory.ReadAsync(db => db.AuditEntries.AsNoTracking()
            .Where(a => a.EntityType == "decision" && a.EntityId == decision.Id.ToString() && a.Action == "decision.released").Select(a => a.Reason).ToListAsync());
        Assert.Equal(["Closed the decision page"], history);
        await olivia.Context.CloseAsync();
    }
}
