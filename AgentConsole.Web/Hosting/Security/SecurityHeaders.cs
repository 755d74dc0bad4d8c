using System.Buffers.Text;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;

namespace AgentConsole.Web.Hosting.Security;

/// <summary>
/// The security headers of every answer — pages, API, static files, error pages, the job dashboard — set as the
/// answer starts, so an error handler that clears the answer cannot drop them:
/// a Content-Security-Policy (<see cref="ContentSecurityPolicy"/>), <c>X-Content-Type-Options: nosniff</c>,
/// <c>X-Frame-Options: DENY</c>, <c>Referrer-Policy</c>, <c>Cross-Origin-Opener-Policy</c> and a
/// <c>Permissions-Policy</c> that turns off the browser features the console never uses.
/// </summary>
internal sealed class SecurityHeadersMiddleware(RequestDelegate next, IOptionsMonitor<SecurityOptions> options)
{
    // strict-origin-when-cross-origin, not no-referrer: with no-referrer a browser sends "Origin: null" on the
    // console's own script POSTs (SignalR's negotiate), which the handshake origin check would have to refuse.
    public const string ReferrerPolicy = "strict-origin-when-cross-origin";

    public const string PermissionsPolicy = "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=()";

    public Task InvokeAsync(HttpContext context)
    {
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            headers.ContentSecurityPolicy = ContentSecurityPolicy.For(options.CurrentValue, CspNonce.Issued(context));
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = ReferrerPolicy;
            headers["Cross-Origin-Opener-Policy"] = "same-origin";
            headers["Permissions-Policy"] = PermissionsPolicy;
            return Task.CompletedTask;
        });
        return next(context);
    }
}

/// <summary>
/// The console's Content-Security-Policy. Scripts come from the console only — the one inline script, Blazor's
/// import map, carries the answer's nonce; no <c>eval</c>. Styles may be inline: MudBlazor writes
/// <c>style</c> attributes with values known only at run time (widths, positions) and its theme
/// provider writes <c>&lt;style&gt;</c> blocks that Blazor replaces through the DOM when dark mode is switched,
/// where neither a hash nor the answer's nonce can reach. Images and fonts come from the console or are inline
/// (<c>data:</c>), so an injected style cannot send data elsewhere; connections (Blazor's WebSocket, fetches) go to
/// the console's own origin; forms post to it (and the configured sign-in provider); no page may frame it.
/// </summary>
public static class ContentSecurityPolicy
{
    /// <summary>The policy for an answer; <paramref name="nonce"/> when its page carries an inline script.</summary>
    public static string For(SecurityOptions options, string? nonce)
    {
        var script = nonce is null ? "'self'" : $"'self' 'nonce-{nonce}'";
        return string.Join("; ",
            "default-src 'self'",
            $"script-src {script}",
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data:",
            "font-src 'self' data:",
            Sources("connect-src", options.ConnectOrigins),
            "object-src 'none'",
            "base-uri 'self'",
            Sources("form-action", options.FormActionOrigins),
            "frame-ancestors 'none'");
    }

    private static string Sources(string directive, string[] extra) =>
        extra.Length == 0 ? $"{directive} 'self'" : $"{directive} 'self' {string.Join(' ', extra)}";
}

/// <summary>The per-answer nonce that lets the page's one inline script run under the policy.</summary>
public static class CspNonce
{
    private static readonly object Key = new();

    /// <summary>The answer's nonce, made on first use; the policy then names it.</summary>
    public static string CspNonceFor(this HttpContext context)
    {
        if (context.Items[Key] is not string nonce)
        {
            nonce = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(18));
            context.Items[Key] = nonce;
        }

        return nonce;
    }

    /// <summary>The answer's nonce, if its page asked for one.</summary>
    internal static string? Issued(HttpContext context) => context.Items[Key] as string;
}
