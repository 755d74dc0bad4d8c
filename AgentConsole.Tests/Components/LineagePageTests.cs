using AgentConsole.Domain.Decisions;
using AgentConsole.Domain.Tenancy;
using AgentConsole.Tests.Infrastructure;
using AgentConsole.Web.Decisions.Pages;
using Bunit;
using Microsoft.Extensions.DependencyInjection;

namespace AgentConsole.Tests.Components;

/// <summary>
/// The lineage page reads top to bottom as the decision's story; it shows the case exactly as the decision page masks it
/// for the viewer, keeps the true answer from a reviewer, and links each step to its record for those who may open it.
/// </summary>
public sealed class LineagePageTests
{
    private static IRenderedComponent<LineagePage> Render(ComponentTestContext ctx, Guid decisionId) =>
        ctx.Bunit.Render<LineagePage>(p => p.Add(c => c.DecisionId, decisionId));

    private static async Task OverrideAsync(ComponentTestContext ctx, Guid decisionId, string discount, string reason)
    {
        await using (var scope = ctx.Harness.Scope(DemoData.ContosoId))
        {
            await scope.ServiceProvider.GetRequiredService<DecisionService>().OverrideAsync(decisionId, await ctx.Harness.ActorAsync("operator"),
                new Dictionary<string, string?> { ["discountPercent"] = discount }, reason);
        }

        await ctx.Harness.RunRecordedJobsAsync();
    }

    [Fact]
    public async Task ForAnAuditor_TheStepsComeInOrder_EachWithItsAuditEntryAndTrace_AndTheTrueAnswerAgainstTheOutcome()
    {
        await using var ctx = await ComponentTestContext.CreateAsync();
        var decision = await ctx.Harness.ProposeAsync(TestCases.UncertainPricing("Lineage Page AB"));
        await OverrideAsync(ctx, decision.Id, "3", "Match the competitor");
        await ctx.SignInAsync("auditor");

        var page = Render(ctx, decision.Id);

        page.WaitForAssertion(() => page.Find("[data-testid=lineage-outcome]"));
        var steps = page.FindAll("ol.ac-lineage > li").Select(li => li.GetAttribute("data-testid"));
        Assert.Equal(["lineage-case", "lineage-agent", "lineage-policy", "lineage-reviews", "lineage-execution", "lineage-outcome"], steps);
        var review = page.Find("[data-testid=lineage-review]");
        Assert.Contains("Overridden to discount 3 % by Olivia Operator", review.TextContent, StringComparison.Ordinal);
        Assert.Contains("“Match the competitor”", review.TextContent, StringComparison.Ordinal);
        var entry = review.QuerySelector("[data-testid=lineage-record] a")!.GetAttribute("href");
        Assert.Matches($"^/audit\\?entityType=decision&entityId={decision.Id}#entry-\\d+$", entry);
        Assert.Equal($"/policies/versions/{decision.PolicyVersionId}", page.Find("a[data-testid=lineage-policy-link]").GetAttribute("href"));
        Assert.Equal("/agents", page.Find("a[data-testid=lineage-agent-link]").GetAttribute("href"));
        Assert.StartsWith("Carried out in the business system", page.Find("[data-testid=lineage-execution-status]").TextContent.Trim(), StringComparison.Ordinal);
        Assert.StartsWith("ERP-", page.Find("[data-testid=lineage-receipt]").TextContent, StringComparison.Ordinal);
        Assert.Contains("discount 4.5 %", page.Find("[data-testid=lineage-truth]").TextContent, StringComparison.Ordinal);
        Assert.Equal("agreed", page.Find("[data-testid=lineage-agreement]").TextContent);
    }

    [Fact]
    public async Task ForAnOperator_TheCaseIsMaskedAsOnTheDecisionPage_TheTrueAnswerIsWithheld_AndAuditEntriesAreNotLinks()
    {
        // The default pricing policy hides the margin floor (25 %) from operators.
        await using var ctx = await ComponentTestContext.CreateAsync();
        var decision = await ctx.Harness.ProposeAsync(TestCases.UncertainPricing("Lineage Masked AB"));
        await ctx.SignInAsync("operator");

        var page = Render(ctx, decision.Id);

        page.WaitForAssertion(() => page.Find("[data-testid=lineage-outcome]"));
        Assert.Contains("hidden for your role", page.Find("dd[data-field=marginFloorPercent]").TextContent, StringComparison.Ordinal);
        Assert.Equal("Hidden by policy: margin floor", page.Find("[data-testid=evidence-hidden]").TextContent.Trim());
        Assert.DoesNotContain("Margin floor allows at most 25", page.Markup, StringComparison.Ordinal);
        Assert.NotNull(page.Find("[data-testid=lineage-truth-withheld]"));
        Assert.Empty(page.FindAll("[data-testid=lineage-truth]"));
        Assert.Empty(page.FindAll("a[href^='/audit']"));
        Assert.Contains("audit entry #", page.Find("[data-testid=lineage-record]").TextContent, StringComparison.Ordinal);
        Assert.Equal("No one yet: it waits for a reviewer.", page.Find("[data-testid=lineage-no-reviews]").TextContent);
    }

    [Fact]
    public async Task ADecisionOfAnotherTenant_ReadsAsNotExisting()
    {
        await using var ctx = await ComponentTestContext.CreateAsync();
        var fabrikams = await ctx.Harness.ProposeAsync(TestCases.UncertainPricing("Lineage Fabrikam Oy"), tenantId: DemoData.FabrikamId);
        await ctx.SignInAsync("auditor");

        var page = Render(ctx, fabrikams.Id);

        page.WaitForAssertion(() => Assert.Contains("This decision does not exist.", page.Find("[data-testid=lineage-not-found]").TextContent, StringComparison.Ordinal));
        Assert.DoesNotContain("Fabrikam", page.Markup, StringComparison.Ordinal);
    }
}
