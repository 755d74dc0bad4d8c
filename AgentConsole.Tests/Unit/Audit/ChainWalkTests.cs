using System.Security.Cryptography;
using AgentConsole.Domain.Audit;

namespace AgentConsole.Tests.Unit.Audit;

/// <summary>
/// How the walk judges a chain, tampered with in each way a person with write access to the database could: it names
/// the kind and exactly the entries concerned, and nothing else.
/// </summary>
public sealed class ChainWalkTests
{
    private const int Length = 12;

    [Fact]
    public void AnUntouchedChain_HasNoFinding()
    {
        Assert.Empty(Walk(Chain()));
    }

    [Fact]
    public void AnEntryWhoseContentChanged_IsEdited_AndNothingElse()
    {
        var chain = Chain();
        chain[4] = chain[4] with { ContentMatches = false };

        Assert.Equal(["Edited #5 id 105"], Walk(chain));
    }

    [Fact]
    public void AnEntryChangedAndRehashed_IsEdited_BecauseTheNextNoLongerLinksToIt()
    {
        var chain = Chain();
        chain[4] = chain[4] with { Hash = AuditChain.Link(chain[4].PreviousHash, RandomLeaf()) };

        Assert.Equal(["Edited #5 id 105"], Walk(chain));
    }

    [Fact]
    public void AMissingMiddleEntry_IsDeleted_AtItsSequence()
    {
        var chain = Chain();
        chain.RemoveAt(6);

        Assert.Equal(["Deleted #7 id -"], Walk(chain));
    }

    [Fact]
    public void TheMissingFirstEntries_AreDeleted()
    {
        var chain = Chain();
        chain.RemoveRange(0, 2);

        Assert.Equal(["Deleted #1 id -"], Walk(chain));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void AnEntrySlippedIn_WithTheRestRenumbered_IsInserted(bool linkedToTheEntryBefore)
    {
        var chain = Chain();
        var before = chain[4];
        var forged = Forge(6, 900, linkedToTheEntryBefore ? before.Hash : RandomLeaf());
        chain = [.. chain.Take(5), forged, .. chain.Skip(5).Select(r => r with { Sequence = r.Sequence + 1 })];

        Assert.Equal(["Inserted #6 id 900"], Walk(chain, headSequence: Length + 1, headHash: chain[^1].Hash));
    }

    [Fact]
    public void AnEntryWithATakenSequenceNumber_IsInserted()
    {
        var chain = Chain();
        chain.Insert(5, Forge(5, 900, chain[3].Hash));

        Assert.Equal(["Inserted #5 id 900"], Walk(chain));
    }

    [Fact]
    public void AnEntryAppendedBeyondTheHead_NotLinkedToTheLast_IsInserted()
    {
        var chain = Chain();
        chain.Add(Forge(Length + 1, 900, RandomLeaf()));

        Assert.Equal(["Inserted #13 id 900"], Walk(chain));
    }

    [Theory]
    [InlineData(4, 5)]
    [InlineData(3, 5)]
    [InlineData(2, 8)]
    [InlineData(0, Length - 1)]
    [InlineData(Length - 2, Length - 1)]
    public void TwoEntriesThatSwappedSequenceNumbers_AreReordered_BothAndOnlyThem(int first, int second)
    {
        var chain = Chain();
        (var a, var b) = (chain[first], chain[second]);
        chain[first] = b with { Sequence = a.Sequence };
        chain[second] = a with { Sequence = b.Sequence };

        Assert.Equal([$"Reordered #{a.Sequence} id {b.Id}", $"Reordered #{b.Sequence} id {a.Id}"], Walk(chain));
    }

    [Fact]
    public void ATailCutOff_IsTruncated_AgainstTheHead()
    {
        var chain = Chain();
        var head = chain[^1];
        chain.RemoveRange(8, 4);

        var finding = Assert.Single(Findings(chain, headSequence: head.Sequence, headHash: head.Hash));

        Assert.Equal((AuditFindingKind.Truncated, 9L, (long?)null), (finding.Kind, finding.Sequence, finding.EntryId));
        Assert.Equal("the chain ends at #8, but its head in the database records 12 entries: entries #9–#12 are gone", finding.Detail);
    }

    [Fact]
    public void ATailCutOff_WithTheHeadWoundBack_IsTruncated_AgainstTheCheckpoint()
    {
        var chain = Chain();
        var checkpoint = new Checkpoint("o", Length, chain[^1].Hash, DateTimeOffset.UnixEpoch);
        chain.RemoveRange(8, 4);

        var finding = Assert.Single(Findings(chain, headSequence: 8, headHash: chain[^1].Hash, checkpoints: [checkpoint]));

        Assert.Equal((AuditFindingKind.Truncated, 9L, (long?)null), (finding.Kind, finding.Sequence, finding.EntryId));
        Assert.Equal("the chain ends at #8, but the checkpoint signed 1970-01-01 00:00:00 UTC records 12: entries #9–#12 are gone", finding.Detail);
    }

    [Fact]
    public void AChainRewrittenAndRehashed_PassesEveryLink_ButNotItsCheckpoints()
    {
        var chain = Chain();
        var checkpoints = new[] { new Checkpoint("o", 3, chain[2].Hash, DateTimeOffset.UnixEpoch), new Checkpoint("o", 9, chain[8].Hash, DateTimeOffset.UnixEpoch) };
        var previous = chain[4].PreviousHash;
        for (var i = 4; i < chain.Count; i++)
        {
            chain[i] = chain[i] with { PreviousHash = previous, Hash = AuditChain.Link(previous, RandomLeaf()) };
            previous = chain[i].Hash;
        }

        Assert.Equal(["ForgedCheckpoint #9 id 109"], Walk(chain, headHash: chain[^1].Hash, checkpoints: checkpoints));
    }

    /// <summary>The findings as "Kind #sequence id", e.g. "Edited #5 id 105" ("Deleted #7 id -" for an entry that is gone).</summary>
    private static List<string> Walk(List<Row> chain, long headSequence = Length, byte[]? headHash = null, IEnumerable<Checkpoint>? checkpoints = null) =>
        [.. Findings(chain, headSequence, headHash, checkpoints).Select(f => $"{f.Kind} #{f.Sequence} id {f.EntryId?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-"}")];

    private static IReadOnlyList<AuditFinding> Findings(List<Row> chain, long headSequence = Length, byte[]? headHash = null, IEnumerable<Checkpoint>? checkpoints = null)
    {
        var walk = new ChainWalk(checkpoints ?? [], headSequence, headHash ?? Chain()[^1].Hash);
        foreach (var row in chain.OrderBy(r => r.Sequence).ThenBy(r => r.Id))
        {
            walk.Add(row.Sequence, row.Id, row.PreviousHash, row.Hash, row.ContentMatches);
        }

        walk.Complete();
        return walk.Findings;
    }

    /// <summary>The same chain every time: entries #1–#12 with ids 101–112, each leaf the hash of its sequence number.</summary>
    private static List<Row> Chain()
    {
        var rows = new List<Row>();
        var previous = AuditChain.Genesis;
        for (var sequence = 1L; sequence <= Length; sequence++)
        {
            var hash = AuditChain.Link(previous, SHA256.HashData(BitConverter.GetBytes(sequence)));
            rows.Add(new Row(sequence, 100 + sequence, previous, hash, true));
            previous = hash;
        }

        return rows;
    }

    private static Row Forge(long sequence, long id, byte[] previous) => new(sequence, id, previous, AuditChain.Link(previous, RandomLeaf()), true);

    private static byte[] RandomLeaf() => RandomNumberGenerator.GetBytes(AuditChain.HashSize);

    private sealed record Row(long Sequence, long Id, byte[] PreviousHash, byte[] Hash, bool ContentMatches);
}
