using System.Diagnostics;
using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;

namespace AgentConsole.Web.Hosting.Security;

/// <summary>
/// The console's security events, in one log category (<see cref="Category"/>) with structured fields: who (user,
/// tenant, client address), what (path, method, the rule that refused), and the trace id that ties the event to the
/// request's trace. Values that could carry credentials — cookies, headers other than Host and Origin, query
/// strings, tokens — are never logged; the Host and Origin a client sent are cut to <see cref="MaxEchoedLength"/>.
/// </summary>
public sealed partial class SecurityEvents(ILoggerFactory loggers)
{
    /// <summary>The log category of every security event.</summary>
    public const string Category = "AgentConsole.Security";

    private const int MaxEchoedLength = 100;

    private readonly ILogger _logger = loggers.CreateLogger(Category);

    /// <summary>Authorization refused a signed-in user a page, an API call, the hub or the job dashboard (403).</summary>
    public void AccessDenied(HttpContext context, string rule) =>
        LogAccessDenied(_logger, context.Request.Method, context.Request.Path, UserId(context.User), TenantId(context.User), RemoteAddress(context), rule, TraceId(context));

    /// <summary>A live console page refused a user whose role does not reach it (navigation inside the circuit).</summary>
    public void PageDenied(ClaimsPrincipal user, string path) =>
        LogAccessDenied(_logger, "NAVIGATE", path, UserId(user), TenantId(user), "-", "the page's role policy", Activity.Current?.TraceId.ToHexString() ?? "-");

    /// <summary>A handshake to a live connection came from a page of another origin (403).</summary>
    public void OriginRefused(HttpContext context, string origin) =>
        LogOriginRefused(_logger, Echo(origin), context.Request.Path, UserId(context.User), RemoteAddress(context), TraceId(context));

    /// <summary>A client went over a rate limit (429).</summary>
    public void RateLimited(HttpContext context, string limit, int retryAfterSeconds) =>
        LogRateLimited(_logger, limit, context.Request.Method, context.Request.Path, UserId(context.User), RemoteAddress(context), retryAfterSeconds, TraceId(context));

    /// <summary>A request named a host the console does not serve (400).</summary>
    public void HostRefused(HttpContext context) =>
        LogHostRefused(_logger, Echo(context.Request.Host.Value ?? ""), context.Request.Path, RemoteAddress(context), TraceId(context));

    private static string TraceId(HttpContext context) => Activity.Current?.TraceId.ToHexString() ?? context.TraceIdentifier;

    private static string UserId(ClaimsPrincipal user) => user.FindFirstValue(ClaimTypes.NameIdentifier) ?? "-";

    private static string TenantId(ClaimsPrincipal user) => user.FindFirstValue(ConsoleClaims.TenantId) ?? "-";

    private static string RemoteAddress(HttpContext context) => context.Connection.RemoteIpAddress?.ToString() ?? "-";

    private static string Echo(string value) =>
        string.Concat((value.Length > MaxEchoedLength ? value[..MaxEchoedLength] + "…" : value).Select(c => char.IsControl(c) ? '?' : c));

    [LoggerMessage(EventId = 4030, EventName = "AccessDenied", Level = LogLevel.Warning,
        Message = "Access denied: {Method} {Path} for user {UserId} of tenant {TenantId} from {RemoteAddress} ({Rule}); trace {TraceId}")]
    private static partial void LogAccessDenied(ILogger logger, string method, string path, string userId, string tenantId, string remoteAddress, string rule, string traceId);

    [LoggerMessage(EventId = 4031, EventName = "OriginRefused", Level = LogLevel.Warning,
        Message = "Refused a connection from origin {Origin} to {Path} (user {UserId}, from {RemoteAddress}): not the console's own origin nor in Security:AllowedOrigins; trace {TraceId}")]
    private static partial void LogOriginRefused(ILogger logger, string origin, string path, string userId, string remoteAddress, string traceId);

    [LoggerMessage(EventId = 4290, EventName = "RateLimited", Level = LogLevel.Warning,
        Message = "Rate limit {Limit} reached: {Method} {Path} by user {UserId} from {RemoteAddress}, retry after {RetryAfterSeconds} s; trace {TraceId}")]
    private static partial void LogRateLimited(ILogger logger, string limit, string method, string path, string userId, string remoteAddress, int retryAfterSeconds, string traceId);

    [LoggerMessage(EventId = 4000, EventName = "HostRefused", Level = LogLevel.Warning,
        Message = "Refused a request for host {Host} to {Path} from {RemoteAddress}: not in AllowedHosts; trace {TraceId}")]
    private static partial void LogHostRefused(ILogger logger, string host, string path, string remoteAddress, string traceId);
}

/// <summary>Logs each refusal of the authorization middleware (403) as a security event, then answers as ASP.NET Core does.</summary>
internal sealed class DeniedAccessLogger(SecurityEvents events) : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _answer = new();

    public Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (authorizeResult.Forbidden)
        {
            var failed = authorizeResult.AuthorizationFailure?.FailedRequirements.Select(Describe).Distinct().ToArray() ?? [];
            events.AccessDenied(context, failed.Length > 0 ? string.Join("; ", failed) : "forbidden");
        }

        return _answer.HandleAsync(next, context, policy, authorizeResult);
    }

    private static string Describe(IAuthorizationRequirement requirement) => requirement switch
    {
        Microsoft.AspNetCore.Authorization.Infrastructure.RolesAuthorizationRequirement roles => $"requires one of the roles {string.Join(", ", roles.AllowedRoles)}",
        _ => requirement.GetType().Name,
    };
}
