using AgentConsole.Domain.Audit;
using AgentConsole.Domain.Persistence;
using Microsoft.EntityFrameworkCore;

namespace AgentConsole.Domain.Tenancy;

/// <summary>How many failed demo sign-ins lock a user name, and for how long.</summary>
public sealed record LockoutPolicy(int MaxFailures, TimeSpan Duration);

/// <summary>
/// Sign-in as a use case: an account is provisioned on its first sign-in (per issuer and subject, in the tenant its
/// provider tenant maps to), refused while disabled, and its name, e-mail, provider roles and last sign-in kept up to
/// date. Role names the console does not know are left out and reported as a security event. Demo sign-ins count
/// failures per user name, so a burst of wrong passwords locks the name for a while on every node.
/// </summary>
public sealed class UserProvisioning(DatabaseProvider provider, TimeProvider clock, AccountSecurityEvents security)
{
    /// <summary>How often a token's use is noted as the account's last sign-in.</summary>
    public static readonly TimeSpan TokenUseResolution = TimeSpan.FromMinutes(5);

    /// <summary>
    /// A person signed in through the provider (<paramref name="interactive"/>), or a token was presented to the API:
    /// provisions or updates the account and says whether it may go on.
    /// </summary>
    public async Task<SignInOutcome> SignInAsync(ExternalIdentity identity, bool interactive, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(identity.Issuer) || string.IsNullOrWhiteSpace(identity.Subject))
        {
            return SignInOutcome.Refused(SignInRefusal.Incomplete);
        }

        var unknown = identity.Roles.Where(r => !Roles.All.Contains(r, StringComparer.Ordinal)).Distinct(StringComparer.Ordinal).ToList();
        if (unknown.Count > 0)
        {
            security.UnknownRoles(identity.Subject, unknown);
        }

        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return await SignInOnceAsync(identity, interactive, cancellationToken);
            }
            catch (DbUpdateException ex) when (attempt == 0 && !DatabaseFailures.IsUnavailable(ex))
            {
                // Two first requests of one account at the same moment: the other created it; read it again.
            }
        }
    }

    private async Task<SignInOutcome> SignInOnceAsync(ExternalIdentity identity, bool interactive, CancellationToken cancellationToken)
    {
        var tenantContext = new TenantContext();
        tenantContext.Use(identity.TenantId);
        await using var db = provider.Create(tenantContext);
        var tenant = await db.Tenants.AsNoTracking().SingleOrDefaultAsync(t => t.Id == identity.TenantId, cancellationToken);
        if (tenant is null)
        {
            return SignInOutcome.Refused(SignInRefusal.UnknownTenant);
        }

        var now = clock.GetUtcNow();
        var user = await db.Users.IgnoreQueryFilters().SingleOrDefaultAsync(u => u.Issuer == identity.Issuer && u.Subject == identity.Subject, cancellationToken);
        var system = Actor.System(tenant.Id, "sign-in");
        if (user is null)
        {
            user = new AppUser(Guid.NewGuid(), tenant.Id, identity.Kind, identity.Issuer, identity.Subject,
                Fallback(identity.UserName, identity.Subject), Fallback(identity.DisplayName, identity.UserName, identity.Subject), identity.Email);
            db.Users.Add(user);
            user.SignedIn(user.UserName, user.DisplayName, user.Email, identity.Roles, now);
            db.AuditEntries.Add(AuditEntry.Record(system, "user.provisioned", "user", user.Id.ToString(), $"First sign-in through {identity.Issuer}", null, user.Snapshot(), now));
        }
        else if (user.TenantId != tenant.Id)
        {
            return SignInOutcome.Refused(SignInRefusal.OtherTenant);
        }
        else if (!user.IsActive)
        {
            return SignInOutcome.Refused(SignInRefusal.Disabled);
        }
        else
        {
            var before = user.Snapshot();
            bool rolesChanged;
            if (interactive)
            {
                rolesChanged = user.SignedIn(Fallback(identity.UserName, user.UserName), Fallback(identity.DisplayName, user.DisplayName), Fallback(identity.Email, user.Email), identity.Roles, now);
            }
            else
            {
                // A token: its roles count at once; its use is noted every few minutes, so a busy script writes little.
                rolesChanged = user.UpdateProviderRoles(identity.Roles);
                user.Seen(now, TokenUseResolution);
            }

            if (rolesChanged)
            {
                db.AuditEntries.Add(AuditEntry.Record(system, "user.provider-roles-changed", "user", user.Id.ToString(), $"Roles from {identity.Issuer} changed", before, user.Snapshot(), now));
            }
        }

        if (interactive)
        {
            db.AuditEntries.Add(AuditEntry.Record(user.ToActor(), "user.signed-in", "user", user.Id.ToString(), null, null, null, now));
        }

        if (db.ChangeTracker.HasChanges())
        {
            await db.SaveChangesAsync(cancellationToken);
        }

        if (interactive)
        {
            security.SignedIn(user, identity.Issuer);
        }

        return new SignInOutcome(user, tenant, null);
    }

    /// <summary>A demo sign-in with the demo password: refused while the name is locked, and counted when it fails.</summary>
    public async Task<SignInOutcome> DemoSignInAsync(string userName, bool passwordMatches, LockoutPolicy lockout, CancellationToken cancellationToken = default)
    {
        var name = userName.Trim().ToLowerInvariant();
        await using var db = provider.Create(new TenantContext());
        var now = clock.GetUtcNow();
        var recent = await db.SignInFailures.Where(f => f.UserName == name && f.At > now - lockout.Duration).Select(f => f.At).ToListAsync(cancellationToken);
        if (recent.Count >= lockout.MaxFailures)
        {
            var until = recent.Max() + lockout.Duration;
            security.SignInFailed("demo sign-in", "locked", name);
            return SignInOutcome.Refused(SignInRefusal.LockedOut, until);
        }

        var user = passwordMatches
            ? await db.Users.IgnoreQueryFilters().SingleOrDefaultAsync(u => u.Issuer == AppUser.DemoIssuer && u.Subject == name, cancellationToken)
            : null;
        if (user is null)
        {
            db.SignInFailures.Add(new SignInFailure(name, now));
            await db.SignInFailures.Where(f => f.At < now.AddDays(-1)).ExecuteDeleteAsync(cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            security.SignInFailed("demo sign-in", "unknown user name or wrong password", name);
            if (recent.Count + 1 >= lockout.MaxFailures)
            {
                security.LockedOut(name, now + lockout.Duration);
                return SignInOutcome.Refused(SignInRefusal.LockedOut, now + lockout.Duration);
            }

            return SignInOutcome.Refused(SignInRefusal.WrongPassword);
        }

        if (!user.IsActive)
        {
            security.SignInDenied("demo sign-in", "disabled", name, null);
            return SignInOutcome.Refused(SignInRefusal.Disabled);
        }

        var tenant = await db.Tenants.AsNoTracking().SingleAsync(t => t.Id == user.TenantId, cancellationToken);
        user.SignedIn(user.UserName, user.DisplayName, user.Email, [], now);
        db.AuditEntries.Add(AuditEntry.Record(user.ToActor(), "user.signed-in", "user", user.Id.ToString(), null, null, null, now));
        await db.SignInFailures.Where(f => f.UserName == name).ExecuteDeleteAsync(cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        security.SignedIn(user, "demo sign-in");
        return new SignInOutcome(user, tenant, null);
    }

    /// <summary>
    /// Makes sure a console tenant exists for a slug the sign-in settings map to, with the built-in agents, their
    /// queues and default policies; returns its id. An existing tenant is left as it is.
    /// </summary>
    public async Task<Guid> EnsureTenantAsync(string slug, string name, CancellationToken cancellationToken = default)
    {
        await using var db = provider.Create(new TenantContext());
        if (await db.Tenants.AsNoTracking().Where(t => t.Slug == slug).Select(t => (Guid?)t.Id).SingleOrDefaultAsync(cancellationToken) is { } existing)
        {
            return existing;
        }

        var now = clock.GetUtcNow();
        var tenant = new Tenant(DemoData.DeterministicId("tenant:" + slug), string.IsNullOrWhiteSpace(name) ? slug : name.Trim(), slug, now);
        db.Tenants.Add(tenant);
        DemoData.SeedAgentsAndQueues(db, tenant.Id, now);
        db.AuditEntries.Add(AuditEntry.Record(Actor.System(tenant.Id, "sign-in settings"), "tenant.created", "tenant", tenant.Id.ToString(),
            "Named in the sign-in settings' tenant map", null, new { tenant.Name, tenant.Slug }, now));
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (!DatabaseFailures.IsUnavailable(ex))
        {
            // Another node starting at the same moment created it (the id is deterministic).
            db.ChangeTracker.Clear();
        }

        await Policies.DefaultPolicies.InstallMissingAsync(db, clock, cancellationToken);
        return tenant.Id;
    }

    private static string Fallback(params string?[] values) => values.FirstOrDefault(v => !string.IsNullOrWhiteSpace(v))?.Trim() ?? "";
}
