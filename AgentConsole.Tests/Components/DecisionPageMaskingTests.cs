using AgentConsole.Domain.Agents;
using AgentConsole.Domain.Decisions;
using AgentConsole.Tests.Infrastructure;
using AgentConsole.Web.Decisions.Pages;
using AngleSharp.Dom;
using Bunit;
using Microsoft.EntityFrameworkCore;

namespace AgentConsole.Tests.Components;

/// <summary>
/// The decision page shows a field the routing policy hides as hidden, with the evidence that states it as notes;
/// "Reveal" appears only for people the policy lets reveal it, asks why, and shows the field on this page only.
/// </summary>
public sealed class DecisionPageMaskingTests
{
    private const string Floor = "Margin floor allows at most 25 % discount.";

    private static IRenderedComponent<DecisionPage> Render(ComponentTestContext ctx, Guid decisionId) =>
        ctx.Bunit.Render<DecisionPage>(p => p.Add(c => c.DecisionId, decisionId));

    private static IElement Input(IRenderedComponent<DecisionPage> page, string field) => page.Find($"dd[data-field={field}]");

    private static IElement ReasonField(IRenderedComponent<DecisionPage> page) =>
        page.Find("[data-testid=reveal-reason] input, input[data-testid=reveal-reason], [data-testid=reveal-reason] textarea");

    [Fact]
    public async Task AHiddenField_ReadsHidden_ItsEvidenceIsANote_AndAReviewerThePolicyLetsSeesReveal()
    {
        await using var ctx = await ComponentTestContext.CreateAsync();
        var decision = await ctx.Harness.ProposeAsync(TestCases.UncertainPricing("Hidden Floor AB"));
        await ctx.SignInAsync("operator");
        ctx.RenderPopovers();

        var page = Render(ctx, decision.Id);

        page.WaitForAssertion(() => Assert.Contains("hidden for your role", Input(page, "marginFloorPercent").TextContent, StringComparison.Ordinal));
        Assert.NotNull(page.Find("[data-testid=reveal-marginFloorPercent]"));
        Assert.Equal("Hidden by policy: margin floor", page.Find("[data-testid=evidence-hidden]").TextContent.Trim());
        Assert.DoesNotContain(Floor, page.Markup, StringComparison.Ordinal);
        Assert.Contains("20,000 EUR", Input(page, "quoteValueEur").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AReviewerThePolicyDoesNotLetReveal_SeesTheFieldHidden_AndNeverTheButton()
    {
        await using var ctx = await ComponentTestContext.CreateAsync();
        await PolicyVersions.ActivateAsync(ctx.Harness.Services, UseCase.DynamicPricing,
            d => PolicyVersions.WithMasking(d, PolicyVersions.Masking("marginFloorPercent", "Operator, Auditor", "Operator")));
        var decision = await ctx.Harness.ProposeAsync(TestCases.UncertainPricing("No Button AB"));
        await ctx.SignInAsync("auditor");
        ctx.RenderPopovers();

        var page = Render(ctx, decision.Id);

        page.WaitForAssertion(() => Assert.Contains("hidden for your role", Input(page, "marginFloorPercent").TextContent, StringComparison.Ordinal));
        Assert.Empty(page.FindAll("[data-testid^=reveal-]"));
        Assert.DoesNotContain("Reveal", page.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Revealing_WithAReason_ShowsTheFieldAndItsEvidence_IsAudited_AndLastsForThisPageOnly()
    {
        await using var ctx = await ComponentTestContext.CreateAsync();
        var decision = await ctx.Harness.ProposeAsync(TestCases.UncertainPricing("Reveal On Page AB"));
        await ctx.SignInAsync("operator");
        ctx.RenderPopovers();
        var page = Render(ctx, decision.Id);
        page.WaitForAssertion(() => page.Find("[data-testid=reveal-marginFloorPercent]"));

        page.Find("[data-testid=reveal-marginFloorPercent]").Click();
        ReasonField(page).Input("The discount is close to the floor");
        await page.Find("[data-testid=reveal-submit]").ClickAsync(new());

        page.WaitForAssertion(() => Assert.Contains("25 %", Input(page, "marginFloorPercent").TextContent, StringComparison.Ordinal));
        Assert.NotNull(page.Find("[data-testid=revealed]"));
        Assert.Contains(Floor, page.Markup, StringComparison.Ordinal);
        Assert.Empty(page.FindAll("[data-testid=evidence-hidden]"));
        page.WaitForAssertion(() => Assert.Contains("Revealed the margin floor", page.Find("[data-testid=history]").TextContent, StringComparison.Ordinal));
        var audit = await ctx.Harness.WithDbAsync(db => db.AuditEntries.AsNoTracking().SingleAsync(a => a.Action == MaskedFieldReveal.AuditAction));
        Assert.Equal(("The discount is close to the floor", decision.Id.ToString()), (audit.Reason, audit.EntityId));

        var nextVisit = Render(ctx, decision.Id);
        nextVisit.WaitForAssertion(() => Assert.Contains("hidden for your role", Input(nextVisit, "marginFloorPercent").TextContent, StringComparison.Ordinal));
        Assert.DoesNotContain(Floor, nextVisit.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Revealing_WithoutAReason_SaysOneIsNeeded_AndShowsNothing()
    {
        await using var ctx = await ComponentTestContext.CreateAsync();
        var decision = await ctx.Harness.ProposeAsync(TestCases.UncertainPricing("No Reason AB"));
        await ctx.SignInAsync("operator");
        ctx.RenderPopovers();
        var page = Render(ctx, decision.Id);
        page.WaitForAssertion(() => page.Find("[data-testid=reveal-marginFloorPercent]"));

        page.Find("[data-testid=reveal-marginFloorPercent]").Click();
        await page.Find("[data-testid=reveal-submit]").ClickAsync(new());

        page.WaitForAssertion(() => Assert.Contains("A reason is required", page.Markup, StringComparison.Ordinal));
        Assert.Contains("hidden for your role", Input(page, "marginFloorPercent").TextContent, StringComparison.Ordinal);
        Assert.False(await ctx.Harness.WithDbAsync(db => db.AuditEntries.AnyAsync(a => a.Action == MaskedFieldReveal.AuditAction)));
    }
}
