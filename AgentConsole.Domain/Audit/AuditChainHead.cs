using AgentConsole.Domain.Tenancy;

namespace AgentConsole.Domain.Audit;

/// <summary>
/// The end of one tenant's audit chain: how many entries it holds and the last one's hash. Every transaction that
/// appends entries locks this row first and moves it on in the same transaction, so concurrent writers of a tenant
/// take their turns and the chain has neither gaps nor forks.
/// </summary>
public sealed class AuditChainHead : ITenantOwned
{
    private AuditChainHead()
    {
    }

    internal AuditChainHead(Guid tenantId)
    {
        TenantId = tenantId;
        Hash = AuditChain.Genesis;
    }

    /// <summary>The hash of a head whose entries wait for the start-up step; queries compare with it (a blob comparison in SQL).</summary>
    internal static readonly byte[] Unsealed = [];

    public Guid TenantId { get; private set; }

    /// <summary>The sequence number of the last entry: the number of entries in the chain.</summary>
    public long Sequence { get; private set; }

    /// <summary>The last entry's hash (<see cref="AuditChain.Genesis"/> for an empty chain; empty while older entries wait to be sealed).</summary>
    public byte[] Hash { get; private set; } = [];

    /// <summary>Counts the transactions that moved the head; also what a writer updates to take the row's lock.</summary>
    public long Version { get; private set; }

    /// <summary>Whether entries written before the chain existed still wait for the start-up step to seal them.</summary>
    public bool AwaitsBackfill => Hash.Length == 0;

    internal void MovedTo(long sequence, byte[] hash)
    {
        Sequence = sequence;
        Hash = hash;
    }
}
