using AgentConsole.Domain.Decisions;
using AgentConsole.Domain.Tenancy;
using AgentConsole.Tests.Infrastructure;
using AgentConsole.Web.Decisions.Components;
using AngleSharp.Dom;
using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AgentConsole.Tests.Components;

public sealed class DecisionActionsTests
{
    private static async Task<(IRenderedComponent<DecisionActions> Actions, Decision Decision, Func<int> Changes)> RenderAsync(
        ComponentTestContext ctx, string userName = "operator", Func<Decision, Task>? before = null)
    {
        var decision = await ctx.Harness.ProposeAsync(TestCases.UncertainPricing());
        if (before is not null)
        {
            await before(decision);
        }

        var changes = 0;
        ctx.RenderPopovers();
        var actor = await ctx.Harness.ActorAsync(userName);
        var detail = await ctx.Bunit.Services.GetRequiredService<DecisionQueries>().GetAsync(decision.Id, actor.Roles);
        var actions = ctx.Bunit.Render<DecisionActions>(p => p
            .Add(c => c.Detail, detail!)
            .Add(c => c.Actor, actor)
            .Add(c => c.Changed, () => changes++));
        return (actions, decision, () => changes);
    }

    private static IElement Field(IRenderedComponent<DecisionActions> actions, string testId) =>
        actions.Find($"[data-testid={testId}] textarea, [data-testid={testId}] input, textarea[data-testid={testId}], input[data-testid={testId}]");

    private static Task<Decision> StoredAsync(ComponentTestContext ctx, Guid id) =>
        ctx.Harness.WithDbAsync(db => db.Decisions.AsNoTracking().SingleAsync(d => d.Id == id));

    [Fact]
    public async Task Approve_WithAReason_ResolvesTheDecision()
    {
        await using var ctx = await ComponentTestContext.CreateAsync();
        var (actions, decision, changes) = await RenderAsync(ctx);

        actions.Find("[data-testid=mode-approve]").Click();
        Field(actions, "reason").Input("Within the discount policy");
        await actions.Find("[data-testid=submit]").ClickAsync(new());

        var stored = await StoredAsync(ctx, decision.Id);
        Assert.Equal(DecisionStatus.Approved, stored.Status);
        Assert.Equal(1, changes());
    }

    [Fact]
    public async Task Submit_WithoutAReason_ShowsTheProblemBesideTheField_AndChangesNothing()
    {
        await using var ctx = await ComponentTestContext.CreateAsync();
        var (actions, decision, changes) = await RenderAsync(ctx);

        actions.Find("[data-testid=mode-reject]").Click();
        await actions.Find("[data-testid=submit]").ClickAsync(new());

        Assert.Contains("A reason is required.", actions.Find("[data-testid=action-form]").TextContent, StringComparison.Ordinal);
        Assert.Equal(DecisionStatus.Pending, (await StoredAsync(ctx, decision.Id)).Status);
        Assert.Equal(0, changes());
    }

    [Fact]
    public async Task Override_WithAnInvalidValue_ShowsTheProblemBesideThatField()
    {
        await using var ctx = await ComponentTestContext.CreateAsync();
        var (actions, decision, _) = await RenderAsync(ctx);

        actions.Find("[data-testid=mode-override]").Click();
        Field(actions, "override-discountPercent").Input("75");
        Field(actions, "reason").Input("Strategic account");
        await actions.Find("[data-testid=submit]").ClickAsync(new());

        Assert.Contains("Discount must be between 0 and 60 %.", actions.Find("[data-testid=action-form]").TextContent, StringComparison.Ordinal);
        Assert.Equal(DecisionStatus.Pending, (await StoredAsync(ctx, decision.Id)).Status);
    }

    [Fact]
    public async Task Override_WithADiscountBetweenSteps_IsRefusedBesideTheField()
    {
        await using var ctx = await ComponentTestContext.CreateAsync();
        var (actions, decision, _) = await RenderAsync(ctx);

        actions.Find("[data-testid=mode-override]").Click();
        Field(actions, "override-discountPercent").Input("12.3");
        Field(actions, "reason").Input("Competitor match");
        await actions.Find("[data-testid=submit]").ClickAsync(new());

        Assert.Contains("Discount must be in steps of 0.5 %, e.g. 12 or 12.5.", actions.Find("[data-testid=action-form]").TextContent, StringComparison.Ordinal);
        Assert.Equal(DecisionStatus.Pending, (await StoredAsync(ctx, decision.Id)).Status);
    }

    [Fact]
    public async Task Override_WithValidValues_RecordsThem()
    {
        await using var ctx = await ComponentTestContext.CreateAsync();
        var (actions, decision, _) = await RenderAsync(ctx);

        actions.Find("[data-testid=mode-override]").Click();
        Assert.Equal("4.5", Field(actions, "override-discountPercent").GetAttribute("value"));
        Field(actions, "override-discountPercent").Input("3");
        Field(actions, "reason").Input("Margin floor");
        await actions.Find("[data-testid=submit]").ClickAsync(new());

        var stored = await StoredAsync(ctx, decision.Id);
        Assert.Equal(DecisionStatus.Overridden, stored.Status);
        Assert.Equal(3m, stored.Final!["discountPercent"]!.GetValue<decimal>());
    }

    [Fact]
    public async Task Override_ShowsWhatDiffersFromTheProposal_AsTheValuesAreEdited()
    {
        await using var ctx = await ComponentTestContext.CreateAsync();
        var (actions, _, _) = await RenderAsync(ctx);

        actions.Find("[data-testid=mode-override]").Click();
        Assert.Equal("No value differs from the proposal yet.", actions.Find("[data-testid=override-diff]").TextContent.Trim());
        Field(actions, "override-discountPercent").Input("3");

        Assert.Equal("Discount: 4.5 % → 3 %", actions.Find("[data-testid=override-change]").TextContent.Trim());
    }

    [Fact]
    public async Task Approve_AfterSomeoneElseResolvedIt_ExplainsWhatHappened()
    {
        await using var ctx = await ComponentTestContext.CreateAsync();
        var (actions, decision, _) = await RenderAsync(ctx);
        await using (var scope = ctx.Harness.Scope(DemoData.ContosoId))
        {
            await scope.ServiceProvider.GetRequiredService<DecisionService>().RejectAsync(decision.Id, await ctx.Harness.ActorAsync("operator2"), "Duplicate quote");
        }

        actions.Find("[data-testid=mode-approve]").Click();
        Field(actions, "reason").Input("ok");
        await actions.Find("[data-testid=submit]").ClickAsync(new());

        Assert.Contains("rejected by Omar Operator", actions.Find("[data-testid=action-error]").TextContent, StringComparison.Ordinal);
        Assert.Equal(DecisionStatus.Rejected, (await StoredAsync(ctx, decision.Id)).Status);
    }

    [Fact]
    public async Task Auditor_SeesWhyTheyCannotAct_AndNoActions()
    {
        await using var ctx = await ComponentTestContext.CreateAsync();
        var (actions, _, _) = await RenderAsync(ctx, "auditor");

        Assert.Contains("may look at decisions but not act", actions.Find("[data-testid=read-only]").TextContent, StringComparison.Ordinal);
        Assert.Empty(actions.FindAll("[data-testid=mode-approve]"));
    }

    [Fact]
    public async Task Claim_ShowsThatTheReviewerWorksOnIt()
    {
        await using var ctx = await ComponentTestContext.CreateAsync();
        var (actions, decision, changes) = await RenderAsync(ctx);

        await actions.Find("[data-testid=claim]").ClickAsync(new());

        Assert.Equal(DecisionStatus.InReview, (await StoredAsync(ctx, decision.Id)).Status);
        Assert.Equal(1, changes());
    }

    [Fact]
    public async Task Escalate_IsNotOffered_AtTheTopTier()
    {
        await using var ctx = await ComponentTestContext.CreateAsync();
        var (actions, _, _) = await RenderAsync(ctx, "senior", async decision =>
        {
            await using var scope = ctx.Harness.Scope(DemoData.ContosoId);
            await scope.ServiceProvider.GetRequiredService<DecisionService>().EscalateAsync(decision.Id, await ctx.Harness.ActorAsync("operator"), "Strategic customer");
        });

        actions.WaitForElement("[data-testid=mode-approve]");
        Assert.Empty(actions.FindAll("[data-testid=mode-escalate]"));
    }
}
