using AgentConsole.Domain.Audit;
using AgentConsole.Domain.Persistence;
using Microsoft.EntityFrameworkCore;

namespace AgentConsole.Domain.Tenancy;

/// <summary>An account as a tenant's admin sees it.</summary>
public sealed record UserListItem(
    Guid Id, AppUserKind Kind, string UserName, string DisplayName, string Email, string Issuer, bool IsActive,
    IReadOnlyList<string> ProviderRoles, IReadOnlyList<string> GrantedRoles, DateTimeOffset? LastSignInAt);

/// <summary>
/// A tenant's admin manages its accounts — people and service principals: disable and enable them, grant and remove
/// console roles, each with a reason, each audited in the same transaction. Every change gives the account a new
/// security stamp, so its open consoles, hub connections and cookies end (see the web host's session checks). An admin
/// administers only their own tenant, cannot disable themselves and cannot remove their own Admin role.
/// </summary>
public sealed class UserAdministration(IAgentConsoleDbFactory dbs, TimeProvider clock, AccountSecurityEvents security)
{
    public async Task<IReadOnlyList<UserListItem>> ListAsync(Actor admin, CancellationToken cancellationToken = default)
    {
        Require(admin);
        await using var db = dbs.Create();
        var users = await db.Users.AsNoTracking().Where(u => u.TenantId == admin.TenantId).ToListAsync(cancellationToken);
        return [.. users.OrderBy(u => u.Kind).ThenBy(u => u.DisplayName, StringComparer.CurrentCultureIgnoreCase)
            .Select(u => new UserListItem(u.Id, u.Kind, u.UserName, u.DisplayName, u.Email, u.Issuer, u.IsActive, u.ProviderRoles, u.GrantedRoles, u.LastSignInAt))];
    }

    public Task<AppUser> DisableAsync(Guid userId, Actor admin, string reason, CancellationToken cancellationToken = default) =>
        ChangeAsync(userId, admin, reason, "user.disabled", user =>
        {
            if (IsSelf(user, admin))
            {
                throw DomainException.Invalid("user.disable-self", "You cannot disable your own account; ask another admin.");
            }

            user.Disable();
        }, null, cancellationToken);

    public Task<AppUser> EnableAsync(Guid userId, Actor admin, string reason, CancellationToken cancellationToken = default) =>
        ChangeAsync(userId, admin, reason, "user.enabled", user => user.Enable(), null, cancellationToken);

    public Task<AppUser> GrantRoleAsync(Guid userId, string role, Actor admin, string reason, CancellationToken cancellationToken = default) =>
        ChangeAsync(userId, admin, reason, "user.role-granted", user => user.Grant(role), role, cancellationToken);

    public Task<AppUser> RemoveRoleAsync(Guid userId, string role, Actor admin, string reason, CancellationToken cancellationToken = default) =>
        ChangeAsync(userId, admin, reason, "user.role-removed", user =>
        {
            if (IsSelf(user, admin) && role == Roles.Admin)
            {
                throw DomainException.Invalid("user.remove-own-admin", "You cannot remove your own Admin role; ask another admin.");
            }

            user.Remove(role);
        }, role, cancellationToken);

    private async Task<AppUser> ChangeAsync(Guid userId, Actor admin, string reason, string action, Action<AppUser> change, string? role, CancellationToken cancellationToken)
    {
        Require(admin);
        RequireReason(reason);
        await using var db = dbs.Create();

        // The tenant filter already hides other tenants' accounts; the explicit check keeps it so should the filter ever be bypassed.
        var user = await db.Users.SingleOrDefaultAsync(u => u.Id == userId, cancellationToken);
        if (user is null || user.TenantId != admin.TenantId)
        {
            throw DomainException.NotFound("user.not-found", "No such account in your organisation.");
        }

        var before = user.Snapshot();
        change(user);
        db.AuditEntries.Add(AuditEntry.Record(admin, action, "user", user.Id.ToString(), reason, before, user.Snapshot(), clock.GetUtcNow()));
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            throw DomainException.Conflict("user.changed", "Someone else changed this account at the same moment. Nothing was saved; reload to see the change.");
        }

        security.UserChanged(action, user, admin, role);
        return user;
    }

    private static bool IsSelf(AppUser user, Actor admin) => string.Equals(user.Id.ToString(), admin.Id, StringComparison.OrdinalIgnoreCase);

    private static void Require(Actor admin)
    {
        if (!admin.Can(Permissions.Administer))
        {
            throw DomainException.Forbidden("user.role", "Only an admin of your organisation may manage its accounts.");
        }
    }

    private static void RequireReason(string? reason)
    {
        const string Required = "Give a reason: it is kept in the audit trail.";
        if (string.IsNullOrWhiteSpace(reason))
        {
            throw DomainException.Invalid("user.reason-required", Required, new Dictionary<string, string[]> { ["reason"] = [Required] });
        }

        if (reason.Length > 1000)
        {
            throw DomainException.Invalid("user.reason-too-long", "The reason must be at most 1000 characters.", new Dictionary<string, string[]> { ["reason"] = ["At most 1000 characters."] });
        }
    }
}
