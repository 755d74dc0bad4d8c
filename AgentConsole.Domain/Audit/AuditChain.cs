using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using AgentConsole.Domain.Tenancy;

namespace AgentConsole.Domain.Audit;

/// <summary>What an audit entry says, as hashed: every stored field but its id, sequence and hashes.</summary>
public readonly record struct AuditEntryContent(
    Guid TenantId, DateTimeOffset At, ActorKind ActorKind, string ActorId, string ActorName, string Action, string EntityType, string EntityId,
    string? Reason, string? BeforeJson, string? AfterJson, string? TraceId);

/// <summary>
/// How audit entries are chained, per tenant (the README's "Audit trail" section says the same for people who verify
/// without this code). Hashes are SHA-256 with RFC 6962's domain separation:
/// <code>
/// leaf(e)   = SHA-256(0x00 ‖ canonical(e))
/// hash(0)   = SHA-256("")                                  the empty chain
/// hash(n)   = SHA-256(0x01 ‖ hash(n−1) ‖ leaf(entry n))    stored as entry n's Hash; its PreviousHash is hash(n−1)
/// canonical = 0x01 (format 1) ‖ i64 At ‖ str TenantId ‖ str ActorKind ‖ str ActorId ‖ str ActorName ‖ str Action
///             ‖ str EntityType ‖ str EntityId ‖ opt Reason ‖ opt BeforeJson ‖ opt AfterJson ‖ opt TraceId
/// </code>
/// Integers are big-endian; At is microseconds since 1970-01-01 UTC, a multiple of 100; <c>str</c> is a u32 byte
/// length and the UTF-8 bytes; <c>opt</c> is <c>str</c>, or 0xFFFFFFFF for null; TenantId is lowercase with hyphens;
/// ActorKind is <c>User</c>, <c>Agent</c> or <c>System</c>. The sequence number is not hashed: an entry's place is
/// carried by the links, which lets verification tell a moved entry from an edited one.
/// </summary>
public static class AuditChain
{
    /// <summary>The first byte of the canonical form: the format's version.</summary>
    public const byte FormatVersion = 1;

    /// <summary>The size of every hash: SHA-256.</summary>
    public const int HashSize = 32;

    private const byte LeafPrefix = 0x00;
    private const byte NodePrefix = 0x01;
    private const uint Null = uint.MaxValue;
    private const long TicksPer100Microseconds = 1000;

    /// <summary>The head of an empty chain, SHA-256 of nothing (RFC 6962's empty tree hash); the first entry's previous hash.</summary>
    public static byte[] Genesis { get; } = SHA256.HashData(ReadOnlySpan<byte>.Empty);

    /// <summary>A time as stored and hashed: UTC, truncated to 100 µs (SQLite keeps no more).</summary>
    public static DateTimeOffset Truncate(DateTimeOffset at) =>
        new(at.UtcTicks - (at.UtcTicks % TicksPer100Microseconds), TimeSpan.Zero);

    /// <summary>The leaf hash of an entry: SHA-256(0x00 ‖ canonical form).</summary>
    public static byte[] Leaf(AuditEntry entry) => Leaf(Content(entry));

    /// <summary>The leaf hash of an entry's content: SHA-256(0x00 ‖ canonical form).</summary>
    public static byte[] Leaf(in AuditEntryContent content)
    {
        var leaf = new byte[HashSize];
        Leaf(content, leaf);
        return leaf;
    }

    /// <summary>Writes the leaf hash of an entry's content into <paramref name="destination"/> (32 bytes).</summary>
    public static void Leaf(in AuditEntryContent content, Span<byte> destination)
    {
        var tenant = content.TenantId.ToString("D");
        var length = 1 + CanonicalLength(content, tenant);
        var rented = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            var buffer = rented.AsSpan(0, length);
            buffer[0] = LeafPrefix;
            WriteCanonical(content, tenant, buffer[1..]);
            SHA256.HashData(buffer, destination);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>The canonical form of an entry (without the leaf prefix), for people and tools that check the hashing.</summary>
    public static byte[] Canonical(in AuditEntryContent content)
    {
        var tenant = content.TenantId.ToString("D");
        var canonical = new byte[CanonicalLength(content, tenant)];
        WriteCanonical(content, tenant, canonical);
        return canonical;
    }

    /// <summary>The chain's hash after an entry: SHA-256(0x01 ‖ previous ‖ leaf).</summary>
    public static byte[] Link(ReadOnlySpan<byte> previous, ReadOnlySpan<byte> leaf)
    {
        var hash = new byte[HashSize];
        Link(previous, leaf, hash);
        return hash;
    }

    /// <summary>Writes the chain's hash after an entry into <paramref name="destination"/> (32 bytes).</summary>
    public static void Link(ReadOnlySpan<byte> previous, ReadOnlySpan<byte> leaf, Span<byte> destination)
    {
        Span<byte> node = stackalloc byte[1 + HashSize + HashSize];
        node[0] = NodePrefix;
        previous.CopyTo(node[1..]);
        leaf.CopyTo(node[(1 + HashSize)..]);
        SHA256.HashData(node, destination);
    }

    /// <summary>The content of an entry as hashed.</summary>
    public static AuditEntryContent Content(AuditEntry e) =>
        new(e.TenantId, e.At, e.ActorKind, e.ActorId, e.ActorName, e.Action, e.EntityType, e.EntityId, e.Reason, e.BeforeJson, e.AfterJson, e.TraceId);

    /// <summary>Microseconds since the Unix epoch, truncated to 100 µs.</summary>
    public static long UnixMicroseconds(DateTimeOffset at) =>
        (at.UtcTicks - (at.UtcTicks % TicksPer100Microseconds) - DateTimeOffset.UnixEpoch.UtcTicks) / 10;

    private static int CanonicalLength(in AuditEntryContent c, string tenant) =>
        1 + 8 + Size(tenant) + Size(KindName(c.ActorKind)) + Size(c.ActorId) + Size(c.ActorName) + Size(c.Action) + Size(c.EntityType) + Size(c.EntityId)
        + Size(c.Reason) + Size(c.BeforeJson) + Size(c.AfterJson) + Size(c.TraceId);

    private static void WriteCanonical(in AuditEntryContent c, string tenant, Span<byte> buffer)
    {
        buffer[0] = FormatVersion;
        BinaryPrimitives.WriteInt64BigEndian(buffer[1..], UnixMicroseconds(c.At));
        var at = 9;
        at += Write(buffer[at..], tenant);
        at += Write(buffer[at..], KindName(c.ActorKind));
        at += Write(buffer[at..], c.ActorId);
        at += Write(buffer[at..], c.ActorName);
        at += Write(buffer[at..], c.Action);
        at += Write(buffer[at..], c.EntityType);
        at += Write(buffer[at..], c.EntityId);
        at += Write(buffer[at..], c.Reason);
        at += Write(buffer[at..], c.BeforeJson);
        at += Write(buffer[at..], c.AfterJson);
        Write(buffer[at..], c.TraceId);
    }

    private static string KindName(ActorKind kind) => kind switch
    {
        ActorKind.User => "User",
        ActorKind.Agent => "Agent",
        ActorKind.System => "System",
        _ => kind.ToString(),
    };

    private static int Size(string? value) => 4 + (value is null ? 0 : Encoding.UTF8.GetByteCount(value));

    private static int Write(Span<byte> buffer, string? value)
    {
        if (value is null)
        {
            BinaryPrimitives.WriteUInt32BigEndian(buffer, Null);
            return 4;
        }

        var written = Encoding.UTF8.GetBytes(value, buffer[4..]);
        BinaryPrimitives.WriteUInt32BigEndian(buffer, (uint)written);
        return 4 + written;
    }
}
