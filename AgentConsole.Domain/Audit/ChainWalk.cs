namespace AgentConsole.Domain.Audit;

/// <summary>
/// Walks one tenant's chain in sequence order and says precisely what is wrong with it, holding only a window of four
/// entries (the one judged, the two before it and the one after), so a chain of any length is checked in constant
/// memory. Each entry brings its sequence number, id, stored previous hash and hash, and whether its content still
/// hashes to its stored hash. An entry whose link to the one before it is broken is judged by its neighbours:
/// <list type="bullet">
/// <item>a gap in the sequence numbers: the missing entries were <b>deleted</b>;</item>
/// <item>the same sequence number twice, or the next entry linking past it: it was <b>inserted</b>;</item>
/// <item>it and the next entry each link to the other's place, or neither neighbour links to it: it was <b>reordered</b>;</item>
/// <item>only that one link broken: the entry before it was changed and <b>re-hashed</b> (an edit).</item>
/// </list>
/// An entry whose content no longer matches its own hash was <b>edited</b>. Signed checkpoints are held against the
/// chain at their size, and the chain's end against its head and the largest checkpoint (<b>truncated</b>).
/// </summary>
internal sealed class ChainWalk
{
    private readonly List<AuditFinding> _findings = [];
    private readonly Dictionary<long, List<Checkpoint>> _checkpoints;
    private readonly long _headSequence;
    private readonly byte[] _headHash;
    private Node? _a;
    private Node? _b;
    private Node? _c;

    /// <param name="checkpoints">Checkpoints with a valid signature.</param>
    /// <param name="headSequence">The chain's head as read before the walk: its entry count …</param>
    /// <param name="headHash">… and its last entry's hash.</param>
    public ChainWalk(IEnumerable<Checkpoint> checkpoints, long headSequence, byte[] headHash)
    {
        _checkpoints = checkpoints.GroupBy(c => c.Size).ToDictionary(g => g.Key, g => g.ToList());
        _headSequence = headSequence;
        _headHash = headHash;
        foreach (var empty in _checkpoints.GetValueOrDefault(0) ?? [])
        {
            if (!Same(empty.Root, AuditChain.Genesis))
            {
                Report(new AuditFinding(AuditFindingKind.ForgedCheckpoint, null, null,
                    $"the checkpoint signed {Time(empty)} says the chain was empty, but its root is not the empty chain's hash"));
            }
        }
    }

    public long EntriesChecked { get; private set; }

    public long FirstSequence { get; private set; }

    public long LastSequence { get; private set; }

    /// <summary>How many findings in all (only the first <see cref="AuditVerification.MaxStoredFindings"/> are kept).</summary>
    public int FindingCount { get; private set; }

    /// <summary>How many entries were found inserted.</summary>
    public int InsertedCount { get; private set; }

    public IReadOnlyList<AuditFinding> Findings => _findings;

    public void Report(AuditFinding finding)
    {
        FindingCount++;
        if (finding.Kind == AuditFindingKind.Inserted)
        {
            InsertedCount++;
        }

        if (_findings.Count < AuditVerification.MaxStoredFindings)
        {
            _findings.Add(finding);
        }
    }

    /// <summary>The next entry, in sequence order (then id).</summary>
    public void Add(long sequence, long id, byte[] previousHash, byte[] hash, bool contentMatches)
    {
        var node = new Node(sequence, id, previousHash, hash, contentMatches);
        if (EntriesChecked++ == 0)
        {
            FirstSequence = sequence;
        }

        LastSequence = sequence;
        if (_c is not null)
        {
            Judge(_a, _b, _c, node);
        }

        (_a, _b, _c) = (_b, _c, node);
    }

    /// <summary>Judges the last entry and the chain's end.</summary>
    public void Complete()
    {
        if (_c is not null)
        {
            Judge(_a, _b, _c, null);
            HoldAgainstCheckpoints(_c);
        }

        var claims = new List<string>();
        var end = LastSequence;
        if (_headSequence > LastSequence)
        {
            claims.Add($"its head in the database records {_headSequence:#,0} entries");
            end = _headSequence;
        }

        if (_checkpoints.Keys.Where(size => size > LastSequence).DefaultIfEmpty().Max() is var largest && largest > LastSequence)
        {
            claims.Add($"the checkpoint signed {Time(_checkpoints[largest][0])} records {largest:#,0}");
            end = Math.Max(end, largest);
        }

        if (claims.Count > 0)
        {
            var gone = end == LastSequence + 1 ? $"entry #{end:#,0} is gone" : $"entries #{LastSequence + 1:#,0}–#{end:#,0} are gone";
            Report(new AuditFinding(AuditFindingKind.Truncated, LastSequence + 1, null,
                $"the chain ends at #{LastSequence:#,0}, but {string.Join(" and ", claims)}: {gone}"));
        }
    }

    /// <summary>
    /// Judges <paramref name="c"/>'s place on the chain, then holds <paramref name="b"/> against the checkpoints: only
    /// once the entry after it was judged is it known whether <paramref name="b"/> itself is out of place (an inserted
    /// or moved entry explains a checkpoint that does not match at its place).
    /// </summary>
    private void Judge(Node? a, Node? b, Node c, Node? d)
    {
        JudgePlace(a, b, c, d);
        if (b is not null)
        {
            HoldAgainstCheckpoints(b);
        }
    }

    private void JudgePlace(Node? a, Node? b, Node c, Node? d)
    {
        var gap = false;
        if (b is null && c.Sequence > 1)
        {
            Deleted(1, c.Sequence - 1, $"the chain starts at #{c.Sequence:#,0} (id {c.Id})");
            gap = true;
        }
        else if (b is null && c.Sequence < 1)
        {
            Flag(c, AuditFindingKind.Inserted, $"its sequence number {c.Sequence} is no place on the chain, which starts at #1");
        }
        else if (b is not null && c.Sequence == b.Sequence)
        {
            Flag(c, AuditFindingKind.Inserted, $"it has the same sequence number as entry id {b.Id}, and only one entry was ever chained there");
        }
        else if (b is not null && c.Sequence > b.Sequence + 1)
        {
            Deleted(b.Sequence + 1, c.Sequence - 1, $"the chain goes from #{b.Sequence:#,0} (id {b.Id}) to #{c.Sequence:#,0} (id {c.Id})");
            gap = true;
        }

        if (!c.ContentMatches)
        {
            Edited(c, "its content no longer matches its hash: a field (reason, snapshot, actor, action, entity, time …) was changed after it was written");
        }

        var before = b?.Hash ?? AuditChain.Genesis;
        if (gap || c.Flagged || b is { Flagged: true } || Same(c.PreviousHash, before))
        {
            return;
        }

        // The link from the entry before to this one is broken: find out which entry is out of place.
        if (d is not null && Same(c.PreviousHash, d.Hash) && Same(d.PreviousHash, before))
        {
            Flag(c, AuditFindingKind.Reordered, $"it was chained after the entry that now follows it (#{d.Sequence:#,0}, id {d.Id}): the two swapped places");
            Flag(d, AuditFindingKind.Reordered, $"it was chained before the entry that now precedes it (#{c.Sequence:#,0}, id {c.Id}): the two swapped places");
            return;
        }

        if (d is not null && Same(d.PreviousHash, before))
        {
            Flag(c, AuditFindingKind.Inserted, $"the entry after it (#{d.Sequence:#,0}, id {d.Id}) links to the one before it, so it was never on the chain");
            return;
        }

        if (b is not null && Same(c.PreviousHash, a?.Hash ?? AuditChain.Genesis))
        {
            Flag(b, AuditFindingKind.Inserted, $"the entry after it (#{c.Sequence:#,0}, id {c.Id}) links to the one before it, so it was never on the chain");
            return;
        }

        if (d is null && c.Sequence > _headSequence)
        {
            Flag(c, AuditFindingKind.Inserted, $"it lies beyond the chain's head (#{_headSequence:#,0}) and does not link to the entry before it");
            return;
        }

        var linkAfterBroken = d is not null ? !Same(d.PreviousHash, c.Hash) : c.Sequence == _headSequence && !Same(c.Hash, _headHash);
        if (linkAfterBroken)
        {
            Flag(c, AuditFindingKind.Reordered, "neither the entry before it nor the one after it is its neighbour on the chain: it was moved here from another place");
            return;
        }

        if (b is null)
        {
            Edited(c, "it no longer links to the start of the chain: its link was rewritten");
        }
        else
        {
            Edited(b, $"the entry after it (#{c.Sequence:#,0}, id {c.Id}) no longer links to it: it was changed and its hash recomputed, or entries between the two were removed and the rest renumbered");
        }
    }

    private void HoldAgainstCheckpoints(Node c)
    {
        if (c.Flagged || !_checkpoints.TryGetValue(c.Sequence, out var checkpoints))
        {
            return;
        }

        foreach (var checkpoint in checkpoints.Where(k => !Same(k.Root, c.Hash)))
        {
            Report(new AuditFinding(AuditFindingKind.ForgedCheckpoint, c.Sequence, c.Id,
                $"the checkpoint signed {Time(checkpoint)} records the chain's hash at #{c.Sequence:#,0} as {Short(checkpoint.Root)}, but the chain has {Short(c.Hash)} there: "
                + $"the entries up to #{c.Sequence:#,0} were rewritten and re-hashed after it was signed, or someone holding the key signed a false checkpoint"));
        }

        _checkpoints.Remove(c.Sequence);
    }

    private void Deleted(long from, long to, string context) =>
        Report(new AuditFinding(AuditFindingKind.Deleted, from, null,
            from == to ? $"entry #{from:#,0} is missing: {context}" : $"entries #{from:#,0}–#{to:#,0} ({to - from + 1:#,0}) are missing: {context}"));

    private void Edited(Node node, string detail)
    {
        if (!node.EditReported)
        {
            node.EditReported = true;
            Report(new AuditFinding(AuditFindingKind.Edited, node.Sequence, node.Id, detail));
        }
    }

    private void Flag(Node node, AuditFindingKind kind, string detail)
    {
        node.Flagged = true;
        Report(new AuditFinding(kind, node.Sequence, node.Id, detail));
    }

    private static string Time(Checkpoint checkpoint) =>
        checkpoint.Time == DateTimeOffset.MinValue ? "(no time)" : checkpoint.Time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", System.Globalization.CultureInfo.InvariantCulture);

    private static string Short(byte[] hash) => Convert.ToHexStringLower(hash)[..12] + "…";

    private static bool Same(byte[] x, byte[] y) => x.AsSpan().SequenceEqual(y);

    private sealed class Node(long sequence, long id, byte[] previousHash, byte[] hash, bool contentMatches)
    {
        public long Sequence { get; } = sequence;

        public long Id { get; } = id;

        public byte[] PreviousHash { get; } = previousHash;

        public byte[] Hash { get; } = hash;

        public bool ContentMatches { get; } = contentMatches;

        /// <summary>Found out of place (inserted or moved): the broken links around it are explained.</summary>
        public bool Flagged { get; set; }

        public bool EditReported { get; set; }
    }
}
