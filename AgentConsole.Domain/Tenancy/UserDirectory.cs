using AgentConsole.Domain.Persistence;
using Microsoft.EntityFrameworkCore;

namespace AgentConsole.Domain.Tenancy;

/// <summary>An account's standing as open sessions check it: whether it is enabled, and its current security stamp.</summary>
public sealed record SessionStanding(Guid UserId, bool IsActive, string SecurityStamp);

/// <summary>
/// Reads what sign-in and session checks need before a tenant is known, so it reads across tenants: the tenants, a
/// tenant by slug, and the standing of accounts with open sessions (one indexed query for any number of them).
/// </summary>
public sealed class UserDirectory(DatabaseProvider provider)
{
    /// <summary>An enabled demo user by user name, with their tenant (the demo sign-in itself goes through <see cref="UserProvisioning"/>).</summary>
    public async Task<(AppUser User, Tenant Tenant)?> FindAsync(string userName, CancellationToken cancellationToken = default)
    {
        await using var db = provider.Create(new TenantContext());
        var normalized = userName.Trim().ToLowerInvariant();
        var user = await db.Users.IgnoreQueryFilters().AsNoTracking()
            .SingleOrDefaultAsync(u => u.Issuer == AppUser.DemoIssuer && u.Subject == normalized && u.IsActive, cancellationToken);
        if (user is null)
        {
            return null;
        }

        var tenant = await db.Tenants.AsNoTracking().SingleAsync(t => t.Id == user.TenantId, cancellationToken);
        return (user, tenant);
    }

    public async Task<IReadOnlyList<Tenant>> TenantsAsync(CancellationToken cancellationToken = default)
    {
        await using var db = provider.Create(new TenantContext());
        return await db.Tenants.AsNoTracking().OrderBy(t => t.Name).ToListAsync(cancellationToken);
    }

    /// <summary>The id of the tenant with this slug, or null.</summary>
    public async Task<Guid?> TenantIdAsync(string slug, CancellationToken cancellationToken = default)
    {
        await using var db = provider.Create(new TenantContext());
        return await db.Tenants.AsNoTracking().Where(t => t.Slug == slug).Select(t => (Guid?)t.Id).SingleOrDefaultAsync(cancellationToken);
    }

    /// <summary>The standing of one account; null when it does not exist.</summary>
    public async Task<SessionStanding?> StandingAsync(Guid userId, CancellationToken cancellationToken = default) =>
        (await StandingsAsync([userId], cancellationToken)).GetValueOrDefault(userId);

    /// <summary>The standing of accounts by id; accounts that do not exist are missing from the answer.</summary>
    public async Task<IReadOnlyDictionary<Guid, SessionStanding>> StandingsAsync(IReadOnlyCollection<Guid> userIds, CancellationToken cancellationToken = default)
    {
        if (userIds.Count == 0)
        {
            return new Dictionary<Guid, SessionStanding>();
        }

        await using var db = provider.Create(new TenantContext());
        return await db.Users.IgnoreQueryFilters().AsNoTracking().Where(u => userIds.Contains(u.Id))
            .Select(u => new SessionStanding(u.Id, u.IsActive, u.SecurityStamp))
            .ToDictionaryAsync(s => s.UserId, cancellationToken);
    }
}
