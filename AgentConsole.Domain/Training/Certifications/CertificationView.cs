namespace AgentConsole.Domain.Training.Certifications;

/// <summary>One certification as the console lists it, with its standing at the moment it was read.</summary>
public sealed record CertificationView(
    Guid Id, string HolderId, string HolderName, string Key, string DisplayName, string? TrackName, decimal? Score,
    DateTimeOffset GrantedAt, string GrantedByName, DateTimeOffset ExpiresAt, CertificationStatus Status,
    DateTimeOffset? RevokedAt, string? RevokedByName, string? RevokedReason)
{
    internal static CertificationView Of(Certification c, DateTimeOffset now) =>
        new(c.Id, c.HolderId, c.HolderName, c.Key, c.DisplayName, c.TrackName, c.Score, c.GrantedAt, c.GrantedByName, c.ExpiresAt,
            c.StatusAt(now), c.RevokedAt, c.RevokedByName, c.RevokedReason);

    /// <summary>Valid, and ending within <paramref name="window"/> of <paramref name="now"/>.</summary>
    public bool ExpiresWithin(TimeSpan window, DateTimeOffset now) => Status == CertificationStatus.Valid && ExpiresAt <= now + window;
}

/// <summary>What a certificate prints, with its standing, for whoever checks a verification code.</summary>
public sealed record CertificateCheck(
    string HolderName, string DisplayName, string Key, string? TrackName, decimal? Score, DateTimeOffset GrantedAt, DateTimeOffset ExpiresAt,
    string Organisation, CertificationStatus Status, DateTimeOffset? RevokedAt);
