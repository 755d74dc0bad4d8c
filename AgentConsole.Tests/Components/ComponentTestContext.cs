using System.Security.Claims;
using AgentConsole.Domain.Tenancy;
using AgentConsole.Tests.Infrastructure;
using AgentConsole.Web.Components;
using AgentConsole.Web.Tenancy;
using Microsoft.AspNetCore.Components.Authorization;
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
        Bunit.Services.AddSingleton(new AgentConsole.Web.Notifications.SharedUnreadCounts());
        Bunit.Services.AddFallbackServiceProvider(_scope.ServiceProvider);
    }

    public DomainHarness Harness { get; }

    /// <summary>The console's live-update state, as the layout would read it.</summary>
    public LiveUpdates Live { get; } = new();

    public BunitContext Bunit { get; } = new();

    public static async Task<ComponentTestContext> CreateAsync() => new(await DomainHarness.CreateAsync());

    public IRenderedComponent<MudPopoverProvider> RenderPopovers() => Bunit.Render<MudPopoverProvider>();

    /// <summary>Signs a demo user in to the rendered pages (their <see cref="ConsoleUser"/> reads the same claims as in the console).</summary>
    public async Task<Actor> SignInAsync(string userName)
    {
        var actor = await Harness.ActorAsync(userName);
        var authorization = Bunit.AddAuthorization();
        authorization.SetAuthorized(actor.Name);
        authorization.SetRoles([.. actor.Roles]);
        authorization.SetClaims(new Claim(ClaimTypes.NameIdentifier, actor.Id), new Claim(ConsoleClaims.TenantId, actor.TenantId.ToString()));
        Bunit.Services.AddScoped(sp => new ConsoleUser(sp.GetRequiredService<AuthenticationStateProvider>(), _scope.ServiceProvider.GetRequiredService<TenantContext>()));
        return actor;
    }

    public async ValueTask DisposeAsync()
    {
        await Bunit.DisposeAsync();
        await _scope.DisposeAsync();
        await Harness.DisposeAsync();
    }
}
