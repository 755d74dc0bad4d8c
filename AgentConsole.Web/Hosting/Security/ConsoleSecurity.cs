using Microsoft.AspNetCore.Components.Server;
using Microsoft.AspNetCore.CookiePolicy;
using Microsoft.AspNetCore.HttpsPolicy;
using Microsoft.Extensions.Options;

namespace AgentConsole.Web.Hosting.Security;

/// <summary>
/// The console's hardening, registered in one place: security headers and the Content-Security-Policy, cookie
/// attributes and HSTS. Its options are validated on start.
/// </summary>
public static class ConsoleSecurity
{
    public static IHostApplicationBuilder AddConsoleSecurity(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<SecurityOptions>().BindConfiguration(SecurityOptions.Section).ValidateDataAnnotations()
            .Validate(o => o.FormActionOrigins.All(SecurityOptions.IsSource),
                "Security:FormActionOrigins lists origins such as https://login.example.com, without spaces, quotes or semicolons.")
            .Validate(o => o.ConnectOrigins.All(SecurityOptions.IsSource),
                "Security:ConnectOrigins lists origins such as wss://events.example.com, without spaces, quotes or semicolons.")
            .ValidateOnStart();

        // Ahead of every other startup filter, so ahead of ASP.NET Core's host filtering: even its 400 carries the
        // security headers.
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

    /// <summary>
    /// Leaves framing to the console's own policy (<c>frame-ancestors 'none'</c>): Blazor would otherwise add its own
    /// <c>Content-Security-Policy: frame-ancestors 'self'</c> to interactive pages.
    /// </summary>
    public static void FramingByPolicy(ServerComponentsEndpointOptions options) => options.ContentSecurityFrameAncestorsPolicy = null;

    /// <summary>The security headers, before anything else in the pipeline.</summary>
    private sealed class OutermostSecurityFilter : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.UseMiddleware<SecurityHeadersMiddleware>();
            next(app);
        };
    }
}
