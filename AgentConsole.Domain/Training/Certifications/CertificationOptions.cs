namespace AgentConsole.Domain.Training.Certifications;

/// <summary>The key that makes certificates' verification codes (section <c>Certifications</c>).</summary>
public sealed class CertificationOptions
{
    public const string Section = "Certifications";

    /// <summary>
    /// The HMAC key verification codes are derived with: at least 32 bytes in base64 (default empty). Required in
    /// Production and the same on every node; elsewhere, when empty, the key in <see cref="CodeKeyFile"/> is used
    /// (generated on first start). Whoever has this key can mint codes: keep it out of the database.
    /// </summary>
    public string? CodeKey { get; set; }

    /// <summary>Where the key is kept outside Production when <see cref="CodeKey"/> is empty (default <c>data/certificate-code.key</c>).</summary>
    public string CodeKeyFile { get; set; } = "data/certificate-code.key";
}
