using AgentConsole.Domain.Decisions;
using AgentConsole.Domain.Tenancy;
using AgentConsole.Web.Components;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Rendering;
using Microsoft.Extensions.DependencyInjection;

namespace AgentConsole.Tests.Components;

public sealed class LiveComponentTests
{
    [Fact]
    public async Task AFailedRefresh_PausesLiveUpdates_RetriesTheReload_AndRecovers()
    {
        await using var ctx = await ComponentTestContext.CreateAsync();
        var view = ctx.Bunit.Render<FlakyView>(p => p.Add(v => v.FailuresBeforeSuccess, 2));
        var bus = ctx.Harness.Services.GetRequiredService<DecisionEventBus>();

        await bus.PublishAsync(Event());

        view.WaitForAssertion(() => Assert.True(ctx.Live.Paused), TimeSpan.FromSeconds(5));
        view.WaitForAssertion(() => Assert.Equal("loaded 1", view.Markup), TimeSpan.FromSeconds(10));
        Assert.False(ctx.Live.Paused);
        Assert.Equal(3, view.Instance.Attempts);
    }

    [Fact]
    public async Task AResync_ReloadsTheView()
    {
        await using var ctx = await ComponentTestContext.CreateAsync();
        var view = ctx.Bunit.Render<FlakyView>();
        var bus = ctx.Harness.Services.GetRequiredService<DecisionEventBus>();

        await bus.ResyncAsync();

        view.WaitForAssertion(() => Assert.Equal("loaded 1", view.Markup), TimeSpan.FromSeconds(5));
        Assert.False(ctx.Live.Paused);
    }

    [Fact]
    public async Task EventsOfOtherNodes_ReachTheView_ButOnlyPushedEventsReachPushSubscribers()
    {
        await using var ctx = await ComponentTestContext.CreateAsync();
        var view = ctx.Bunit.Render<FlakyView>();
        var bus = ctx.Harness.Services.GetRequiredService<DecisionEventBus>();
        var pushed = new List<DecisionEvent>();
        using var push = bus.Subscribe(e =>
        {
            pushed.Add(e);
            return Task.CompletedTask;
        }, EventScope.Push);

        await bus.DeliverRelayedAsync(Event(), push: false);
        view.WaitForAssertion(() => Assert.Equal("loaded 1", view.Markup), TimeSpan.FromSeconds(5));
        await bus.DeliverRelayedAsync(Event(), push: true);

        view.WaitForAssertion(() => Assert.Equal("loaded 2", view.Markup), TimeSpan.FromSeconds(5));
        Assert.Single(pushed);
    }

    private static DecisionEvent Event() =>
        new(DemoData.ContosoId, Guid.NewGuid(), Guid.NewGuid(), null, DecisionEventKind.Queued, DecisionStatus.Pending, 1, null, DateTimeOffset.UtcNow);

    /// <summary>A live view whose reload fails a set number of times, as it would while the database is down.</summary>
    private sealed class FlakyView : LiveComponentBase
    {
        private int _loads;

        [Parameter]
        public int FailuresBeforeSuccess { get; set; }

        public int Attempts { get; private set; }

        protected override void OnAfterRender(bool firstRender)
        {
            if (firstRender)
            {
                ReloadOnEvents(_ => true, TimeSpan.Zero, LoadAsync);
            }
        }

        protected override void BuildRenderTree(RenderTreeBuilder builder) => builder.AddContent(0, $"loaded {_loads}");

        private Task LoadAsync()
        {
            Attempts++;
            if (Attempts <= FailuresBeforeSuccess)
            {
                throw new TimeoutException("The database does not answer.");
            }

            _loads++;
            return Task.CompletedTask;
        }
    }
}
