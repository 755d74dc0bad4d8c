using AgentConsole.Domain.Decisions;
using AgentConsole.Tests.E2E.Pages;
using AgentConsole.Tests.Infrastructure;
using Microsoft.Playwright;

namespace AgentConsole.Tests.E2E;

[Collection(BrowserCollection.Name)]
public sealed class PolicyReviewTests(BrowserFixture fixture)
{
    private const string Customer = "Policy Review Test GmbH";

    [Fact]
    public async Task AuthorSubmits_TwoBoardMembersApprove_AndTheNextDecisionIsRoutedByTheNewVersion()
    {
        // Before: the case is routed by the policy in force, to review.
        var before = await fixture.Factory.ProposeAsync(TestCases.UncertainPricing(Customer));
        Assert.Equal(DecisionStatus.Pending, before.Status);

        // The author adds a rule that blocks this customer's quotes, and submits it.
        var author = await fixture.SignedInPageAsync("author");
        var authorPages = new PolicyPages(author);
        await authorPages.OpenScopeAsync("Dynamic pricing");
        var versionId = await authorPages.DraftAndSubmitAsync(
            yaml => yaml.Replace("riskRules:\n", $"riskRules:\n  - id: review-test-block\n    description: Quotes for {Customer} are blocked.\n    when: inputs.customer == '{Customer}'\n    then: block\n", StringComparison.Ordinal),
            "Block quotes for the test customer.");
        await author.Context.CloseAsync();

        // The first board member sees the change and the simulation, and approves.
        var grace = await fixture.SignedInPageAsync("board1");
        var gracePages = new PolicyPages(grace);
        await gracePages.ReviewAsync(versionId);
        await Assertions.Expect(grace.Locator("[data-testid=diff]")).ToContainTextAsync("review-test-block");
        await grace.Locator("[data-testid=tab-whatif], .mud-tab:has-text('What-if')").First.ClickAsync();
        await Assertions.Expect(grace.Locator("[data-testid=simulation-summary]")).ToContainTextAsync("would be routed differently");
        await gracePages.ApproveAsync("Blocks one customer only; nothing else changes.");
        await Assertions.Expect(grace.Locator("[data-testid=approval-count]")).ToContainTextAsync("1 of 2");
        await Assertions.Expect(gracePages.Status).ToHaveTextAsync("Awaiting review");
        await grace.Context.CloseAsync();

        // The second approves: the version is in force.
        var gabriel = await fixture.SignedInPageAsync("board2");
        var gabrielPages = new PolicyPages(gabriel);
        await gabrielPages.ReviewAsync(versionId);
        await gabrielPages.ApproveAsync("Agreed.");
        await Assertions.Expect(gabrielPages.Status).ToHaveTextAsync("In force");
        await gabriel.Context.CloseAsync();

        // The next decision is routed by it; the one before keeps the version that routed it.
        var after = await fixture.Factory.ProposeAsync(TestCases.UncertainPricing(Customer));
        Assert.Equal(DecisionStatus.Blocked, after.Status);
        Assert.Equal(versionId, after.PolicyVersionId);
        Assert.Contains("rule:review-test-block", after.RulesFired);
        Assert.NotEqual(versionId, before.PolicyVersionId);

        var operatorPage = await fixture.SignedInPageAsync("operator");
        await operatorPage.GotoAsync($"/decisions/{after.Id}");
        await Assertions.Expect(operatorPage.Locator("[data-testid=provenance]")).ToContainTextAsync("rule:review-test-block");
        await Assertions.Expect(operatorPage.Locator("[data-testid=routed-by]")).ToHaveAttributeAsync("href", $"/policies/versions/{versionId}");
        await operatorPage.Context.CloseAsync();
    }
}
