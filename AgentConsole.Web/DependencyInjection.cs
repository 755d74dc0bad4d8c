using AgentConsole.Jobs.ScaleOut;
using AgentConsole.Web.Hosting;
using AgentConsole.Web.Hosting.Security;
using AgentConsole.Web.Queues;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.StackExchangeRedis;
using StackExchange.Redis;
using Microsoft.AspNetCore.Authorization;
using MudBlazor.Services;

namespace AgentConsole.Web;

public static class DependencyInjection
{
    /// <summary>The console: Blazor Server with MudBlazor, sign-in (demo, Entra ID or OpenID Connect; bearer tokens for the API), role policies, the queue hub.</summary>
    public static IHostApplicationBuilder AddAgentConsoleWeb(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        builder.AddConsoleSecurity();
        services.AddRazorComponents().AddInteractiveServerComponents().AddCircuitLimits();
        // Messages appear at the bottom, where they cover no page title or action.
        services.AddMudServices(o => o.SnackbarConfiguration.PositionClass = Defaults.Classes.Position.BottomRight);
        services.AddSignalR().AddQueueHubLimits();
        if (builder.Configuration.GetSection(ScaleOutOptions.Section).Get<ScaleOutOptions>() is { Enabled: true } scaleOut)
        {
            // The queue hub's messages reach its clients on every web node through Redis, on the node's one shared
            // connection. Only that hub: Blazor circuits live on one node, and their connections must not wait on Redis.
            services.AddOptions<RedisOptions>().Configure<RedisConnection>((o, redis) =>
            {
                o.Configuration.ChannelPrefix = RedisChannel.Literal($"{scaleOut.ChannelPrefix}:signalr");
                o.ConnectionFactory = async _ => await redis.GetAsync();
            });
            services.AddSingleton<HubLifetimeManager<QueueHub>, RedisHubLifetimeManager<QueueHub>>();
        }

        services.AddProblemDetails();
        services.AddApiErrors();
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter()));
        services.AddSharedDataProtection();
        services.AddHttpContextAccessor();
        services.AddCascadingAuthenticationState();

        builder.AddConsoleAuthentication();
        services.AddAuthorizationBuilder().AddConsolePolicies();

        services.AddScoped<ConsoleUser>();
        services.AddScoped<Components.LiveUpdates>();
        services.AddScoped<Notifications.NotificationsChanged>();
        services.AddSingleton<LiveListItems>();
        services.AddSingleton<Notifications.SharedUnreadCounts>();
        services.AddSingleton<Components.DatabaseWatch>();
        services.AddHostedService(sp => sp.GetRequiredService<Components.DatabaseWatch>());
        services.AddHostedService<QueueEventForwarder>();
        services.AddHostedService<Hosting.StartupBanner>();
        return builder;
    }

    private static AuthorizationBuilder AddConsolePolicies(this AuthorizationBuilder authorization)
    {
        foreach (var (permission, roles) in Permissions.Roles)
        {
            authorization.AddPolicy(permission, p => p.RequireAuthenticatedUser().RequireRole(roles));
        }

        return authorization;
    }
}
