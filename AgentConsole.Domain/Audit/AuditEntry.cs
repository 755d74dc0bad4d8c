using System.Text.Json;
using AgentConsole.Domain.Tenancy;

namespace AgentConsole.Domain.Audit;

/// <summary>
/// One recorded state change: who did what to which entity, why, and the state before and after. Entries are
/// append-only and hash-chained per tenant: when the change is saved, the entry gets the tenant's next
/// <see cref="Sequence"/> and a <see cref="Hash"/> that commits to its content and to the entry before it
/// (see <see cref="AuditChain"/>). Nothing in the product changes or deletes an entry once it is saved.
/// </summary>
public sealed class AuditEntry : ITenantOwned
{
    private static readonly JsonSerializerOptions SnapshotJson = new() { WriteIndented = false };

    private static long _recorded;

    private AuditEntry()
    {
    }

    public long Id { get; private set; }

    public Guid TenantId { get; private set; }

    /// <summary>The entry's place in its tenant's chain: 1, 2, 3 … without gaps, assigned in the transaction that saves it.</summary>
    public long Sequence { get; private set; }

    /// <summary>When it happened, in UTC, to the 100 µs every supported database keeps.</summary>
    public DateTimeOffset At { get; private set; }

    public ActorKind ActorKind { get; private set; }

    public string ActorId { get; private set; } = "";

    public string ActorName { get; private set; } = "";

    /// <summary>What happened, e.g. <c>decision.approved</c>.</summary>
    public string Action { get; private set; } = "";

    public string EntityType { get; private set; } = "";

    public string EntityId { get; private set; } = "";

    public string? Reason { get; private set; }

    public string? BeforeJson { get; private set; }

    public string? AfterJson { get; private set; }

    /// <summary>The trace the change happened in.</summary>
    public string? TraceId { get; private set; }

    /// <summary>The <see cref="Hash"/> of the entry before it in the chain (for the first entry, <see cref="AuditChain.Genesis"/>).</summary>
    public byte[] PreviousHash { get; private set; } = [];

    /// <summary>SHA-256(0x01 ‖ <see cref="PreviousHash"/> ‖ leaf hash of the entry's content): the chain's head once this entry is the last.</summary>
    public byte[] Hash { get; private set; } = [];

    /// <summary>The order entries were recorded in this process, so one save seals several entries in the order they happened.</summary>
    internal long RecordedOrder { get; private init; }

    /// <summary>Whether the entry has its place in the chain (entries written before the chain existed wait for the start-up step).</summary>
    public bool IsSealed => Hash.Length > 0;

    public static AuditEntry Record(Actor actor, string action, string entityType, string entityId, string? reason, object? before, object? after, DateTimeOffset at) =>
        new()
        {
            TenantId = actor.TenantId,
            At = AuditChain.Truncate(at),
            ActorKind = actor.Kind,
            ActorId = actor.Id,
            ActorName = actor.Name,
            Action = action,
            EntityType = entityType,
            EntityId = entityId,
            Reason = reason?.Trim(),
            BeforeJson = before is null ? null : JsonSerializer.Serialize(before, SnapshotJson),
            AfterJson = after is null ? null : JsonSerializer.Serialize(after, SnapshotJson),
            TraceId = System.Diagnostics.Activity.Current?.TraceId.ToString(),
            RecordedOrder = Interlocked.Increment(ref _recorded),
        };

    /// <summary>Gives the entry its place after <paramref name="previousHash"/>; only the data layer calls this, while saving.</summary>
    internal void Seal(long sequence, byte[] previousHash)
    {
        Sequence = sequence;
        PreviousHash = previousHash;
        Hash = AuditChain.Link(previousHash, AuditChain.Leaf(this));
    }

    /// <summary>Hashes an entry written before the chain existed, after <paramref name="previousHash"/>, keeping its sequence.</summary>
    internal void SealExisting(byte[] previousHash)
    {
        if (IsSealed)
        {
            throw new InvalidOperationException($"Audit entry {Id} is already sealed; a sealed entry never changes.");
        }

        PreviousHash = previousHash;
        Hash = AuditChain.Link(previousHash, AuditChain.Leaf(this));
    }
}
