using AgentConsole.Domain.Decisions;
using AgentConsole.Domain.Persistence;
using AgentConsole.Domain.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace AgentConsole.Domain.Training.Certifications;

/// <summary>Who holds which certification, what expires soon, one's own, and which keys a person holds valid now.</summary>
public sealed class CertificationQueries(IAgentConsoleDbFactory dbs, TimeProvider clock, CertificateCodes codes)
{
    /// <summary>How far ahead "expiring soon" looks.</summary>
    public static readonly TimeSpan ExpiringWindow = TimeSpan.FromDays(30);

    /// <summary>Every certification of the actor's tenant, newest first, filtered by holder/certification text and standing.</summary>
    public async Task<IReadOnlyList<CertificationView>> ListAsync(Actor actor, string? search = null, CertificationStatus? status = null, CancellationToken cancellationToken = default)
    {
        Require(actor, Permissions.ViewCertifications, "Your role may not see who holds which certification.");
        await using var db = dbs.Create();
        var now = clock.GetUtcNow();
        var rows = await db.Certifications.AsNoTracking().Where(c => c.TenantId == actor.TenantId).ToListAsync(cancellationToken);
        var term = search?.Trim();
        return [.. rows.Select(c => CertificationView.Of(c, now))
            .Where(c => string.IsNullOrEmpty(term) || c.HolderName.Contains(term, StringComparison.OrdinalIgnoreCase) ||
                c.Key.Contains(term, StringComparison.OrdinalIgnoreCase) || c.DisplayName.Contains(term, StringComparison.OrdinalIgnoreCase))
            .Where(c => status is null || c.Status == status)
            // People first, the demo's colleagues (actors only) after them.
            .OrderBy(c => c.HolderId.StartsWith(DemoColleagues.IdPrefix, StringComparison.Ordinal))
            .ThenBy(c => c.HolderName, StringComparer.OrdinalIgnoreCase).ThenBy(c => c.Key, StringComparer.Ordinal).ThenByDescending(c => c.GrantedAt)];
    }

    /// <summary>Valid certifications of the actor's tenant that expire within the next 30 days, soonest first.</summary>
    public async Task<IReadOnlyList<CertificationView>> ExpiringAsync(Actor actor, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        return [.. (await ListAsync(actor, cancellationToken: cancellationToken)).Where(c => c.ExpiresWithin(ExpiringWindow, now)).OrderBy(c => c.ExpiresAt)];
    }

    /// <summary>The actor's own certifications, each with its verification code; anyone signed in may read their own.</summary>
    public async Task<IReadOnlyList<(CertificationView Certification, string Code)>> MineAsync(Actor actor, CancellationToken cancellationToken = default)
    {
        await using var db = dbs.Create();
        var now = clock.GetUtcNow();
        var rows = await db.Certifications.AsNoTracking().Where(c => c.TenantId == actor.TenantId && c.HolderId == actor.Id).ToListAsync(cancellationToken);
        return [.. rows.OrderByDescending(c => c.GrantedAt).Select(c => (CertificationView.Of(c, now), codes.CodeFor(c.Id)))];
    }

    /// <summary>One of the actor's own certifications with its code, for the certificate; another person's is not found.</summary>
    public async Task<(CertificationView Certification, string Code, string Organisation)> MineAsync(Actor actor, Guid certificationId, CancellationToken cancellationToken = default)
    {
        await using var db = dbs.Create();
        var now = clock.GetUtcNow();
        var c = await db.Certifications.AsNoTracking().SingleOrDefaultAsync(c => c.Id == certificationId && c.TenantId == actor.TenantId && c.HolderId == actor.Id, cancellationToken)
            ?? throw DomainException.NotFound("certification.not-found", "You hold no such certification.");
        var organisation = await db.Tenants.Where(t => t.Id == actor.TenantId).Select(t => t.Name).SingleAsync(cancellationToken);
        return (CertificationView.Of(c, now), codes.CodeFor(c.Id), organisation);
    }

    /// <summary>
    /// For each certification key in <paramref name="keys"/>, why the actor cannot act on items needing it (null when they
    /// hold it valid now). Queue lists and the decision page mark items with it; the action itself checks again.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, string?>> StandingAsync(Actor actor, IEnumerable<string?> keys, CancellationToken cancellationToken = default)
    {
        var wanted = keys.OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        if (wanted.Count == 0)
        {
            return new Dictionary<string, string?>();
        }

        await using var db = dbs.Create();
        var now = clock.GetUtcNow();
        var held = await db.Certifications.AsNoTracking()
            .Where(c => c.TenantId == actor.TenantId && c.HolderId == actor.Id && wanted.Contains(c.Key)).ToListAsync(cancellationToken);
        return wanted.ToDictionary(k => k, k => CertificationGate.Missing(k, [.. held.Where(c => c.Key == k)], now), StringComparer.Ordinal);
    }

    /// <summary>The items with <see cref="DecisionListItem.HoldsCertification"/> and <see cref="DecisionListItem.CertificationMissing"/> filled for the viewer.</summary>
    public async Task<IReadOnlyList<DecisionListItem>> MarkAsync(Actor viewer, IReadOnlyList<DecisionListItem> items, CancellationToken cancellationToken = default)
    {
        var standing = await StandingAsync(viewer, items.Select(i => i.Certification), cancellationToken);
        return [.. items.Select(i => i.Certification is { } key
            ? i with { HoldsCertification = standing[key] is null, CertificationMissing = standing[key] }
            : i)];
    }

    private static void Require(Actor actor, string permission, string message)
    {
        if (!actor.Can(permission))
        {
            throw DomainException.Forbidden("certification.role", message);
        }
    }
}
