using System.Text.RegularExpressions;
using AgentConsole.Domain.Audit;
using AgentConsole.Domain.Persistence;
using AgentConsole.Domain.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace AgentConsole.Domain.Training.Certifications;

/// <summary>What a grant gives: the certification's key and name, how long it lasts, and the exam it was earned with, if any.</summary>
public sealed record CertificationGrant(string Key, string DisplayName, TimeSpan Validity, string? TrackName = null, decimal? Score = null);

/// <summary>
/// Grants a certification to a person: called by an exam when a trainee passes (as the system), and by demo data. The
/// grant and its audit entry are saved in one transaction; the certificate's code is derived, never stored.
/// </summary>
public sealed partial class CertificationGrants(IAgentConsoleDbFactory dbs, TimeProvider clock, CertificateCodes codes)
{
    /// <summary>Grants <paramref name="grant"/> to the person <paramref name="holderId"/> (a user of the actor's tenant, or a demo colleague).</summary>
    public async Task<CertificationView> GrantAsync(Actor actor, string holderId, CertificationGrant grant, string reason, CancellationToken cancellationToken = default)
    {
        await using var db = dbs.Create();
        var now = clock.GetUtcNow();
        var certification = await AddAsync(db, actor, holderId, grant, reason, now, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        return CertificationView.Of(certification, now);
    }

    /// <summary>Adds the grant and its audit entry to <paramref name="db"/>, to be saved with the change that earned it (an exam's result).</summary>
    internal async Task<Certification> AddAsync(
        AgentConsoleDbContext db, Actor actor, string holderId, CertificationGrant grant, string reason, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (actor.Kind != ActorKind.System && !actor.Can(Permissions.ManageTraining))
        {
            throw DomainException.Forbidden("certification.role", "Only trainers and passed exams grant certifications.");
        }

        var errors = new Dictionary<string, string[]>();
        if (grant.Key is not { Length: > 0 and <= Certification.MaxKeyLength } || !KeyPattern().IsMatch(grant.Key))
        {
            errors["key"] = [$"A certification key is lower-case letters, digits and dashes, at most {Certification.MaxKeyLength} characters, e.g. pricing-reviewer."];
        }

        if (string.IsNullOrWhiteSpace(grant.DisplayName) || grant.DisplayName.Length > 200)
        {
            errors["displayName"] = ["A display name of at most 200 characters is required."];
        }

        if (grant.Validity <= TimeSpan.Zero || grant.Validity > TimeSpan.FromDays(3660))
        {
            errors["validity"] = ["The validity must be between a moment and ten years."];
        }

        if (grant.Score is < 0 or > 100)
        {
            errors["score"] = ["The score is a percentage between 0 and 100."];
        }

        if (string.IsNullOrWhiteSpace(reason) || reason.Length > 1000)
        {
            errors["reason"] = ["Give a reason of at most 1000 characters."];
        }

        if (errors.Count > 0)
        {
            throw DomainException.Invalid("certification.invalid", string.Join(" ", errors.SelectMany(e => e.Value)), errors);
        }

        var holderName = await HolderNameAsync(db, actor.TenantId, holderId, cancellationToken)
            ?? throw DomainException.NotFound("certification.holder-not-found", "This person does not exist in your organisation.");

        var id = Guid.CreateVersion7(now);
        var certification = Certification.Grant(id, actor.TenantId, holderId, holderName, grant.Key!, grant.DisplayName.Trim(), grant.TrackName, grant.Score,
            actor, now, now + grant.Validity, codes.HashFor(id));
        db.Certifications.Add(certification);
        db.AuditEntries.Add(AuditEntry.Record(actor, "certification.granted", "certification", id.ToString(), reason, null, certification.Snapshot(), now));
        return certification;
    }

    private static async Task<string?> HolderNameAsync(AgentConsoleDbContext db, Guid tenantId, string holderId, CancellationToken cancellationToken)
    {
        if (DemoColleagues.IsColleague(holderId))
        {
            return DemoColleagues.Of(tenantId).FirstOrDefault(c => c.Id == holderId)?.Name;
        }

        return Guid.TryParse(holderId, out var userId)
            ? await db.Users.Where(u => u.Id == userId && u.TenantId == tenantId).Select(u => u.DisplayName).SingleOrDefaultAsync(cancellationToken)
            : null;
    }

    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*$")]
    private static partial Regex KeyPattern();
}
