using System.Globalization;
using System.Net.Http.Json;
using AgentConsole.Tests.E2E.Pages;
using AgentConsole.Tests.Infrastructure;
using CsvHelper;
using Microsoft.Playwright;

namespace AgentConsole.Tests.E2E;

/// <summary>
/// An auditor in a real browser: lands on the audit workspace, searches the trail for a reviewer's reason, downloads
/// the search as CSV, follows it to the decision's lineage, verifies the trail, and follows a decision from its page
/// to its lineage and back.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class AuditorWorkspaceTests(BrowserFixture fixture)
{
    [Fact]
    public async Task AnAuditor_LandsOnAudit_FindsAReviewersReason_AndDownloadsItAsCsv()
    {
        var reason = $"Margin verified against the price list {Guid.NewGuid():N}";
        var decision = await ApprovedDecisionAsync("Audit Trail GmbH", reason);

        var page = await fixture.SignedInPageAsync("auditor");
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/audit");
        await Interactive.WaitAsync(page);
        await Assertions.Expect(page.Locator("[data-testid=verification-link]")).ToBeVisibleAsync();

        await Field(page, "search-text").FillAsync(reason[^32..]);
        await Field(page, "search-action").FillAsync("decision.*");
        await page.Locator("[data-testid=search-submit]").ClickAsync();
        await page.WaitForURLAsync(url => url.Contains("text=", StringComparison.Ordinal));
        var row = page.Locator("[data-testid=audit-row]");
        await Assertions.Expect(row).ToHaveCountAsync(1);
        await Assertions.Expect(row).ToContainTextAsync(reason);
        await Assertions.Expect(row).ToContainTextAsync("Olivia Operator");
        await Screens.SaveAsync(page, "audit-search");

        var download = await page.RunAndWaitForDownloadAsync(() => page.Locator("[data-testid=export-csv]").ClickAsync());
        Assert.Matches(@"^audit-\d{8}-\d{6}\.csv$", download.SuggestedFilename);
        using var csv = new CsvReader(new StringReader(await File.ReadAllTextAsync(await download.PathAsync())), CultureInfo.InvariantCulture);
        var rows = csv.GetRecords<dynamic>().Cast<IDictionary<string, object>>().ToList();
        var entry = Assert.Single(rows);
        Assert.Equal(reason, entry["reason"]);
        Assert.StartsWith("decision.approv", (string)entry["action"], StringComparison.Ordinal);
        Assert.Equal(decision.ToString(), entry["entityId"]);
        Assert.Equal("Olivia Operator", entry["actorName"]);

        // The entry leads to the decision's lineage.
        await row.Locator("[data-testid=lineage-link]").ClickAsync();
        await page.WaitForURLAsync(url => url.EndsWith($"/decisions/{decision}/lineage", StringComparison.Ordinal));
        await Assertions.Expect(page.Locator("[data-testid=lineage-review-reason]")).ToContainTextAsync(reason);

        // Back in the workspace, the auditor verifies the trail: intact, and the run joins the history.
        await page.GotoAsync("/audit");
        await Interactive.WaitAsync(page);
        await page.Locator("[data-testid=verification-link]").ClickAsync();
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/audit/verification");
        await Interactive.WaitAsync(page);
        var verification = new AuditVerificationPage(page);
        await page.Locator("[data-testid=checkpoint-setup]").WaitForAsync();
        await verification.VerifyAsync();
        await Assertions.Expect(verification.Latest).ToHaveAttributeAsync("data-outcome", "Intact");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task FromADecisionsPage_TheAuditorOpensItsLineage_AndFollowsALinkBack()
    {
        var reason = $"Within the discount policy {Guid.NewGuid():N}";
        var decision = await ApprovedDecisionAsync("Lineage Walker Oy", reason);
        var page = await fixture.SignedInPageAsync("auditor");

        await page.GotoAsync($"/decisions/{decision}");
        await Interactive.WaitAsync(page);
        await page.Locator("[data-testid=lineage-link]").ClickAsync();
        await page.WaitForURLAsync(url => url.EndsWith($"/decisions/{decision}/lineage", StringComparison.Ordinal));
        await Assertions.Expect(page.Locator("[data-testid=lineage-subject]")).ToContainTextAsync("Lineage Walker Oy");
        await Assertions.Expect(page.Locator("[data-testid=lineage-agent]")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("[data-testid=lineage-policy]")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("[data-testid=lineage-review]")).ToContainTextAsync("Olivia Operator");
        await Assertions.Expect(page.Locator("[data-testid=lineage-review-reason]")).ToContainTextAsync(reason);
        await Assertions.Expect(page.Locator("[data-testid=lineage-execution]")).ToBeVisibleAsync();
        await Screens.SaveAsync(page, "lineage");

        await page.Locator("[data-testid=lineage-decision-link]").ClickAsync();
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == $"/decisions/{decision}");
        await Assertions.Expect(page.Locator("[data-testid=decision-subject]")).ToContainTextAsync("Lineage Walker Oy");
        await page.Context.CloseAsync();
    }

    private static ILocator Field(IPage page, string testId) =>
        page.Locator($"[data-testid={testId}] input:not([type=hidden]), input[data-testid={testId}]").First;

    /// <summary>A new decision approved by Olivia through the API, with a reason.</summary>
    private async Task<Guid> ApprovedDecisionAsync(string subject, string reason)
    {
        var decision = await fixture.Factory.ProposeAsync(TestCases.UncertainPricing(subject));
        using var olivia = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true }) { BaseAddress = fixture.Factory.ServerAddress };
        (await DemoSignIn.PostAsync(olivia, "operator")).Dispose();
        using var approved = await olivia.PostAsJsonAsync(new Uri($"/api/decisions/{decision.Id}/approve", UriKind.Relative), new { reason });
        approved.EnsureSuccessStatusCode();
        return decision.Id;
    }
}
