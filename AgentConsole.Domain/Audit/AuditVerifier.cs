using System.Diagnostics;
using AgentConsole.Domain.Persistence;
using AgentConsole.Domain.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace AgentConsole.Domain.Audit;

/// <summary>
/// Verifies a tenant's audit chain: reads its signed checkpoints, streams the entries in sequence order (never all in
/// memory), recomputes every hash, and reports each entry that was edited, deleted, inserted or reordered, a chain
/// cut short, and every checkpoint that is forged or no longer on the chain. Each run is kept as history. A missing
/// or wrong checkpoint key stops verification with a message that says which setting to correct.
/// </summary>
public sealed class AuditVerifier(
    DatabaseProvider provider,
    CheckpointKeys keys,
    ICheckpointStore store,
    AuditCheckpoints checkpoints,
    TimeProvider clock,
    ILogger<AuditVerifier> logger)
{
    /// <summary>Verifies the actor's tenant (the console and the API); auditors and admins only.</summary>
    public Task<AuditVerification> VerifyAsync(Actor actor, CancellationToken cancellationToken = default) =>
        actor.Can(Permissions.VerifyAudit)
            ? VerifyTenantAsync(actor.TenantId, actor, cancellationToken)
            : throw DomainException.Forbidden("audit.role", "Your role may not verify the audit trail.");

    /// <summary>Verifies one tenant's chain for a job or the <c>verify-audit</c> command, and keeps the result.</summary>
    public async Task<AuditVerification> VerifyTenantAsync(Guid tenantId, Actor requestedBy, CancellationToken cancellationToken = default)
    {
        var tenantContext = new TenantContext();
        tenantContext.Use(tenantId);
        await using var db = provider.Create(tenantContext);
        var slug = await db.Tenants.AsNoTracking().Where(t => t.Id == tenantId).Select(t => t.Slug).SingleOrDefaultAsync(cancellationToken)
            ?? throw DomainException.NotFound("tenant.not-found", "This tenant does not exist.");
        var run = new AuditVerification(Guid.NewGuid(), tenantId, requestedBy, clock.GetUtcNow());
        var elapsed = Stopwatch.StartNew();
        try
        {
            await RunAsync(db, slug, run, cancellationToken);
        }
        catch (Exception ex) when (ex is CheckpointKeyException or StoppedException)
        {
            run.Stopped(ex.Message, clock.GetUtcNow());
        }

        db.AuditVerifications.Add(run);
        await db.SaveChangesAsync(cancellationToken);
        logger.Log(run.Outcome == AuditVerificationOutcome.Intact ? LogLevel.Information : LogLevel.Warning,
            "Audit verification of {Tenant} by {RequestedBy}: {Outcome}, {Entries} entries and {Checkpoints} checkpoints in {Elapsed} ms, {Findings} findings{Problem}",
            slug, requestedBy.Name, run.Outcome, run.EntriesChecked, run.CheckpointsChecked, elapsed.ElapsedMilliseconds, run.FindingCount, run.Problem is null ? "" : ": " + run.Problem);
        return run;
    }

    private async Task RunAsync(AgentConsoleDbContext db, string slug, AuditVerification run, CancellationToken cancellationToken)
    {
        keys.Load();
        var origin = checkpoints.Origin(slug);
        var (valid, problems, read) = await ReadCheckpointsAsync(slug, origin, cancellationToken);
        var head = await ReadHeadAsync(db, cancellationToken);
        if (head.Hash.Length == 0)
        {
            throw new StoppedException("The chain still has entries written before it existed; start the console once so it seals them, then verify.");
        }

        var walk = new ChainWalk(valid, head.Sequence, head.Hash);
        foreach (var problem in problems)
        {
            walk.Report(problem);
        }

        var leaf = new byte[AuditChain.HashSize];
        var link = new byte[AuditChain.HashSize];
        var entries = db.AuditEntries.AsNoTracking().OrderBy(a => a.Sequence).ThenBy(a => a.Id).AsAsyncEnumerable();
        await foreach (var entry in entries.WithCancellation(cancellationToken))
        {
            walk.Add(entry.Sequence, entry.Id, entry.PreviousHash, entry.Hash, ContentMatches(entry, leaf, link));
        }

        walk.Complete();
        await ReportEntriesBeyondTheHeadAsync(db, walk, cancellationToken);
        run.Completed(walk, read, valid.Count == 0 ? null : valid.Max(c => c.Size), clock.GetUtcNow());
    }

    /// <summary>Whether an entry's content and stored previous hash still give its stored hash.</summary>
    private static bool ContentMatches(AuditEntry entry, byte[] leaf, byte[] link)
    {
        if (entry.PreviousHash.Length != AuditChain.HashSize || entry.Hash.Length != AuditChain.HashSize)
        {
            return false;
        }

        AuditChain.Leaf(AuditChain.Content(entry), leaf);
        AuditChain.Link(entry.PreviousHash, leaf, link);
        return link.AsSpan().SequenceEqual(entry.Hash);
    }

    private async Task<(List<Checkpoint> Valid, List<AuditFinding> Problems, int Read)> ReadCheckpointsAsync(string slug, string origin, CancellationToken cancellationToken)
    {
        var valid = new List<Checkpoint>();
        var problems = new List<AuditFinding>();
        var otherKey = new List<(StoredCheckpoint Stored, string Problem)>();
        var read = 0;
        await foreach (var stored in store.ReadAllAsync(slug, cancellationToken))
        {
            read++;
            var reading = Checkpoint.Read(stored.Note, origin, keys);
            switch (reading.State)
            {
                case CheckpointState.Valid:
                    valid.Add(reading.Checkpoint!);
                    break;
                case CheckpointState.SignedByOtherKey:
                    otherKey.Add((stored, reading.Problem!));
                    break;
                default:
                    problems.Add(new AuditFinding(AuditFindingKind.ForgedCheckpoint, reading.Checkpoint?.Size, null, $"{stored.Name}: {reading.Problem}"));
                    break;
            }
        }

        if (otherKey.Count > 0 && otherKey.Count == read)
        {
            throw new CheckpointKeyException(
                $"The checkpoint key is wrong: all {read} checkpoints in {store.Describe(slug)} are signed by another key than this host's "
                + $"({keys.VerifierKey(origin)}). Set Audit:CheckpointKey (or Audit:CheckpointPublicKey) to the key that signs them.");
        }

        problems.AddRange(otherKey.Select(o => new AuditFinding(AuditFindingKind.ForgedCheckpoint, o.Stored.Size, null, $"{o.Stored.Name}: {o.Problem}")));
        return (valid, problems, read);
    }

    private static async Task<(long Sequence, byte[] Hash)> ReadHeadAsync(AgentConsoleDbContext db, CancellationToken cancellationToken) =>
        await db.AuditChainHeads.AsNoTracking().Select(h => new { h.Sequence, h.Hash }).SingleOrDefaultAsync(cancellationToken) is { } head
            ? (head.Sequence, head.Hash)
            : (0, AuditChain.Genesis);

    /// <summary>
    /// Entries beyond the head that no finding explains: the head moves in the transaction that adds entries, so no
    /// genuine entry lies beyond it. The highest sequence is read before the head, so an entry added meanwhile is covered.
    /// </summary>
    private static async Task ReportEntriesBeyondTheHeadAsync(AgentConsoleDbContext db, ChainWalk walk, CancellationToken cancellationToken)
    {
        var highest = await db.AuditEntries.MaxAsync(a => (long?)a.Sequence, cancellationToken) ?? 0;
        var head = await ReadHeadAsync(db, cancellationToken);
        var unexplained = highest - head.Sequence - walk.InsertedCount;
        if (unexplained <= 0)
        {
            return;
        }

        var beyond = await db.AuditEntries.AsNoTracking().Where(a => a.Sequence > head.Sequence)
            .OrderByDescending(a => a.Sequence).Take((int)Math.Min(unexplained, AuditVerification.MaxStoredFindings))
            .Select(a => new { a.Sequence, a.Id }).ToListAsync(cancellationToken);
        foreach (var entry in beyond.OrderBy(e => e.Sequence))
        {
            walk.Report(new AuditFinding(AuditFindingKind.Inserted, entry.Sequence, entry.Id,
                $"it lies beyond the chain's head (#{head.Sequence:#,0}), which moves with every entry the console writes: the console never wrote it"));
        }
    }

    /// <summary>Verification cannot go on; the message says why.</summary>
    private sealed class StoppedException(string message) : Exception(message);
}
