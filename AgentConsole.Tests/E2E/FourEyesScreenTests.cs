using System.Net.Http.Json;
using AgentConsole.Tests.E2E.Pages;
using AgentConsole.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace AgentConsole.Tests.E2E;

/// <summary>In the browser: a blind reviewer's verdict that disagrees sends the decision to the seniors, whose queue shows it arrive marked, and whose page shows both verdicts.</summary>
[Collection(BrowserCollection.Name)]
public sealed class FourEyesScreenTests(BrowserFixture fixture)
{
    [Fact]
    public async Task ADisagreeingVerdict_ShowsBothVerdicts_AndTheSeniorsQueueMarksTheItem()
    {
        var decision = await fixture.Factory.ProposeAsync(TestCases.UncertainPricing("Screen Split AB"));
        await fixture.Factory.ReadAsync(db => db.Decisions.Where(d => d.Id == decision.Id).ExecuteUpdateAsync(s => s.SetProperty(d => d.ReviewersRequired, 2)));
        using (var olivia = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true }) { BaseAddress = fixture.Factory.ServerAddress })
        {
            (await DemoSignIn.PostAsync(olivia, "operator")).Dispose();
            using var approved = await olivia.PostAsJsonAsync(new Uri($"/api/decisions/{decision.Id}/approve", UriKind.Relative), new { reason = "Within the margin floor" });
            approved.EnsureSuccessStatusCode();
        }

        var sam = await fixture.SignedInPageAsync("senior");
        var seniors = new QueuePage(sam);
        await seniors.OpenAsync(ConsoleFactory.QueueId("pricing-t2"));
        var omar = await fixture.SignedInPageAsync("operator2");
        var page = new DecisionPage(omar);
        await page.OpenAsync(decision.Id);

        // Omar is blind: a verdict is counted, nobody named.
        await Assertions.Expect(omar.Locator("[data-testid=four-eyes]")).ToContainTextAsync("1 of 2 verdicts given.");
        await Assertions.Expect(omar.Locator("[data-testid=history]")).Not.ToContainTextAsync("Olivia");

        await page.ActAsync("reject", "The competitor gap is too small");

        var panel = omar.Locator("[data-testid=reviewers-disagreed]");
        await Assertions.Expect(panel).ToContainTextAsync("Escalated to Dynamic pricing — seniors");
        await Assertions.Expect(panel.Locator("[data-testid=disagreement-verdict]")).ToHaveCountAsync(2);
        await Assertions.Expect(panel).ToContainTextAsync("Olivia Operator");
        await Assertions.Expect(panel).ToContainTextAsync("“Within the margin floor”");
        await Assertions.Expect(panel).ToContainTextAsync("Omar Operator");
        await Assertions.Expect(panel).ToContainTextAsync("“The competitor gap is too small”");
        await Assertions.Expect(seniors.Row(decision.Id).Locator("[data-testid=reviewers-disagreed]")).ToHaveTextAsync("Reviewers disagreed");
        await omar.Context.CloseAsync();
        await sam.Context.CloseAsync();
    }
}
