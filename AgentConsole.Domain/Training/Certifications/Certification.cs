using AgentConsole.Domain.Tenancy;

namespace AgentConsole.Domain.Training.Certifications;

/// <summary>Whether a certification gives authority at a moment.</summary>
public enum CertificationStatus
{
    Valid,
    Expired,
    Revoked,
}

/// <summary>
/// A person's certification in one tenant: the key policies name in a review requirement (e.g. <c>pricing-reviewer</c>),
/// granted at a time, valid until it expires or a trainer revokes it. The verification code printed on the certificate is
/// never stored: only its SHA-256 hash, to find the certificate by a code someone presents (see <see cref="CertificateCodes"/>).
/// </summary>
public sealed class Certification : ITenantOwned
{
    public const int MaxKeyLength = 64;

    private Certification()
    {
    }

    public Guid Id { get; private set; }

    public Guid TenantId { get; private set; }

    /// <summary>The holder's actor id (a user's id, or a demo colleague's).</summary>
    public string HolderId { get; private set; } = "";

    public string HolderName { get; private set; } = "";

    /// <summary>The certification's key as policies name it.</summary>
    public string Key { get; private set; } = "";

    public string DisplayName { get; private set; } = "";

    /// <summary>The track it was earned on, when an exam granted it.</summary>
    public string? TrackName { get; private set; }

    /// <summary>The exam score, 0–100, when an exam granted it.</summary>
    public decimal? Score { get; private set; }

    public DateTimeOffset GrantedAt { get; private set; }

    public string GrantedByName { get; private set; } = "";

    public DateTimeOffset ExpiresAt { get; private set; }

    public DateTimeOffset? RevokedAt { get; private set; }

    public string? RevokedByName { get; private set; }

    public string? RevokedReason { get; private set; }

    /// <summary>Hex SHA-256 of the verification code.</summary>
    public string CodeHash { get; private set; } = "";

    internal static Certification Grant(
        Guid id, Guid tenantId, string holderId, string holderName, string key, string displayName, string? trackName, decimal? score,
        Actor grantedBy, DateTimeOffset now, DateTimeOffset expiresAt, string codeHash) =>
        new()
        {
            Id = id,
            TenantId = tenantId,
            HolderId = holderId,
            HolderName = holderName,
            Key = key,
            DisplayName = displayName,
            TrackName = trackName,
            Score = score,
            GrantedAt = now,
            GrantedByName = grantedBy.Name,
            ExpiresAt = expiresAt,
            CodeHash = codeHash,
        };

    public CertificationStatus StatusAt(DateTimeOffset now) =>
        RevokedAt is not null ? CertificationStatus.Revoked : ExpiresAt <= now ? CertificationStatus.Expired : CertificationStatus.Valid;

    /// <summary>Withdraws the authority at once; a revoked certification stays revoked.</summary>
    public void Revoke(Actor actor, string reason, DateTimeOffset now)
    {
        if (RevokedAt is not null)
        {
            throw DomainException.Conflict("certification.already-revoked", $"{HolderName}'s {DisplayName} certification was already revoked on {RevokedAt:yyyy-MM-dd} by {RevokedByName}.");
        }

        RevokedAt = now;
        RevokedByName = actor.Name;
        RevokedReason = reason;
    }

    /// <summary>Why this certification does not give authority now, in words a reviewer reads; null when it does.</summary>
    public string? WhyNotValid(DateTimeOffset now) => StatusAt(now) switch
    {
        CertificationStatus.Revoked => $"revoked on {RevokedAt:yyyy-MM-dd} by {RevokedByName}: {RevokedReason}",
        CertificationStatus.Expired => $"expired on {ExpiresAt:yyyy-MM-dd HH:mm} UTC",
        _ => null,
    };

    internal object Snapshot() => new
    {
        holderId = HolderId,
        holder = HolderName,
        key = Key,
        displayName = DisplayName,
        track = TrackName,
        score = Score,
        grantedAt = GrantedAt,
        expiresAt = ExpiresAt,
        revokedAt = RevokedAt,
        revokedBy = RevokedByName,
        revokedReason = RevokedReason,
    };
}
