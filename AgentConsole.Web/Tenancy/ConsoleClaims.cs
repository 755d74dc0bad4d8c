using System.Security.Claims;

namespace AgentConsole.Web.Tenancy;

/// <summary>
/// The claims a signed-in console user carries, whatever signed them in (demo form, single sign-on, bearer token),
/// and the <see cref="Actor"/> they make.
/// </summary>
public static class ConsoleClaims
{
    public const string TenantId = "agentconsole/tenant_id";
    public const string TenantName = "agentconsole/tenant_name";
    public const string UserName = "agentconsole/user_name";

    /// <summary>The account's security stamp when the session began; a session whose stamp is no longer current ends.</summary>
    public const string SecurityStamp = "agentconsole/security_stamp";

    public static ClaimsPrincipal Principal(AppUser user, Tenant tenant, string authenticationType)
    {
        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, user.Id.ToString()),
            new(ClaimTypes.Name, user.DisplayName),
            new(ClaimTypes.Email, user.Email),
            new(UserName, user.UserName),
            new(TenantId, tenant.Id.ToString()),
            new(TenantName, tenant.Name),
            new(SecurityStamp, user.SecurityStamp),
        };
        claims.AddRange(user.Roles.Select(r => new Claim(ClaimTypes.Role, r)));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, authenticationType, ClaimTypes.Name, ClaimTypes.Role));
    }

    /// <summary>The account id and the stamp a session began with; null for a principal the console did not sign in.</summary>
    public static (Guid UserId, string Stamp)? Session(this ClaimsPrincipal principal) =>
        principal.Identity?.IsAuthenticated == true
        && Guid.TryParse(principal.FindFirstValue(ClaimTypes.NameIdentifier), out var userId)
        && principal.FindFirstValue(SecurityStamp) is { Length: > 0 } stamp
            ? (userId, stamp)
            : null;

    /// <summary>The actor for a signed-in principal; null when it lacks the console's claims.</summary>
    public static Actor? ToActor(this ClaimsPrincipal principal)
    {
        if (principal.Identity?.IsAuthenticated != true
            || !Guid.TryParse(principal.FindFirstValue(ClaimTypes.NameIdentifier), out var userId)
            || !Guid.TryParse(principal.FindFirstValue(TenantId), out var tenantId))
        {
            return null;
        }

        return Actor.User(userId, principal.Identity.Name ?? "unknown", tenantId, principal.FindAll(ClaimTypes.Role).Select(c => c.Value));
    }
}
