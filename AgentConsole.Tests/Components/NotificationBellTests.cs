using AgentConsole.Domain.Queues.Leases;
using AgentConsole.Domain.Tenancy;
using AgentConsole.Tests.Infrastructure;
using AgentConsole.Web.Notifications;
using AgentConsole.Web.Notifications.Components;
using Bunit;
using Microsoft.Extensions.DependencyInjection;

namespace AgentConsole.Tests.Components;

/// <summary>The layout's bell counts up as things happen, without a reload: an item arrives, a senior assigns one.</summary>
public sealed class NotificationBellTests
{
    [Fact]
    public async Task TheCount_GoesUpLive_WhenAnItemArrives_AndWhenASeniorAssignsOne()
    {
        await using var ctx = await ComponentTestContext.CreateAsync();
        ctx.Bunit.Services.AddScoped<NotificationsChanged>();
        var waiting = await ctx.Harness.ProposeAsync(TestCases.UncertainPricing("Waiting Before AG"));
        var olivia = await ctx.SignInAsync("operator");
        var senior = await ctx.Harness.ActorAsync("senior");

        var bell = ctx.Bunit.Render<NotificationBell>();
        bell.WaitForAssertion(() => Assert.Equal("true", bell.Find("[data-testid=notification-bell]").GetAttribute("data-live")), TimeSpan.FromSeconds(5));
        Assert.Equal("0", bell.Find("[data-testid=notification-bell]").GetAttribute("data-count"));
        Assert.Empty(bell.FindAll("[data-testid=notification-count]"));

        await ctx.Harness.ProposeAsync(TestCases.UncertainPricing("Fresh Arrival AG"));
        bell.WaitForAssertion(() => Assert.Equal("1", bell.Find("[data-testid=notification-count]").TextContent), TimeSpan.FromSeconds(5));

        await using (var scope = ctx.Harness.Scope(DemoData.ContosoId))
        {
            await scope.ServiceProvider.GetRequiredService<Assignments>().AssignAsync(waiting.Id, senior, Guid.Parse(olivia.Id), "Yours");
        }

        bell.WaitForAssertion(() => Assert.Equal("2", bell.Find("[data-testid=notification-count]").TextContent), TimeSpan.FromSeconds(5));
        Assert.Equal("Notifications: 2 unread", bell.Find("[data-testid=notification-bell]").GetAttribute("title"));
    }
}
