using AgentConsole.Domain.Persistence;
using Microsoft.EntityFrameworkCore;

namespace AgentConsole.Domain.Training.Certifications;

/// <summary>
/// Checks a certificate's verification code for anyone, signed in or not: answers only what the certificate itself
/// prints, with whether it is valid, expired or revoked now. A code that was never issued is refused.
/// </summary>
public sealed class CertificateVerification(IAgentConsoleDbFactory dbs, TimeProvider clock)
{
    public async Task<CertificateCheck> VerifyAsync(string? code, CancellationToken cancellationToken = default)
    {
        var hash = CertificateCodes.HashOf(code)
            ?? throw DomainException.Invalid("certificate.code-malformed", "This is not a verification code: it has 26 letters A–Z and digits 2–7, e.g. ABCD-EFGH-IJKL-MNOP-QRST-UVWXYZ.",
                new Dictionary<string, string[]> { ["code"] = ["26 letters A–Z and digits 2–7, dashes optional."] });

        // The code is not tied to the reader's tenant: whoever holds the certificate may show it to anyone.
        await using var db = dbs.Create();
        var c = await db.Certifications.IgnoreQueryFilters().AsNoTracking().SingleOrDefaultAsync(c => c.CodeHash == hash, cancellationToken)
            ?? throw DomainException.NotFound("certificate.unknown", "No certificate has this verification code: it was not issued by this console, or it was mistyped.");
        var organisation = await db.Tenants.IgnoreQueryFilters().Where(t => t.Id == c.TenantId).Select(t => t.Name).SingleAsync(cancellationToken);
        return new CertificateCheck(c.HolderName, c.DisplayName, c.Key, c.TrackName, c.Score, c.GrantedAt, c.ExpiresAt, organisation, c.StatusAt(clock.GetUtcNow()), c.RevokedAt);
    }
}
