using AgentConsole.Web.Queues;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;
using Microsoft.Identity.Web;

namespace AgentConsole.Web.Tenancy;

/// <summary>
/// How the console knows who is there. People hold the console's own cookie session, begun by the demo form or by
/// single sign-on (Entra ID or any OpenID Connect provider); programs send a bearer token from the same provider to the
/// API and the queue hub. A policy scheme picks bearer when a request to <c>/api</c> or the hub carries one, else the
/// cookie. Every session carries its account's security stamp and is checked against the database: a cookie on every
/// request, open consoles and hub connections every <see cref="ConsoleAuthenticationOptions.RevalidateSeconds"/>.
/// </summary>
public static class SignInSetup
{
    /// <summary>The console's scheme: forwards to the bearer or the cookie scheme.</summary>
    public const string ConsoleScheme = "Console";

    public const string CookieScheme = CookieAuthenticationDefaults.AuthenticationScheme;

    /// <summary>The single sign-on handler (Microsoft.Identity.Web's or the generic OpenID Connect one).</summary>
    public const string ProviderScheme = OpenIdConnectDefaults.AuthenticationScheme;

    public const string BearerScheme = JwtBearerDefaults.AuthenticationScheme;

    public static IHostApplicationBuilder AddConsoleAuthentication(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<ConsoleAuthenticationOptions>().BindConfiguration(ConsoleAuthenticationOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<ConsoleAuthenticationOptions>, ConsoleAuthenticationOptionsValidator>();
        var settings = builder.Configuration.GetSection(ConsoleAuthenticationOptions.Section).Get<ConsoleAuthenticationOptions>() ?? new();
        var sso = settings.Mode != AuthenticationMode.Demo;

        var authentication = services.AddAuthentication(o =>
            {
                o.DefaultScheme = ConsoleScheme;
                o.DefaultSignInScheme = CookieScheme;
                o.DefaultSignOutScheme = CookieScheme;
            })
            .AddPolicyScheme(ConsoleScheme, "Cookie or bearer token", o => o.ForwardDefaultSelector = context => sso && CarriesBearer(context.Request) ? BearerScheme : CookieScheme)
            .AddCookie(CookieScheme, o =>
            {
                o.LoginPath = "/account/login";
                o.AccessDeniedPath = "/account/login";
                o.Cookie.Name = "agentconsole.auth";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Lax;
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.SlidingExpiration = true;
                o.ExpireTimeSpan = TimeSpan.FromHours(8);
                o.Events.OnRedirectToLogin = context => Challenge(context, StatusCodes.Status401Unauthorized);
                o.Events.OnRedirectToAccessDenied = context => Challenge(context, StatusCodes.Status403Forbidden);
                o.Events.OnValidatePrincipal = SessionChecks.ValidateCookieAsync;
            });

        if (settings.Mode == AuthenticationMode.EntraId)
        {
            var entra = builder.Configuration.GetSection("AzureAd");
            authentication.AddMicrosoftIdentityWebApp(entra, ProviderScheme, cookieScheme: null, displayName: settings.ProviderName);
            authentication.AddMicrosoftIdentityWebApi(entra, BearerScheme);
        }
        else if (settings.Mode == AuthenticationMode.Oidc)
        {
            authentication.AddOpenIdConnect(ProviderScheme, settings.ProviderName, _ => { });
            authentication.AddJwtBearer(BearerScheme, _ => { });
        }

        if (sso)
        {
            // Signing out posts a form that the console redirects to the provider's end-session endpoint: the
            // Content-Security-Policy's form-action must allow the provider's origin.
            var providerOrigin = ProviderOrigin(settings, builder.Configuration);
            services.PostConfigure<Hosting.Security.SecurityOptions>(o =>
            {
                if (providerOrigin is not null && !o.FormActionOrigins.Contains(providerOrigin, StringComparer.OrdinalIgnoreCase))
                {
                    o.FormActionOrigins = [.. o.FormActionOrigins, providerOrigin];
                }
            });

            // After Microsoft.Identity.Web's own configuration, so these settings and events come last.
            services.AddOptions<OpenIdConnectOptions>(ProviderScheme).Configure<IOptions<ConsoleAuthenticationOptions>>((o, console) => ProviderEvents.Configure(o, console.Value));
            services.AddOptions<JwtBearerOptions>(BearerScheme).Configure<IOptions<ConsoleAuthenticationOptions>>((o, console) => BearerEvents.Configure(o, console.Value));
        }

        services.AddSingleton<ProviderSignIn>();
        services.AddScoped<AuthenticationStateProvider, ConsoleAuthenticationStateProvider>();
        services.AddSingleton<QueueHubSessions>();
        services.AddSingleton<QueueHubSessionFilter>();
        // A plain configure step: AddHubOptions would copy the global hub options over the queue hub's own limits again.
        services.Configure<HubOptions<QueueHub>>(o => o.AddFilter<QueueHubSessionFilter>());
        services.AddHostedService<HubSessionChecks>();
        return builder;
    }

    /// <summary>The origin of the provider's sign-in and end-session pages, e.g. <c>https://login.microsoftonline.com</c>.</summary>
    private static string? ProviderOrigin(ConsoleAuthenticationOptions settings, IConfiguration configuration)
    {
        var address = settings.Mode == AuthenticationMode.EntraId ? configuration["AzureAd:Instance"] ?? "https://login.microsoftonline.com/" : settings.Oidc.Authority;
        return Uri.TryCreate(address, UriKind.Absolute, out var uri) ? uri.GetLeftPart(UriPartial.Authority) : null;
    }

    /// <summary>A bearer token on the API, or on the queue hub (where WebSockets carry it in <c>access_token</c>).</summary>
    internal static bool CarriesBearer(HttpRequest request) =>
        (request.Path.StartsWithSegments("/api") || request.Path.StartsWithSegments(QueueHub.Path))
        && (request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
            || (request.Path.StartsWithSegments(QueueHub.Path) && request.Query.ContainsKey("access_token")));

    // APIs and the hub answer 401/403; people are sent to the sign-in page.
    private static Task Challenge(RedirectContext<CookieAuthenticationOptions> context, int status)
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
