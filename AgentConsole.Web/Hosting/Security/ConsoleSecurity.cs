using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.AspNetCore.CookiePolicy;
using Microsoft.AspNetCore.HostFiltering;
using Microsoft.AspNetCore.HttpsPolicy;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace AgentConsole.Web.Hosting.Security;

/// <summary>
/// The console's hardening, registered in one place: security headers and the Content-Security-Policy, cookie
/// attributes, HSTS, the origin check on live connections, rate limits, connection limits (see
/// <see cref="ConnectionLimits"/>) and security events. Its options are validated on start.
/// </summary>
public static class ConsoleSecurity
{
    public static IHostApplicationBuilder AddConsoleSecurity(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<SecurityOptions>().BindConfiguration(SecurityOptions.Section).ValidateDataAnnotations()
            .Validate(o => o.AllowedOrigins.All(SecurityOptions.IsOrigin),
                "Security:AllowedOrigins lists origins such as https://console.example.com: a scheme (http or https), a host and an optional port, nothing else.")
            .Validate(o => o.FormActionOrigins.All(SecurityOptions.IsSource),
                "Security:FormActionOrigins lists origins such as https://login.example.com, without spaces, quotes or semicolons.")
            .Validate(o => o.ConnectOrigins.All(SecurityOptions.IsSource),
                "Security:ConnectOrigins lists origins such as wss://events.example.com, without spaces, quotes or semicolons.")
            .ValidateOnStart();
        services.AddOptions<RateLimitOptions>().BindConfiguration(RateLimitOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<CircuitLimitOptions>().BindConfiguration(CircuitLimitOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<HubLimitOptions>().BindConfiguration(HubLimitOptions.Section).ValidateDataAnnotations().ValidateOnStart();

        services.AddSingleton<SecurityEvents>();
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, DeniedAccessLogger>();

        // Ahead of every other startup filter, so ahead of ASP.NET Core's host filtering: refused hosts are logged
        // and even their 400 carries the security headers.
        services.Insert(0, ServiceDescriptor.Transient<IStartupFilter, OutermostSecurityFilter>());

        services.AddOptions<HstsOptions>().Configure<IOptions<SecurityOptions>>((o, security) => o.MaxAge = TimeSpan.FromDays(security.Value.HstsMaxAgeDays));

        // Every cookie the console sets is HttpOnly, and Secure when the request came over HTTPS (plain http on
        // 127.0.0.1 keeps working). SameSite is each cookie's own: Lax for sign-in, so a provider's redirect back
        // keeps it; Strict for antiforgery.
        services.Configure<CookiePolicyOptions>(o =>
        {
            o.Secure = CookieSecurePolicy.SameAsRequest;
            o.HttpOnly = HttpOnlyPolicy.Always;
            o.MinimumSameSitePolicy = SameSiteMode.Unspecified;
        });
        services.AddAntiforgery(o =>
        {
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.SuppressXFrameOptionsHeader = true; // The security headers say DENY; antiforgery's SAMEORIGIN would contradict them.
        });

        services.AddConsoleRateLimits();
        return builder;
    }

    /// <summary>HSTS on HTTPS answers, outside Development (never for localhost or loopback addresses).</summary>
    public static WebApplication UseHstsOutsideDevelopment(this WebApplication app)
    {
        if (!app.Environment.IsDevelopment())
        {
            app.UseHsts();
        }

        return app;
    }

    /// <summary>Cookie attributes for every cookie set after it (<see cref="CookiePolicyOptions"/> above).</summary>
    public static IApplicationBuilder UseConsoleCookiePolicy(this IApplicationBuilder app) => app.UseCookiePolicy();

    /// <summary>Refuses live-connection handshakes from other origins (<see cref="HandshakeOriginMiddleware"/>); after authentication, so the log names the user.</summary>
    public static IApplicationBuilder UseHandshakeOriginCheck(this IApplicationBuilder app) => app.UseMiddleware<HandshakeOriginMiddleware>();

    /// <summary>
    /// Leaves framing to the console's own policy (<c>frame-ancestors 'none'</c>): Blazor would otherwise add its own
    /// <c>Content-Security-Policy: frame-ancestors 'self'</c> to interactive pages.
    /// </summary>
    public static void FramingByPolicy(ServerComponentsEndpointOptions options) => options.ContentSecurityFrameAncestorsPolicy = null;

    /// <summary>The security headers and the log of refused hosts, before anything else in the pipeline.</summary>
    private sealed class OutermostSecurityFilter : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.UseMiddleware<SecurityHeadersMiddleware>();
            app.UseMiddleware<RefusedHostLogger>();
            next(app);
        };
    }
}

/// <summary>
/// Logs a request for a host outside <c>AllowedHosts</c> as a security event; ASP.NET Core's host filtering, which
/// runs next, answers it with 400.
/// </summary>
internal sealed class RefusedHostLogger(RequestDelegate next, IOptionsMonitor<HostFilteringOptions> hosts, SecurityEvents events)
{
    public Task InvokeAsync(HttpContext context)
    {
        var options = hosts.CurrentValue;
        var allowed = options.AllowedHosts;
        if (allowed.Count > 0 && !allowed.Contains("*"))
        {
            var host = context.Request.Host;
            var refused = host.HasValue
                ? !HostString.MatchesAny(new StringSegment(host.Host), allowed.Select(a => new StringSegment(a)).ToList())
                : !options.AllowEmptyHosts;
            if (refused)
            {
                events.HostRefused(context);
            }
        }

        return next(context);
    }
}
