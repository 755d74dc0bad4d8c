using AgentConsole.Domain.Agents.Pause;
using AgentConsole.Domain.Persistence;
using AgentConsole.Domain.Tenancy;
using AgentConsole.Web.Agents.Components;
using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AgentConsole.Tests.Components;

/// <summary>
/// The seniors' circuit-breaker alert (live, without a reload, until a senior resumes the agent; nothing for operators) and the
/// pause panel (a reason beside the field when missing; who paused it, when and why).
/// </summary>
public sealed class AgentPauseComponentTests
{
    private const string Figures = "overrides 9 of 20 (45%) in the last hour, above the policy's 30%";

    private static async Task TripAsync(ComponentTestContext ctx)
    {
        await using var scope = ctx.Harness.Scope(DemoData.ContosoId);
        await using var db = scope.ServiceProvider.GetRequiredService<IAgentConsoleDbFactory>().Create();
        var agent = await db.Agents.SingleAsync(a => a.Key == "pricing");
        Assert.True(await scope.ServiceProvider.GetRequiredService<AgentPauseService>().PauseByBreakerAsync(db, agent, Figures, default));
    }

    [Fact]
    public async Task TheBreakersPause_AppearsLiveForSeniors_UntilOneResumesTheAgent()
    {
        await using var ctx = await ComponentTestContext.CreateAsync();
        var senior = await ctx.SignInAsync("senior");
        var alerts = ctx.Bunit.Render<BreakerAlerts>();
        alerts.WaitForAssertion(() => Assert.Equal("true", alerts.Find("[data-testid=breaker-alerts-ready]").GetAttribute("data-ready")));
        Assert.Empty(alerts.FindAll("[data-testid=breaker-alert]"));

        await TripAsync(ctx);

        alerts.WaitForAssertion(() =>
        {
            var alert = alerts.Find("[data-testid=breaker-alert]");
            Assert.Equal("pricing", alert.GetAttribute("data-agent"));
            Assert.Contains("The circuit breaker paused Quote Discount Advisor", alert.TextContent, StringComparison.Ordinal);
            Assert.Contains(Figures, alert.TextContent, StringComparison.Ordinal);
        });

        await using (var scope = ctx.Harness.Scope(DemoData.ContosoId))
        {
            await scope.ServiceProvider.GetRequiredService<AgentPauseService>().ResumeAsync("pricing", "Overrides checked: a price list error, fixed", senior);
        }

        alerts.WaitForAssertion(() => Assert.Empty(alerts.FindAll("[data-testid=breaker-alert]")));
    }

    [Fact]
    public async Task AnOperator_SeesNoAlert()
    {
        await using var ctx = await ComponentTestContext.CreateAsync();
        await ctx.SignInAsync("operator");
        await TripAsync(ctx);

        var alerts = ctx.Bunit.Render<BreakerAlerts>();

        Assert.Empty(alerts.FindAll("[data-testid=breaker-alert]"));
    }

    [Fact]
    public async Task ThePanel_AsksForAReasonBesideTheField_ThenShowsWhoPausedItAndWhy()
    {
        await using var ctx = await ComponentTestContext.CreateAsync();
        var senior = await ctx.SignInAsync("senior");
        ctx.RenderPopovers();
        var pauses = ctx.Bunit.Services.GetRequiredService<AgentPauseService>();
        var state = (await pauses.GetAsync("pricing"))!;
        var changed = 0;
        var panel = ctx.Bunit.Render<AgentPausePanel>(p => p.Add(c => c.State, state).Add(c => c.Actor, senior).Add(c => c.Changed, () => changed++));

        await panel.Find("[data-testid=pause-submit]").ClickAsync(new());
        Assert.Contains("A reason is required to pause an agent", panel.Markup, StringComparison.Ordinal);
        Assert.False((await pauses.GetAsync("pricing"))!.IsPaused);
        Assert.Equal(0, changed);

        panel.Find("[data-testid=pause-reason] textarea, textarea[data-testid=pause-reason]").Change("Discounts above the new floor");
        await panel.Find("[data-testid=pause-submit]").ClickAsync(new());
        Assert.Equal(1, changed);

        var fresh = (await pauses.GetAsync("pricing"))!;
        panel.Render(p => p.Add(c => c.State, fresh));
        var shown = panel.Find("[data-testid=pause-state]").TextContent;
        Assert.Contains($"is paused by {senior.Name}", shown, StringComparison.Ordinal);
        Assert.Contains("Discounts above the new floor", shown, StringComparison.Ordinal);
        Assert.Equal("Resume agent", panel.Find("[data-testid=pause-submit]").TextContent.Trim());
    }
}
