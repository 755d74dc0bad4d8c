using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace AgentConsole.Domain.Tenancy;

/// <summary>
/// The security events of sign-in, sessions and user administration, written to the log category <see cref="Category"/>
/// (the same as the web host's request-level security events) with the trace id of the request they happened in, so an
/// operator can alert on them and find the request. Never a token, password, cookie or secret: only who, what, and why.
/// </summary>
public sealed class AccountSecurityEvents(ILoggerFactory loggers)
{
    public const string Category = "AgentConsole.Security";

    private readonly ILogger _log = loggers.CreateLogger(Category);

    public void SignedIn(AppUser user, string method) =>
        _log.LogInformation(new EventId(1000, "SignedIn"), "Sign-in: {UserId} ({UserName}, {Kind}) of tenant {TenantId} through {Method}; trace {TraceId}",
            user.Id, user.UserName, user.Kind, user.TenantId, method, TraceId);

    public void SignedOut(string? userId, string? userName) =>
        _log.LogInformation(new EventId(1001, "SignedOut"), "Sign-out: {UserId} ({UserName}); trace {TraceId}", userId, userName, TraceId);

    public void SignInFailed(string method, string reason, string? userName) =>
        _log.LogWarning(new EventId(1002, "SignInFailed"), "Failed sign-in through {Method} for {UserName}: {Reason}; trace {TraceId}", method, userName, reason, TraceId);

    public void SignInDenied(string method, string reason, string? subject, string? providerTenant) =>
        _log.LogWarning(new EventId(1003, "SignInDenied"), "Denied sign-in through {Method} for {Subject} of provider tenant {ProviderTenant}: {Reason}; trace {TraceId}",
            method, subject, providerTenant, reason, TraceId);

    public void UnknownRoles(string subject, IEnumerable<string> roles) =>
        _log.LogWarning(new EventId(1004, "UnknownRoles"), "Ignored role claims the console does not know for {Subject}: {Roles}; trace {TraceId}",
            subject, string.Join(", ", roles), TraceId);

    public void LockedOut(string userName, DateTimeOffset until) =>
        _log.LogWarning(new EventId(1005, "LockedOut"), "Sign-in locked for {UserName} until {Until} after repeated failures; trace {TraceId}", userName, until, TraceId);

    public void UserChanged(string action, AppUser user, Actor by, string? detail) =>
        _log.LogWarning(new EventId(1006, "UserChanged"), "{Action}: {UserId} ({UserName}) of tenant {TenantId} by {ActorId} ({ActorName}) {Detail}; trace {TraceId}",
            action, user.Id, user.UserName, user.TenantId, by.Id, by.Name, detail, TraceId);

    public void SessionEnded(string where, string userId, string reason) =>
        _log.LogInformation(new EventId(1007, "SessionEnded"), "Ended a {Where} of {UserId}: {Reason}; trace {TraceId}", where, userId, reason, TraceId);

    public void TokenRefused(string reason, string path) =>
        _log.LogWarning(new EventId(1008, "TokenRefused"), "Refused a bearer token on {Path}: {Reason}; trace {TraceId}", path, reason, TraceId);

    public void CrossSiteRefused(string path, string? origin, string? fetchSite) =>
        _log.LogWarning(new EventId(1009, "CrossSiteRefused"), "Refused a cookie-authenticated API write to {Path} (Origin {Origin}, Sec-Fetch-Site {FetchSite}); trace {TraceId}",
            path, origin, fetchSite, TraceId);

    /// <summary>A person saw a case field the routing policy hides from their role (the value itself is never logged).</summary>
    public void FieldRevealed(Actor by, Guid decisionId, string field) =>
        _log.LogWarning(new EventId(1010, "FieldRevealed"), "Revealed {Field} of decision {DecisionId} to {ActorId} ({ActorName}) of tenant {TenantId}; trace {TraceId}",
            field, decisionId, by.Id, by.Name, by.TenantId, TraceId);

    private static string? TraceId => Activity.Current?.TraceId.ToString();
}
