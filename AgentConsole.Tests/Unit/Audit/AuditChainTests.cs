using System.Security.Cryptography;
using AgentConsole.Domain.Audit;
using AgentConsole.Domain.Tenancy;

namespace AgentConsole.Tests.Unit.Audit;

/// <summary>
/// The hashing as the README documents it, pinned by values computed from the written description alone (a few lines
/// of Python over hashlib), so a verifier that never saw this code computes the same hashes.
/// </summary>
public sealed class AuditChainTests
{
    private static readonly AuditEntryContent Approved = new(
        Guid.Parse("0b8f3c1e-5d2a-4c7e-9a61-1f2e3d4c5b6a"), new DateTimeOffset(2026, 12, 1, 10, 20, 30, TimeSpan.Zero).AddTicks(1_234_567),
        ActorKind.User, "u-1", "Olivia Operator", "decision.approved", "decision", "d-1", "Fine — within policy", null, """{"status":"Approved"}""", null);

    [Fact]
    public void Canonical_IsTheDocumentedByteLayout()
    {
        Assert.Equal(
            "010006618fe03619880000002430623866336331652d356432612d346337652d396136312d316632653364346335623661000000045573657200000003752d310000000f4f6c69766961204f70657261746f72000000116465636973696f6e2e617070726f766564000000086465636973696f6e00000003642d310000001646696e6520e280942077697468696e20706f6c696379ffffffff000000157b22737461747573223a22417070726f766564227dffffffff",
            Convert.ToHexStringLower(AuditChain.Canonical(Approved)));
    }

    [Fact]
    public void LeafAndLink_UseRfc6962DomainSeparation_FromTheEmptyChainsHash()
    {
        var leaf = AuditChain.Leaf(Approved);
        var first = AuditChain.Link(AuditChain.Genesis, leaf);

        Assert.Equal(SHA256.HashData([]), AuditChain.Genesis);
        Assert.Equal("9dc5556bd5a0d8fdcc2ce7147a552752bdd3dd6d9fae1804be85d7e5b9f37dcc", Convert.ToHexStringLower(leaf));
        Assert.Equal("4d5d63053c0f7238fb3a795bbaaf8a7cdb48ca50008a507c391c3b593e5596dd", Convert.ToHexStringLower(first));
    }

    [Fact]
    public void EveryField_ChangesTheLeaf_AndNullIsNotEmpty()
    {
        var leaf = AuditChain.Leaf(Approved);
        AuditEntryContent[] changed =
        [
            Approved with { TenantId = Guid.NewGuid() }, Approved with { At = Approved.At.AddMilliseconds(1) }, Approved with { ActorKind = ActorKind.Agent },
            Approved with { ActorId = "u-2" }, Approved with { ActorName = "Omar Operator" }, Approved with { Action = "decision.rejected" },
            Approved with { EntityType = "run" }, Approved with { EntityId = "d-2" }, Approved with { Reason = "Fine" }, Approved with { Reason = null },
            Approved with { BeforeJson = "" }, Approved with { AfterJson = null }, Approved with { TraceId = "abc" },
            // Moving a byte from one field to the next is a change too: fields carry their lengths.
            Approved with { EntityType = "decisiond", EntityId = "-1" },
        ];

        Assert.All(changed, c => Assert.NotEqual(leaf, AuditChain.Leaf(c)));
    }

    [Fact]
    public void Times_AreKeptTo100Microseconds_AsEveryDatabaseStoresThem()
    {
        var at = new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.FromHours(2)).AddTicks(1_234_567);

        var truncated = AuditChain.Truncate(at);

        Assert.Equal(TimeSpan.Zero, truncated.Offset);
        Assert.Equal(at.UtcTicks - 567, truncated.UtcTicks);
        Assert.Equal(AuditChain.Leaf(Approved), AuditChain.Leaf(Approved with { At = AuditChain.Truncate(Approved.At) }));
    }

    [Fact]
    public void Record_StoresTheTimeAsHashed()
    {
        var entry = AuditEntry.Record(Actor.System(Guid.NewGuid()), "run.started", "run", "r-1", null, null, null, Approved.At);

        Assert.Equal(AuditChain.Truncate(Approved.At), entry.At);
        Assert.False(entry.IsSealed);
    }
}
