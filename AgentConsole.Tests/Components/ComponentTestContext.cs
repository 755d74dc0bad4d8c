using AgentConsole.Domain.Tenancy;
using AgentConsole.Tests.Infrastructure;
using AgentConsole.Web.Components;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Services;

namespace AgentConsole.Tests.Components;

/// <summary>A bUnit context with MudBlazor and the real Domain services of a tenant-bound harness scope.</summary>
public sealed class ComponentTestContext : IAsyncDisposable
{
    private readonly AsyncServiceScope _scope;

    private ComponentTestContext(DomainHarness harness)
    {
        Harness = harness;
        _scope = harness.Scope(DemoData.ContosoId);
        Bunit.JSInterop.Mode = JSRuntimeMode.Loose;
        Bunit.Services.AddMudServices(o => o.PopoverOptions.CheckForPopoverProvider = false);
        Bunit.Services.AddSingleton(Live);
        Bunit.Services.AddSingleton(new AgentConsole.Web.Queues.LiveListItems());
        Bunit.Services.AddFallbackServiceProvider(_scope.ServiceProvider);
    }

    public DomainHarness Harness { get; }

    /// <summary>The console's live-update state, as the layout would read it.</summary>
    public LiveUpdates Live { get; } = new();

    public BunitContext Bunit { get; } = new();

    public static async Task<ComponentTestContext> CreateAsync() => new(await DomainHarness.CreateAsync());

    public IRenderedComponent<MudPopoverProvider> RenderPopovers() => Bunit.Render<MudPopoverProvider>();

    public async ValueTask DisposeAsync()
    {
        await Bunit.DisposeAsync();
        await _scope.DisposeAsync();
        await Harness.DisposeAsync();
    }
}
