using AgentConsole.Domain.Decisions;
using AgentConsole.Domain.Tenancy;
using AgentConsole.Tests.Infrastructure;
using AgentConsole.Web.Decisions.Components;
using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AgentConsole.Tests.Components;

/// <summary>
/// What the decision page says of four-eyes: the verdicts counted without names while blind, the "Reviewers disagreed"
/// panel with both verdicts once they disagreed, and plainly who may decide after a disagreement in the top tier.
/// </summary>
public sealed class FourEyesPanelTests
{
    private static async Task<Decision> FourEyesAsync(ComponentTestContext ctx, string customer)
    {
        var decision = await ctx.Harness.ProposeAsync(TestCases.UncertainPricing(customer));
        await ctx.Harness.WithDbAsync(db => db.Decisions.Where(d => d.Id == decision.Id).ExecuteUpdateAsync(s => s.SetProperty(d => d.ReviewersRequired, 2)));
        return decision;
    }

    private static Task<Decision> Act(ComponentTestContext ctx, Func<DecisionService, Task<Decision>> act) =>
        act(ctx.Bunit.Services.GetRequiredService<DecisionService>());

    private static async Task<DecisionDetail> SeenBy(ComponentTestContext ctx, Guid id, Actor viewer) =>
        (await ctx.Bunit.Services.GetRequiredService<DecisionQueries>().GetForAsync(id, viewer))!;

    [Fact]
    public async Task WhileBlind_TheNoteCountsTheVerdicts_WithoutNamingAnyone()
    {
        await using var ctx = await ComponentTestContext.CreateAsync();
        var decision = await FourEyesAsync(ctx, "Count Only AB");
        var olivia = await ctx.Harness.ActorAsync("operator");
        var omar = await ctx.Harness.ActorAsync("operator2");
        await Act(ctx, s => s.RejectAsync(decision.Id, olivia, "The gap is too small"));
        ctx.RenderPopovers();

        var actions = ctx.Bunit.Render<DecisionActions>(p => p.Add(c => c.Detail, SeenBy(ctx, decision.Id, omar).Result).Add(c => c.Actor, omar));

        var note = actions.Find("[data-testid=four-eyes]").TextContent;
        Assert.Contains("1 of 2 verdicts given.", note, StringComparison.Ordinal);
        Assert.Contains("The other reviewers' verdicts stay hidden until you give yours.", note, StringComparison.Ordinal);
        Assert.DoesNotContain("Olivia", actions.Markup, StringComparison.Ordinal);
        Assert.DoesNotContain("So far", note, StringComparison.Ordinal);

        // Olivia, having given hers, reads her own verdict.
        var hers = ctx.Bunit.Render<DecisionActions>(p => p.Add(c => c.Detail, SeenBy(ctx, decision.Id, olivia).Result).Add(c => c.Actor, olivia));
        Assert.Contains("So far: you rejected. Another reviewer must give their verdict too.", hers.Find("[data-testid=four-eyes]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AfterADisagreement_ThePanelShowsBothVerdicts_AndInTheTopTierWhoMayDecide()
    {
        await using var ctx = await ComponentTestContext.CreateAsync();
        var decision = await FourEyesAsync(ctx, "Panel Split GmbH");
        var olivia = await ctx.Harness.ActorAsync("operator");
        var omar = await ctx.Harness.ActorAsync("operator2");
        var sam = await ctx.Harness.ActorAsync("senior");
        var sienna = await ctx.Harness.ActorAsync("senior2");
        await Act(ctx, s => s.ApproveAsync(decision.Id, olivia, "Within the margin floor"));
        await Act(ctx, s => s.RejectAsync(decision.Id, omar, "The competitor gap is too small"));

        var panel = ctx.Bunit.Render<FourEyesDisagreements>(p => p.Add(c => c.Detail, SeenBy(ctx, decision.Id, sam).Result));

        var shown = Assert.Single(panel.FindAll("[data-testid=reviewers-disagreed]"));
        Assert.Contains("Reviewers disagreed", shown.TextContent, StringComparison.Ordinal);
        Assert.Contains("Escalated to Dynamic pricing — seniors (tier 2)", panel.Find("[data-testid=disagreement-outcome]").TextContent, StringComparison.Ordinal);
        var rows = panel.FindAll("[data-testid=disagreement-verdict]").Select(r => r.TextContent).ToList();
        Assert.Equal(2, rows.Count);
        Assert.Contains("Olivia Operator", rows[0], StringComparison.Ordinal);
        Assert.Contains("Approved", rows[0], StringComparison.Ordinal);
        Assert.Contains("“Within the margin floor”", rows[0], StringComparison.Ordinal);
        Assert.Contains("Omar Operator", rows[1], StringComparison.Ordinal);
        Assert.Contains("Rejected", rows[1], StringComparison.Ordinal);
        Assert.Contains("“The competitor gap is too small”", rows[1], StringComparison.Ordinal);

        // The seniors disagree in the top tier: the page says plainly that a senior who gave neither verdict decides.
        await Act(ctx, s => s.ApproveAsync(decision.Id, sam, "Strategic"));
        await Act(ctx, s => s.RejectAsync(decision.Id, sienna, "The floor is the floor"));
        ctx.RenderPopovers();
        var samsActions = ctx.Bunit.Render<DecisionActions>(p => p.Add(c => c.Detail, SeenBy(ctx, decision.Id, sam).Result).Add(c => c.Actor, sam));
        var needsSenior = samsActions.Find("[data-testid=needs-senior]").TextContent;
        Assert.Contains("Reviewers disagreed — needs a senior's decision.", needsSenior, StringComparison.Ordinal);
        Assert.Contains("You gave one of those verdicts, so another senior operator must decide.", needsSenior, StringComparison.Ordinal);
        Assert.Empty(samsActions.FindAll("[data-testid=four-eyes]"));

        var helen = DemoColleagues.Of(DemoData.ContosoId).First(c => c.IsInRole(Roles.SeniorOperator));
        var twice = ctx.Bunit.Render<FourEyesDisagreements>(p => p.Add(c => c.Detail, SeenBy(ctx, decision.Id, helen).Result));
        Assert.Equal(2, twice.FindAll("[data-testid=reviewers-disagreed]").Count);
        Assert.Contains("it stays in Dynamic pricing — seniors: a senior operator who gave neither verdict decides it alone", twice.FindAll("[data-testid=disagreement-outcome]")[0].TextContent, StringComparison.Ordinal);
    }
}
