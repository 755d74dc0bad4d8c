using AgentConsole.Domain.Decisions;
using AgentConsole.Domain.Tenancy;
using AgentConsole.Tests.Infrastructure;
using AgentConsole.Web.Queues.Components;
using Bunit;
using Microsoft.Extensions.DependencyInjection;

namespace AgentConsole.Tests.Components;

public sealed class QueueListTests
{
    private static readonly Guid PricingTier1 = DemoData.QueueId(DemoData.ContosoId, "pricing-t1");

    private static async Task<IRenderedComponent<QueueList>> RenderAsync(ComponentTestContext ctx)
    {
        var queue = await ctx.Harness.WithDbAsync(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.SingleAsync(db.Queues, q => q.Id == PricingTier1));
        var actor = await ctx.Harness.ActorAsync("operator");
        ctx.RenderPopovers();
        return ctx.Bunit.Render<QueueList>(p => p.Add(c => c.Queue, queue).Add(c => c.Actor, actor));
    }

    [Fact]
    public async Task ShowsTheOpenDecisionsOfTheQueue()
    {
        await using var ctx = await ComponentTestContext.CreateAsync();
        var first = await ctx.Harness.ProposeAsync(TestCases.UncertainPricing("First Buyer"));
        await ctx.Harness.ProposeAsync(TestCases.UncertainPricing("Second Buyer"));

        var list = await RenderAsync(ctx);

        Assert.Equal(2, list.FindAll("[data-testid=queue-row]").Count);
        Assert.Contains("Discount for First Buyer", list.Find($"[data-decision-id='{first.Id}']").TextContent, StringComparison.Ordinal);
        Assert.Equal("2 open", list.Find("[data-testid=queue-count]").TextContent);
    }

    [Fact]
    public async Task ShowsAnEmptyState_WhenNothingWaits()
    {
        await using var ctx = await ComponentTestContext.CreateAsync();

        var list = await RenderAsync(ctx);

        Assert.Contains("Nothing waits here", list.Find("[data-testid=queue-empty]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddsArrivals_ShowsClaims_AndRemovesResolvedItems_Live()
    {
        await using var ctx = await ComponentTestContext.CreateAsync();
        var list = await RenderAsync(ctx);

        var decision = await ctx.Harness.ProposeAsync(TestCases.UncertainPricing("Live Arrival"));
        list.WaitForElement($"[data-decision-id='{decision.Id}']", TimeSpan.FromSeconds(5));

        var olivia = await ctx.Harness.ActorAsync("operator2");
        await using (var scope = ctx.Harness.Scope(DemoData.ContosoId))
        {
            await scope.ServiceProvider.GetRequiredService<DecisionService>().ClaimAsync(decision.Id, olivia);
        }

        list.WaitForAssertion(() => Assert.Equal("Omar Operator", list.Find("[data-testid=claimed-by]").TextContent), TimeSpan.FromSeconds(5));

        await using (var scope = ctx.Harness.Scope(DemoData.ContosoId))
        {
            await scope.ServiceProvider.GetRequiredService<DecisionService>().ApproveAsync(decision.Id, olivia, "fine");
        }

        list.WaitForAssertion(() => Assert.Empty(list.FindAll("[data-testid=queue-row]")), TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task IgnoresEventsOfAnotherTenant()
    {
        await using var ctx = await ComponentTestContext.CreateAsync();
        var list = await RenderAsync(ctx);

        await ctx.Harness.ProposeAsync(TestCases.UncertainPricing("Fabrikam Case"), tenantId: DemoData.FabrikamId);
        await ctx.Harness.ProposeAsync(TestCases.UncertainPricing("Contoso Case"));

        list.WaitForAssertion(() => Assert.Single(list.FindAll("[data-testid=queue-row]")), TimeSpan.FromSeconds(5));
        Assert.DoesNotContain("Fabrikam Case", list.Markup, StringComparison.Ordinal);
    }
}
