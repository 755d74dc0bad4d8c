using Microsoft.Extensions.Options;

namespace AgentConsole.Web.Hosting.Security;

/// <summary>
/// Checks the <c>Origin</c> of every request to the console's live connections — Blazor's <c>/_blazor</c> and the
/// hubs under <c>/hubs</c>: negotiate, the WebSocket upgrade, long polling and server-sent events alike. A browser
/// names the origin of the page that opens a connection; when that is neither the console's own origin (the
/// request's scheme and host) nor one of <see cref="SecurityOptions.AllowedOrigins"/>, the request is refused with
/// 403 before authorization or the hub see it, and logged with the user whose cookie came along.
/// </summary>
/// <remarks>
/// WebSockets are not bound by CORS, and browsers send a same-site cookie (<c>SameSite=Lax</c>) along with a
/// handshake from any origin of the same site — another port or subdomain of the host — so without this check such
/// a page could subscribe to the signed-in user's tenant. A request without <c>Origin</c> is let through: browsers
/// always send it on WebSocket handshakes and on script POSTs (negotiate), so it comes from a program (the .NET
/// SignalR client, curl), which holds a cookie only if its user gave it one and is not a page riding someone's
/// browser session.
/// </remarks>
internal sealed class HandshakeOriginMiddleware(RequestDelegate next, IOptionsMonitor<SecurityOptions> options, SecurityEvents events)
{
    /// <summary>The paths of the live connections.</summary>
    public static readonly PathString[] Paths = ["/_blazor", "/hubs"];

    public async Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        if (Paths.Any(p => request.Path.StartsWithSegments(p)) && request.Headers.Origin is { Count: > 0 } origin
            && !IsAllowed(origin.ToString(), request, options.CurrentValue.AllowedOrigins))
        {
            events.OriginRefused(context, origin.ToString());
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            context.Response.ContentType = "text/plain; charset=utf-8";
            await context.Response.WriteAsync("Connections from pages of another origin are refused.", context.RequestAborted);
            return;
        }

        await next(context);
    }

    /// <summary>Whether a handshake's origin is the console's own (the request's scheme and host) or an allowed one.</summary>
    internal static bool IsAllowed(string origin, HttpRequest request, IEnumerable<string> allowed)
    {
        if (!Uri.TryCreate(origin, UriKind.Absolute, out var from) || !SecurityOptions.IsOrigin(origin))
        {
            return false; // "null" (a sandboxed or file page), several origins, or not an origin at all.
        }

        return SameOrigin(from, $"{request.Scheme}://{request.Host.Value}")
            || allowed.Any(a => SameOrigin(from, a));
    }

    private static bool SameOrigin(Uri origin, string other) =>
        Uri.TryCreate(other, UriKind.Absolute, out var uri)
        && Uri.Compare(origin, uri, UriComponents.SchemeAndServer, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) == 0;
}
