using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace AgentConsole.Domain.Audit;

/// <summary>
/// A tenant's chain head at a moment, in the C2SP tlog-checkpoint shape (a signed note): the origin, the number of
/// entries, the head hash in base64, one extension line with the time, a blank line, and the Ed25519 signature line
/// <c>— origin base64(key id ‖ signature)</c>. The root line holds the chain's head hash, not a Merkle tree root.
/// <code>
/// agentconsole.local/audit/contoso
/// 1234
/// q3w5o3yvL6mJ9pXQ0mD1c6z8vYc0jY2b5J1kL6u1b0E=
/// time 2026-12-01T10:20:00.000Z
///
/// — agentconsole.local/audit/contoso 3q2+7wAbc…
/// </code>
/// </summary>
public sealed record Checkpoint(string Origin, long Size, byte[] Root, DateTimeOffset Time)
{
    private const string TimePrefix = "time ";
    private const string TimeFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";
    private const char EmDash = '\u2014';

    /// <summary>The note text that is signed: every line up to and including the last newline before the blank line.</summary>
    public string Text =>
        $"{Origin}\n{Size.ToString(CultureInfo.InvariantCulture)}\n{Convert.ToBase64String(Root)}\n{TimePrefix}{Time.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture)}\n";

    /// <summary>The signed note, ready to be written; the key name is the origin.</summary>
    public string Sign(CheckpointKeys keys)
    {
        var text = Text;
        var signature = keys.Sign(Encoding.UTF8.GetBytes(text));
        var line = new byte[4 + signature.Length];
        BinaryPrimitives.WriteUInt32BigEndian(line, keys.KeyId(Origin));
        signature.CopyTo(line, 4);
        return $"{text}\n{EmDash} {Origin} {Convert.ToBase64String(line)}\n";
    }

    /// <summary>
    /// Reads a signed checkpoint of <paramref name="expectedOrigin"/> and checks its signature with <paramref name="keys"/>.
    /// Signatures of other keys are ignored, as the signed-note specification requires; a checkpoint none of whose
    /// signatures is by this key says so in <see cref="CheckpointState.SignedByOtherKey"/>.
    /// </summary>
    public static CheckpointReading Read(string note, string expectedOrigin, CheckpointKeys keys)
    {
        var split = note.LastIndexOf("\n\n", StringComparison.Ordinal);
        if (split < 0 || note.Any(c => c < ' ' && c != '\n'))
        {
            return CheckpointReading.Unreadable("it is not a signed note (text, a blank line, signature lines)");
        }

        var text = note[..(split + 1)];
        var lines = text.TrimEnd('\n').Split('\n');
        if (lines.Length < 3 || lines.Any(l => l.Length == 0))
        {
            return CheckpointReading.Unreadable("its text does not have the origin, size and root lines");
        }

        if (lines[0] != expectedOrigin)
        {
            return CheckpointReading.Unreadable($"its origin is '{lines[0]}', not '{expectedOrigin}'");
        }

        if (!long.TryParse(lines[1], NumberStyles.None, CultureInfo.InvariantCulture, out var size) || (lines[1].Length > 1 && lines[1][0] == '0'))
        {
            return CheckpointReading.Unreadable($"its size line '{lines[1]}' is not a number");
        }

        var root = new byte[AuditChain.HashSize];
        if (!Convert.TryFromBase64String(lines[2], root, out var rootLength) || rootLength != AuditChain.HashSize)
        {
            return CheckpointReading.Unreadable("its root line is not a base64 SHA-256 hash");
        }

        var time = DateTimeOffset.MinValue;
        if (lines.Skip(3).FirstOrDefault(l => l.StartsWith(TimePrefix, StringComparison.Ordinal)) is { } timeLine
            && DateTimeOffset.TryParseExact(timeLine[TimePrefix.Length..], TimeFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
        {
            time = parsed;
        }

        var checkpoint = new Checkpoint(lines[0], size, root, time);
        var ourId = keys.KeyId(expectedOrigin);
        var body = Encoding.UTF8.GetBytes(text);
        var otherKeys = new List<uint>();
        foreach (var line in note[(split + 2)..].Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = line.Split(' ');
            if (parts.Length != 3 || parts[0] != EmDash.ToString() || !TryDecode(parts[2], out var keyId, out var signature))
            {
                return CheckpointReading.Unreadable("a signature line is malformed");
            }

            if (parts[1] != expectedOrigin || keyId != ourId)
            {
                otherKeys.Add(keyId);
                continue;
            }

            return keys.Verify(body, signature)
                ? CheckpointReading.Valid(checkpoint)
                : CheckpointReading.Forged(checkpoint, "its signature does not match its text: the text was changed after it was signed, or the signature was replaced");
        }

        return otherKeys.Count > 0
            ? new CheckpointReading(checkpoint, CheckpointState.SignedByOtherKey, $"it is signed only by other keys ({string.Join(", ", otherKeys.Select(k => k.ToString("x8", CultureInfo.InvariantCulture)))}), not by this key ({ourId:x8})")
            : CheckpointReading.Unreadable("it has no signature");
    }

    private static bool TryDecode(string base64, out uint keyId, out byte[] signature)
    {
        keyId = 0;
        signature = [];
        var bytes = new byte[base64.Length];
        if (!Convert.TryFromBase64String(base64, bytes, out var written) || written < 5)
        {
            return false;
        }

        keyId = BinaryPrimitives.ReadUInt32BigEndian(bytes);
        signature = bytes[4..written];
        return true;
    }
}

/// <summary>What reading a checkpoint found.</summary>
public enum CheckpointState
{
    /// <summary>Signed by this key, and the signature matches its text.</summary>
    Valid,

    /// <summary>Unreadable, or signed by this key with a signature that does not match its text.</summary>
    Forged,

    /// <summary>Readable, but no signature is by this key (the configured key is not the one that signs).</summary>
    SignedByOtherKey,
}

/// <summary>A checkpoint as read: its content when readable, its state, and why when it is not valid.</summary>
public sealed record CheckpointReading(Checkpoint? Checkpoint, CheckpointState State, string? Problem)
{
    public static CheckpointReading Valid(Checkpoint checkpoint) => new(checkpoint, CheckpointState.Valid, null);

    public static CheckpointReading Forged(Checkpoint? checkpoint, string problem) => new(checkpoint, CheckpointState.Forged, problem);

    public static CheckpointReading Unreadable(string problem) => Forged(null, problem);
}
