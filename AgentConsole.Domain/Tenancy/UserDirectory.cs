using AgentConsole.Domain.Persistence;
using Microsoft.EntityFrameworkCore;

namespace AgentConsole.Domain.Tenancy;

/// <summary>Finds the people who may sign in. Sign-in happens before a tenant is known, so it reads across tenants.</summary>
public sealed class UserDirectory(DatabaseProvider provider)
{
    public async Task<(AppUser User, Tenant Tenant)?> FindAsync(string userName, CancellationToken cancellationToken = default)
    {
        await using var db = provider.Create(new TenantContext());
        var normalized = userName.Trim().ToLowerInvariant();
        var user = await db.Users.IgnoreQueryFilters().AsNoTracking()
            .SingleOrDefaultAsync(u => u.UserName == normalized && u.IsActive, cancellationToken);
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
}
