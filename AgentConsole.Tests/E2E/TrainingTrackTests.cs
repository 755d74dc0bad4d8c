using System.Net.Http.Json;
using AgentConsole.Tests.E2E.Pages;
using AgentConsole.Tests.Infrastructure;
using Microsoft.Playwright;

namespace AgentConsole.Tests.E2E;

/// <summary>
/// A trainer in a real browser lands on the training tracks, creates a track, writes a scenario (first with a wrong
/// input, refused beside the field), generates some, imports a resolved decision and publishes the track.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class TrainingTrackTests(BrowserFixture fixture)
{
    [Fact]
    public async Task ATrainer_CreatesATrack_WritesGeneratesAndImportsScenarios_AndPublishesIt()
    {
        var decision = await ApprovedDecisionAsync("Training Import AB");
        var page = await fixture.SignedInPageAsync("trainer");
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/training");
        await Interactive.WaitAsync(page);
        await Assertions.Expect(page.Locator("[data-testid=track-row][data-track-key=pricing-reviewer] [data-testid=track-state]")).ToHaveTextAsync("Published");
        var training = new TrainingPages(page);

        await training.CreateTrackAsync("Browser reviewer", "browser-reviewer");
        await Assertions.Expect(training.State).ToHaveTextAsync("Draft");
        await training.AddExerciseAsync("Discounts");

        await page.Locator("[data-testid=add-written]").ClickAsync();
        await training.ChooseAsync("written-agent", "Quote Discount Advisor");
        await training.Field("written-subject").FillAsync("Discount for Browser Case AB");
        await training.Field("input-customer").FillAsync("Browser Case AB");
        await training.ChooseAsync("input-segment", "SMB");
        await training.Field("input-product").FillAsync("spare parts");
        await training.Field("input-quoteValueEur").FillAsync("-20000");
        await training.Field("input-competitorGapPercent").FillAsync("5");
        await training.Field("input-comparableDeals").FillAsync("2");
        await training.Field("input-customerTenureYears").FillAsync("2");
        await training.Field("input-marginFloorPercent").FillAsync("25");
        await training.Field("proposal-discountPercent").FillAsync("7.5");
        await training.Field("written-confidence").FillAsync("0.6");
        await training.Field("written-explanation").FillAsync("Few comparable deals: stay near the competitor gap.");
        await training.SaveWrittenAsync();
        await Assertions.Expect(training.ErrorBeside("input-quoteValueEur")).ToHaveTextAsync("Must be at least 0.");
        await Screens.SaveAsync(page, "training-written-error");
        await Assertions.Expect(training.Scenarios).ToHaveCountAsync(0);

        await training.Field("input-quoteValueEur").FillAsync("20000");
        await training.SaveWrittenAsync();
        await Assertions.Expect(training.Scenarios).ToHaveCountAsync(1);
        await Assertions.Expect(training.Scenarios.First.Locator("[data-testid=scenario-source]")).ToHaveTextAsync("written");
        await Assertions.Expect(training.Scenarios.First.Locator("[data-testid=scenario-gold]")).ToContainTextAsync("approve");

        await training.GenerateAsync("Quote Discount Advisor", 3);
        await Assertions.Expect(page.Locator("[data-testid=scenario][data-source=Generated]")).ToHaveCountAsync(3);

        await training.ImportAsync("Training Import", decision);
        var imported = page.Locator("[data-testid=scenario][data-source=Imported]");
        await Assertions.Expect(imported).ToHaveCountAsync(1);
        await Assertions.Expect(imported.Locator("[data-testid=scenario-explanation]")).ToContainTextAsync("The reviewer approved the agent's proposal.");

        await training.PublishAsync();
        await Assertions.Expect(page.Locator("[data-testid=add-written]")).ToHaveCountAsync(0);
        await Screens.SaveAsync(page, "training-track-published");
        await page.Context.CloseAsync();
    }

    /// <summary>A new decision approved by Olivia through the API.</summary>
    private async Task<Guid> ApprovedDecisionAsync(string subject)
    {
        var decision = await fixture.Factory.ProposeAsync(TestCases.UncertainPricing(subject));
        using var olivia = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true }) { BaseAddress = fixture.Factory.ServerAddress };
        (await DemoSignIn.PostAsync(olivia, "operator")).Dispose();
        using var approved = await olivia.PostAsJsonAsync(new Uri($"/api/decisions/{decision.Id}/approve", UriKind.Relative), new { reason = "Matches the market." });
        approved.EnsureSuccessStatusCode();
        return decision.Id;
    }
}
