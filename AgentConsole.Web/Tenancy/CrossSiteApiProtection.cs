using AgentConsole.Web.Hosting;

namespace AgentConsole.Web.Tenancy;

/// <summary>
/// Cookie-authenticated API writes (POST, PUT, PATCH, DELETE under <c>/api</c>) must come from the console's own origin
/// and carry the header <see cref="Header"/> (any value). A page on another origin — another site, or another port or
/// subdomain of the same site, whose requests still carry a SameSite=Lax cookie — cannot add that header without a CORS
/// preflight the console never grants, and browsers mark its requests with <c>Origin</c> and <c>Sec-Fetch-Site</c>,
/// which are checked too. Scripts send the header (or, better, a bearer token, which needs none of this: a browser
/// never attaches one by itself). Reading (GET) is left alone: it changes nothing and its answer stays on the origin.
/// </summary>
public sealed class CrossSiteApiProtection(RequestDelegate next)
{
    public const string Header = "X-Requested-With";

    private static readonly string[] Changing = [HttpMethods.Post, HttpMethods.Put, HttpMethods.Patch, HttpMethods.Delete];

    public async Task InvokeAsync(HttpContext context, IProblemDetailsService problems, AccountSecurityEvents security)
    {
        var request = context.Request;
        if (!Changing.Contains(request.Method, StringComparer.OrdinalIgnoreCase) || context.User.Identity?.AuthenticationType != SignInSetup.CookieScheme
            || (SameOrigin(request) && !string.IsNullOrWhiteSpace(request.Headers[Header])))
        {
            await next(context);
            return;
        }

        security.CrossSiteRefused(request.Path, request.Headers.Origin, request.Headers["Sec-Fetch-Site"]);
        await ApiErrors.WriteProblemAsync(context, problems, StatusCodes.Status403Forbidden, "Not allowed", "api.cross-site",
            $"An API call that changes data with a sign-in cookie must come from the console itself and send the header {Header} (any value). "
            + "Scripts should use a bearer token instead.");
    }

    /// <summary>No browser mark of another origin: <c>Sec-Fetch-Site</c>, when sent, is same-origin or none; <c>Origin</c>, when sent, is the console's host.</summary>
    private static bool SameOrigin(HttpRequest request)
    {
        var site = request.Headers["Sec-Fetch-Site"].ToString();
        if (site.Length > 0 && site is not ("same-origin" or "none"))
        {
            return false;
        }

        var origin = request.Headers.Origin.ToString();
        return origin.Length == 0
            || (Uri.TryCreate(origin, UriKind.Absolute, out var uri) && string.Equals(uri.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase));
    }
}

public static class CrossSiteApiProtectionExtensions
{
    /// <summary>Cross-site protection for cookie-authenticated API writes; after authentication, before the endpoints.</summary>
    public static IApplicationBuilder UseApiCrossSiteProtection(this IApplicationBuilder app) =>
        app.UseWhen(ApiErrors.IsApi, api => api.UseMiddleware<CrossSiteApiProtection>());
}
