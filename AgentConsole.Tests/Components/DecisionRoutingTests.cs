using AgentConsole.Domain.Decisions;
using AgentConsole.Domain.Tenancy;
using AgentConsole.Tests.Infrastructure;
using AgentConsole.Web.Decisions.Components;
using Bunit;
using Microsoft.Extensions.DependencyInjection;

namespace AgentConsole.Tests.Components;

/// <summary>The decision page says what routed a decision and, apart from that, where it is now.</summary>
public sealed class DecisionRoutingTests
{
    [Fact]
    public async Task AfterAnEscalation_ItShowsWhatRoutedIt_AndThatASeniorDecidesItNowAtTier2()
    {
        await using var ctx = await ComponentTestContext.CreateAsync();
        var decision = await ctx.Harness.ProposeAsync(TestCases.UncertainPricing("Escalated Trading SA"));
        await using (var scope = ctx.Harness.Scope(DemoData.ContosoId))
        {
            await scope.ServiceProvider.GetRequiredService<DecisionService>().EscalateAsync(decision.Id, await ctx.Harness.ActorAsync("operator"), "Strategic customer");
        }

        var detail = await ctx.Bunit.Services.GetRequiredService<DecisionQueries>().GetAsync(decision.Id, (await ctx.Harness.ActorAsync("operator")).Roles);
        var routing = ctx.Bunit.Render<DecisionRouting>(p => p.Add(c => c.Detail, detail!));

        Assert.Contains("tier 1", routing.Find("[data-testid=route-reason]").TextContent, StringComparison.Ordinal);
        var now = routing.Find("[data-testid=route-now]").TextContent;
        Assert.Contains("Escalated by Olivia Operator", now, StringComparison.Ordinal);
        Assert.Contains("Dynamic pricing — seniors (tier 2)", now, StringComparison.Ordinal);
        Assert.Contains("a senior operator decides it", now, StringComparison.Ordinal);
        Assert.DoesNotContain("a operator", now, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InItsFirstQueue_ItSaysWhoDecidesIt_ThereAndNowhereElse()
    {
        await using var ctx = await ComponentTestContext.CreateAsync();
        var decision = await ctx.Harness.ProposeAsync(TestCases.UncertainPricing("First Line Oy"));

        var detail = await ctx.Bunit.Services.GetRequiredService<DecisionQueries>().GetAsync(decision.Id, (await ctx.Harness.ActorAsync("operator")).Roles);
        var routing = ctx.Bunit.Render<DecisionRouting>(p => p.Add(c => c.Detail, detail!));

        var now = routing.Find("[data-testid=route-now]").TextContent;
        Assert.Contains("Waiting in Dynamic pricing — first line (tier 1)", now, StringComparison.Ordinal);
        Assert.Contains("an operator or a senior operator decides it", now, StringComparison.Ordinal);
    }
}
