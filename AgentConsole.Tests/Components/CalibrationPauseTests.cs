using AgentConsole.Domain.Agents;
using AgentConsole.Domain.Decisions;
using AgentConsole.Domain.Tenancy;
using AgentConsole.Domain.Training.Calibration;
using AgentConsole.Tests.Infrastructure;
using AgentConsole.Web.Decisions.Components;
using AngleSharp.Dom;
using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AgentConsole.Tests.Components;

/// <summary>The decision page's actions for a person calibration paused from an item's risk level: why, and what they may not do.</summary>
public sealed class CalibrationPauseTests
{
    private static async Task PauseAsync(ComponentTestContext ctx, Actor person) =>
        await ctx.Harness.WithDbAsync(async db =>
        {
            db.CalibrationPauses.Add(new CalibrationPause(Guid.NewGuid(), person.TenantId, person.Id, person.Name, UseCase.DynamicPricing, [RiskLevel.Low],
                40, 5, 60, TimeSpan.FromDays(7), DateTimeOffset.UtcNow));
            return await db.SaveChangesAsync();
        });

    private static async Task<IRenderedComponent<DecisionActions>> RenderAsync(ComponentTestContext ctx, Actor actor, Guid decisionId)
    {
        ctx.RenderPopovers();
        var detail = await ctx.Bunit.Services.GetRequiredService<DecisionQueries>().GetAsync(decisionId, actor.Roles);
        return ctx.Bunit.Render<DecisionActions>(p => p.Add(c => c.Detail, detail!).Add(c => c.Actor, actor));
    }

    private static IElement Field(IRenderedComponent<DecisionActions> actions, string testId) =>
        actions.Find($"[data-testid={testId}] textarea, [data-testid={testId}] input, textarea[data-testid={testId}], input[data-testid={testId}]");

    [Fact]
    public async Task APausedOperator_ReadsWhy_AndIsOfferedNoClaimNorVerdict()
    {
        await using var ctx = await ComponentTestContext.CreateAsync();
        var olivia = await ctx.Harness.ActorAsync("operator");
        var decision = await ctx.Harness.ProposeAsync(TestCases.UncertainPricing("Paused Page AB"));
        await PauseAsync(ctx, olivia);

        var actions = await RenderAsync(ctx, olivia, decision.Id);

        Assert.Equal("You cannot claim, approve, override or reject it: you are paused from low-risk dynamic pricing decisions: your accuracy 40% over the last "
            + "5 gold items (7 days), below the policy's 60%. A trainer must clear the pause. You may escalate it.", actions.Find("[data-testid=calibration-paused]").TextContent.Trim());
        Assert.Empty(actions.FindAll("[data-testid=claim]"));
        Assert.Empty(actions.FindAll("[data-testid=mode-approve]"));
        Assert.NotEmpty(actions.FindAll("[data-testid=mode-escalate]"));
    }

    [Fact]
    public async Task APauseThatBeganDuringTheReview_RefusesTheApprovalWithTheReason_AndChangesNothing()
    {
        await using var ctx = await ComponentTestContext.CreateAsync();
        var olivia = await ctx.Harness.ActorAsync("operator");
        var decision = await ctx.Harness.ProposeAsync(TestCases.UncertainPricing("Paused Meanwhile AB"));
        await using (var scope = ctx.Harness.Scope(DemoData.ContosoId))
        {
            await scope.ServiceProvider.GetRequiredService<DecisionService>().ClaimAsync(decision.Id, olivia);
        }

        var actions = await RenderAsync(ctx, olivia, decision.Id);
        actions.Find("[data-testid=mode-approve]").Click();
        Field(actions, "reason").Input("Within the discount policy");
        await PauseAsync(ctx, olivia);
        await actions.Find("[data-testid=submit]").ClickAsync(new());

        Assert.Contains("You cannot approve this decision: you are paused from low-risk dynamic pricing decisions because your accuracy 40% over the last 5 gold items",
            actions.Find("[data-testid=action-error]").TextContent, StringComparison.Ordinal);
        var stored = await ctx.Harness.WithDbAsync(db => db.Decisions.AsNoTracking().SingleAsync(d => d.Id == decision.Id));
        Assert.Equal(DecisionStatus.InReview, stored.Status);
    }
}
