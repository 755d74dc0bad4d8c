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

    [Fact]
    public async Task ALongQueue_IsShownAPageAtATime_WithTheCountOfAll()
    {
        await using var ctx = await ComponentTestContext.CreateAsync();
        for (var i = 0; i < 27; i++)
        {
            await ctx.Harness.ProposeAsync(TestCases.UncertainPricing($"Buyer {i:00}"));
        }

        var list = await RenderAsync(ctx);

        Assert.Equal(25, list.FindAll("[data-testid=queue-row]").Count);
        Assert.Equal("27 open", list.Find("[data-testid=queue-count]").TextContent);
        Assert.Equal("1–25 of 27", list.Find("[data-testid=queue-range]").TextContent);
        Assert.True(list.Find("[data-testid=previous-page]").HasAttribute("disabled"));

        await list.Find("[data-testid=next-page]").ClickAsync(new());
        list.WaitForAssertion(() => Assert.Equal("26–27 of 27", list.Find("[data-testid=queue-range]").TextContent), TimeSpan.FromSeconds(5));
        Assert.Equal(2, list.FindAll("[data-testid=queue-row]").Count);
        Assert.True(list.Find("[data-testid=next-page]").HasAttribute("disabled"));

        // A new item due last belongs on the last page; the count of all goes up wherever one is.
        var arrival = await ctx.Harness.ProposeAsync(TestCases.UncertainPricing("Late Arrival"));
        list.WaitForElement($"[data-decision-id='{arrival.Id}']", TimeSpan.FromSeconds(5));
        Assert.Equal("28 open", list.Find("[data-testid=queue-count]").TextContent);
    }

    [Fact]
    public async Task ALiveChange_RendersOnlyTheRowThatChanged()
    {
        await using var ctx = await ComponentTestContext.CreateAsync();
        var first = await ctx.Harness.ProposeAsync(TestCases.UncertainPricing("First Buyer"));
        await ctx.Harness.ProposeAsync(TestCases.UncertainPricing("Second Buyer"));
        await ctx.Harness.ProposeAsync(TestCases.UncertainPricing("Third Buyer"));
        var list = await RenderAsync(ctx);
        var rows = list.FindComponents<QueueRow>();
        Assert.Equal(3, rows.Count);
        var before = rows.ToDictionary(r => r.Instance.Item.Id, r => r.RenderCount);

        var olivia = await ctx.Harness.ActorAsync("operator2");
        await using (var scope = ctx.Harness.Scope(DemoData.ContosoId))
        {
            await scope.ServiceProvider.GetRequiredService<DecisionService>().ClaimAsync(first.Id, olivia);
        }

        list.WaitForAssertion(() => Assert.Equal("Omar Operator", list.Find("[data-testid=claimed-by]").TextContent), TimeSpan.FromSeconds(5));
        foreach (var row in list.FindComponents<QueueRow>())
        {
            var id = row.Instance.Item.Id;
            Assert.True(id == first.Id ? row.RenderCount > before[id] : row.RenderCount == before[id], $"Row {row.Instance.Item.Subject} rendered {row.RenderCount} times, {before[id]} before the claim.");
        }
    }
}
