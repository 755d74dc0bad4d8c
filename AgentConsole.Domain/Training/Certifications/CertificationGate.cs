using System.Collections.Concurrent;
using AgentConsole.Domain.Decisions;
using AgentConsole.Domain.Persistence;
using AgentConsole.Domain.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace AgentConsole.Domain.Training.Certifications;

/// <summary>
/// The certification a decision's review requirement names, checked when someone claims or decides it: the actor must
/// hold it, valid at that moment (not expired, not revoked). Escalating and releasing need no certification; the
/// system (SLA auto-decisions) is not a reviewer and is not checked.
/// </summary>
public static class CertificationGate
{
    // Compiled once per provider's context (a compiled query keeps the SQL of the first context it ran on): the gate
    // runs on every claim and verdict of a gated item (benchmark (k)).
    private static readonly ConcurrentDictionary<Type, Func<AgentConsoleDbContext, Guid, string, string, IAsyncEnumerable<Certification>>> HeldQueries = new();

    private static IAsyncEnumerable<Certification> HeldQuery(AgentConsoleDbContext db, Guid tenantId, string holderId, string key) =>
        HeldQueries.GetOrAdd(db.GetType(), _ => EF.CompileAsyncQuery((AgentConsoleDbContext context, Guid tenant, string holder, string certification) =>
            context.Certifications.AsNoTracking().Where(c => c.TenantId == tenant && c.HolderId == holder && c.Key == certification)))(db, tenantId, holderId, key);

    /// <summary>The verbs that need the certification.</summary>
    public static bool Gates(string verb) => verb is "claim" or "approve" or "override" or "reject";

    /// <summary>Refuses the action, saying which certification is missing and why, unless the actor holds it valid at <paramref name="now"/>.</summary>
    internal static async Task RequireAsync(AgentConsoleDbContext db, Decision decision, Actor actor, string verb, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (decision.ReviewCertification is not { } key || !Gates(verb) || actor.Kind != ActorKind.User)
        {
            return;
        }

        var held = new List<Certification>();
        await foreach (var certification in HeldQuery(db, actor.TenantId, actor.Id, key).WithCancellation(cancellationToken))
        {
            held.Add(certification);
        }

        if (Missing(key, held, now) is { } why)
        {
            throw DomainException.Forbidden("decision.certification-required", $"You cannot {verb} this decision: it needs the {key} certification, and {why}.");
        }
    }

    /// <summary>Why <paramref name="held"/> (one person's certifications with this key) gives no authority now; null when one is valid.</summary>
    public static string? Missing(string key, IReadOnlyCollection<Certification> held, DateTimeOffset now)
    {
        if (held.Any(c => c.StatusAt(now) == CertificationStatus.Valid))
        {
            return null;
        }

        var latest = held.OrderByDescending(c => c.RevokedAt ?? c.ExpiresAt).FirstOrDefault();
        return latest is null ? "you have never held it" : $"yours {latest.WhyNotValid(now)}";
    }
}
