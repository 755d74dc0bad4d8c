namespace AgentConsole.Tests.Infrastructure;

/// <summary>Fixed keys for hosts that need one from configuration (Production), never used outside tests.</summary>
public static class TestKeys
{
    /// <summary>An Ed25519 private key (its 32-byte seed in base64) for <c>Audit:CheckpointKey</c>.</summary>
    public static string CheckpointKey { get; } = Convert.ToBase64String([.. Enumerable.Range(1, 32).Select(i => (byte)i)]);

    /// <summary>Another one, for a key that is not the one that signed.</summary>
    public static string OtherCheckpointKey { get; } = Convert.ToBase64String([.. Enumerable.Range(101, 32).Select(i => (byte)i)]);

    /// <summary>32 bytes in base64 for <c>Certifications:CodeKey</c>.</summary>
    public static string CertificateCodeKey { get; } = Convert.ToBase64String([.. Enumerable.Range(51, 32).Select(i => (byte)i)]);
}
