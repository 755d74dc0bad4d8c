using AgentConsole.Jobs.ScaleOut;
using AgentConsole.Web.Hosting;
using AgentConsole.Web.Hosting.Security;
using AgentConsole.Web.Queues;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.StackExchangeRedis;
using StackExchange.Redis;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using MudBlazor.Services;

namespace AgentConsole.Web;

public static class DependencyInjection
{
    /// <summary>The console: Blazor Server with MudBlazor, cookie sign-in, role policies, the queue hub.</summary>
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

        services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(options =>
            {
                options.LoginPath = "/account/login";
                options.AccessDeniedPath = "/account/login";
                options.Cookie.Name = "agentconsole.auth";
                options.Cookie.HttpOnly = true;
                options.Cookie.SameSite = SameSiteMode.Lax;
                options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                options.SlidingExpiration = true;
                options.ExpireTimeSpan = TimeSpan.FromHours(8);
                options.Events.OnRedirectToLogin = context => Challenge(context, StatusCodes.Status401Unauthorized);
                options.Events.OnRedirectToAccessDenied = context => Challenge(context, StatusCodes.Status403Forbidden);
            });
        services.AddAuthorizationBuilder().AddConsolePolicies();

        services.AddScoped<ConsoleUser>();
        services.AddScoped<Components.LiveUpdates>();
        services.AddSingleton<LiveListItems>();
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

    // APIs and the hub answer 401/403; people are sent to the sign-in page.
    private static Task Challenge(Microsoft.AspNetCore.Authentication.RedirectContext<CookieAuthenticationOptions> context, int status)
    {
        var path = context.Request.Path;
        if (path.StartsWithSegments("/api") || path.StartsWithSegments("/hubs") || path.StartsWithSegments("/health"))
        {
            context.Response.StatusCode = status;
            return Task.CompletedTask;
        }

        if (status == StatusCodes.Status403Forbidden)
        {
            context.Response.StatusCode = status;
            return context.Response.WriteAsync("Your role does not give access to this page.");
        }

        context.Response.Redirect(context.RedirectUri);
        return Task.CompletedTask;
    }
}
