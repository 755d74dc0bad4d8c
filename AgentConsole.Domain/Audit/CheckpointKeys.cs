using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NSec.Cryptography;

namespace AgentConsole.Domain.Audit;

/// <summary>The checkpoint key is missing or wrong; the message says which setting to correct. Verification stops.</summary>
public sealed class CheckpointKeyException(string message) : Exception(message);

/// <summary>
/// The Ed25519 key that signs audit checkpoints (signed-note signature type 0x01), and its public half that verifies
/// them. Read from <c>Audit:CheckpointKey</c>; a host that only verifies may hold <c>Audit:CheckpointPublicKey</c> alone.
/// Outside Production, with neither set, the key lives in <c>Audit:CheckpointKeyFile</c>, generated once on first use;
/// in Production a missing key is a start-up error.
/// </summary>
public sealed class CheckpointKeys(IOptions<AuditOptions> options, IHostEnvironment environment, ILogger<CheckpointKeys> logger) : IDisposable
{
    private static readonly SignatureAlgorithm Ed25519 = SignatureAlgorithm.Ed25519;

    /// <summary>The signed-note signature type of Ed25519.</summary>
    private const byte SignatureType = 0x01;

    private readonly Lock _gate = new();
    private Loaded? _loaded;
    private bool _mayGenerate = true;

    /// <summary>Whether a value reads as a base64 key of 32 bytes (a private key's seed, or a public key).</summary>
    public static bool IsKey(string value)
    {
        Span<byte> bytes = stackalloc byte[48];
        return Convert.TryFromBase64String(value.Trim(), bytes, out var written) && written == 32;
    }

    /// <summary>
    /// Loads the key, generating the development key file when it is missing (never in Production, nor after
    /// <see cref="NeverGenerate"/>); throws <see cref="CheckpointKeyException"/> naming what to set when there is no key.
    /// </summary>
    public void Load() => _ = Get();

    /// <summary>A verifier must not invent a key: from now on a missing key is reported, never generated.</summary>
    public void NeverGenerate()
    {
        lock (_gate)
        {
            _mayGenerate = false;
        }
    }

    /// <summary>Whether this host can sign checkpoints (it holds the private key).</summary>
    public bool CanSign => Get().Private is not null;

    /// <summary>The public key, 32 bytes.</summary>
    public byte[] PublicKey => Get().PublicBytes;

    /// <summary>The public key in base64, as <c>Audit:CheckpointPublicKey</c> takes it.</summary>
    public string PublicKeyBase64 => Convert.ToBase64String(PublicKey);

    /// <summary>The public key as a PEM SubjectPublicKeyInfo, for <c>openssl pkeyutl -verify</c>.</summary>
    public string PublicKeyPem => Encoding.ASCII.GetString(Get().Public.Export(KeyBlobFormat.PkixPublicKeyText));

    /// <summary>The signed-note key id of this key under a key name: the first four bytes of SHA-256(name ‖ 0x0A ‖ 0x01 ‖ public key).</summary>
    public uint KeyId(string keyName) => KeyId(keyName, PublicKey);

    /// <summary>The signed-note key id of a public key under a key name.</summary>
    public static uint KeyId(string keyName, ReadOnlySpan<byte> publicKey)
    {
        var name = Encoding.UTF8.GetBytes(keyName);
        var input = new byte[name.Length + 2 + publicKey.Length];
        name.CopyTo(input, 0);
        input[name.Length] = 0x0A;
        input[name.Length + 1] = SignatureType;
        publicKey.CopyTo(input.AsSpan(name.Length + 2));
        return BinaryPrimitives.ReadUInt32BigEndian(SHA256.HashData(input));
    }

    /// <summary>The verifier key in the signed-note form <c>name+keyid+base64(0x01 ‖ public key)</c>, as Go's note package and witnesses read it.</summary>
    public string VerifierKey(string keyName) =>
        $"{keyName}+{KeyId(keyName):x8}+{Convert.ToBase64String([SignatureType, .. PublicKey])}";

    /// <summary>Signs a note's text with the private key.</summary>
    public byte[] Sign(ReadOnlySpan<byte> text) =>
        Ed25519.Sign(Get().Private ?? throw new CheckpointKeyException(
            "This host holds only the checkpoint's public key (Audit:CheckpointPublicKey), so it cannot write checkpoints: set Audit:CheckpointKey."), text);

    /// <summary>Whether a signature over a note's text was made by this key.</summary>
    public bool Verify(ReadOnlySpan<byte> text, ReadOnlySpan<byte> signature) =>
        signature.Length == Ed25519.SignatureSize && Ed25519.Verify(Get().Public, text, signature);

    public void Dispose()
    {
        _loaded?.Private?.Dispose();
    }

    private Loaded Get()
    {
        lock (_gate)
        {
            return _loaded ??= Read(_mayGenerate);
        }
    }

    private Loaded Read(bool mayGenerate)
    {
        var o = options.Value;
        if (!string.IsNullOrWhiteSpace(o.CheckpointKey))
        {
            var loaded = FromPrivate(Convert.FromBase64String(o.CheckpointKey.Trim()));
            if (!string.IsNullOrWhiteSpace(o.CheckpointPublicKey) && Convert.ToBase64String(loaded.PublicBytes) != Convert.ToBase64String(Convert.FromBase64String(o.CheckpointPublicKey.Trim())))
            {
                loaded.Private?.Dispose();
                throw new CheckpointKeyException("Audit:CheckpointPublicKey is not the public half of Audit:CheckpointKey: correct one of them, or leave the public key empty.");
            }

            return loaded;
        }

        if (!string.IsNullOrWhiteSpace(o.CheckpointPublicKey))
        {
            var bytes = Convert.FromBase64String(o.CheckpointPublicKey.Trim());
            return new Loaded(null, NSec.Cryptography.PublicKey.Import(Ed25519, bytes, KeyBlobFormat.RawPublicKey), bytes);
        }

        if (environment.IsProduction())
        {
            throw new CheckpointKeyException(
                "Audit:CheckpointKey is not set: Production signs the audit checkpoints with a key from configuration. Set Audit:CheckpointKey "
                + "(environment variable Audit__CheckpointKey) to an Ed25519 private key in base64, e.g. the output of "
                + "`openssl genpkey -algorithm ed25519 -outform DER | tail -c 32 | base64`.");
        }

        var path = Path.GetFullPath(o.CheckpointKeyFile);
        if (File.Exists(path))
        {
            return FromFile(path);
        }

        if (!mayGenerate)
        {
            throw new CheckpointKeyException(
                $"There is no checkpoint key: set Audit:CheckpointKey, or Audit:CheckpointPublicKey to verify only (the development key file {path} does not exist).");
        }

        return Generate(path);
    }

    private Loaded Generate(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var key = Key.Create(Ed25519, new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport });
        var seed = key.Export(KeyBlobFormat.RawPrivateKey);
        try
        {
            using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }

            file.Write(Encoding.ASCII.GetBytes(Convert.ToBase64String(seed) + "\n"));
        }
        catch (IOException) when (File.Exists(path))
        {
            // Another host sharing the folder generated it first.
            return FromFile(path);
        }

        logger.LogWarning(
            "Generated an audit checkpoint key in {Path} (outside Production only). Keep it with the database's backups; in Production set Audit:CheckpointKey.", path);
        return FromPrivate(seed);
    }

    private static Loaded FromFile(string path)
    {
        var text = File.ReadAllText(path).Trim();
        if (!IsKey(text))
        {
            throw new CheckpointKeyException($"The checkpoint key file {path} does not hold an Ed25519 private key in base64: restore it, or set Audit:CheckpointKey.");
        }

        return FromPrivate(Convert.FromBase64String(text));
    }

    private static Loaded FromPrivate(byte[] seed)
    {
        var key = Key.Import(Ed25519, seed, KeyBlobFormat.RawPrivateKey);
        return new Loaded(key, key.PublicKey, key.PublicKey.Export(KeyBlobFormat.RawPublicKey));
    }

    private sealed record Loaded(Key? Private, PublicKey Public, byte[] PublicBytes);
}
