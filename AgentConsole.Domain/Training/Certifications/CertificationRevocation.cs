using AgentConsole.Domain.Audit;
using AgentConsole.Domain.Persistence;
using AgentConsole.Domain.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace AgentConsole.Domain.Training.Certifications;

/// <summary>A trainer revokes a certification with a reason: from that moment its holder may no longer claim or decide what it gates.</summary>
public sealed class CertificationRevocation(IAgentConsoleDbFactory dbs, TimeProvider clock)
{
    public async Task<CertificationView> RevokeAsync(Guid certificationId, Actor actor, string reason, CancellationToken cancellationToken = default)
    {
        if (!actor.Can(Permissions.ManageTraining))
        {
            throw DomainException.Forbidden("certification.role", "Only trainers revoke certifications.");
        }

        if (string.IsNullOrWhiteSpace(reason) || reason.Trim().Length > 1000)
        {
            const string message = "Give the reason for revoking, at most 1000 characters.";
            throw DomainException.Invalid("certification.reason-required", message, new Dictionary<string, string[]> { ["reason"] = [message] });
        }

        await using var db = dbs.Create();
        var certification = await db.Certifications.SingleOrDefaultAsync(c => c.Id == certificationId && c.TenantId == actor.TenantId, cancellationToken)
            ?? throw DomainException.NotFound("certification.not-found", "This certification does not exist.");
        var now = clock.GetUtcNow();
        var before = certification.Snapshot();
        certification.Revoke(actor, reason.Trim(), now);
        db.AuditEntries.Add(AuditEntry.Record(actor, "certification.revoked", "certification", certification.Id.ToString(), reason.Trim(), before, certification.Snapshot(), now));
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            throw DomainException.Conflict("certification.changed", "This certification was changed meanwhile; reload and try again.");
        }

        return CertificationView.Of(certification, now);
    }
}
