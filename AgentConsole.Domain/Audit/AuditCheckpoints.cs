using AgentConsole.Domain.Persistence;
using AgentConsole.Domain.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AgentConsole.Domain.Audit;

/// <summary>A checkpoint that was written (or found already written at that size).</summary>
public sealed record WrittenCheckpoint(string Origin, long Size, string Root, DateTimeOffset Time, string Location, bool Written);

/// <summary>
/// Writes each tenant's chain head — entry count, head hash, time — as a signed checkpoint outside the database:
/// by a recurring job for every chain that grew, and on demand for one tenant. A chain later cut short or rewritten
/// no longer matches the checkpoints it had, which verification reports.
/// </summary>
public sealed class AuditCheckpoints(
    DatabaseProvider provider,
    CheckpointKeys keys,
    ICheckpointStore store,
    IOptions<AuditOptions> options,
    TimeProvider clock,
    ILogger<AuditCheckpoints> logger)
{
    /// <summary>The origin line (and key name) of a tenant's checkpoints.</summary>
    public string Origin(string tenantSlug) => $"{options.Value.CheckpointOrigin}/{tenantSlug}";

    /// <summary>Where a tenant's checkpoints are written.</summary>
    public string Location(string tenantSlug) => store.Describe(tenantSlug);

    /// <summary>Writes a checkpoint of every tenant's chain that grew since its last one; returns those written.</summary>
    public async Task<IReadOnlyList<WrittenCheckpoint>> WriteDueAsync(CancellationToken cancellationToken = default)
    {
        var written = new List<WrittenCheckpoint>();
        foreach (var head in await ReadHeadsAsync(null, cancellationToken))
        {
            if (store.LatestSize(head.Slug) is { } latest && latest >= head.Sequence)
            {
                continue;
            }

            written.Add(await WriteAsync(head, cancellationToken));
        }

        if (written.Count > 0)
        {
            logger.LogInformation("Wrote {Count} audit checkpoints: {Checkpoints}", written.Count, string.Join(", ", written.Select(w => $"{w.Origin} at {w.Size}")));
        }

        return written;
    }

    /// <summary>Writes a checkpoint of the actor's tenant now (or finds the one already written at the chain's size).</summary>
    public async Task<WrittenCheckpoint> WriteNowAsync(Actor actor, CancellationToken cancellationToken = default)
    {
        if (!actor.Can(Permissions.VerifyAudit))
        {
            throw DomainException.Forbidden("audit.role", "Your role may not write audit checkpoints.");
        }

        var head = (await ReadHeadsAsync(actor.TenantId, cancellationToken)).SingleOrDefault()
            ?? throw DomainException.Conflict("audit.empty", "The audit trail has no entries yet, so there is nothing to checkpoint.");
        try
        {
            return await WriteAsync(head, cancellationToken);
        }
        catch (CheckpointKeyException ex)
        {
            throw DomainException.Conflict("audit.checkpoint-key", ex.Message);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw DomainException.Conflict("audit.checkpoint-store",
                $"The checkpoint could not be written to {store.Describe(head.Slug)}: {ex.Message} Check Audit:CheckpointDirectory and its permissions.");
        }
    }

    private async Task<WrittenCheckpoint> WriteAsync(Head head, CancellationToken cancellationToken)
    {
        var origin = Origin(head.Slug);
        var checkpoint = new Checkpoint(origin, head.Sequence, head.Hash, clock.GetUtcNow());
        await store.PublishAsync(head.Slug, $"key-{keys.KeyId(origin):x8}.vkey", keys.VerifierKey(origin) + "\n", cancellationToken);
        await store.PublishAsync(head.Slug, $"key-{keys.KeyId(origin):x8}.pem", keys.PublicKeyPem, cancellationToken);
        var written = await store.WriteAsync(head.Slug, head.Sequence, checkpoint.Sign(keys), cancellationToken);
        return new WrittenCheckpoint(origin, head.Sequence, Convert.ToBase64String(head.Hash), checkpoint.Time, store.Describe(head.Slug), written);
    }

    private async Task<List<Head>> ReadHeadsAsync(Guid? tenantId, CancellationToken cancellationToken)
    {
        await using var db = provider.Create(new TenantContext());
        return await db.AuditChainHeads.IgnoreQueryFilters().AsNoTracking()
            .Where(h => (tenantId == null || h.TenantId == tenantId) && h.Sequence > 0 && h.Hash != AuditChainHead.Unsealed)
            .Join(db.Tenants.AsNoTracking(), h => h.TenantId, t => t.Id, (h, t) => new Head(t.Slug, h.Sequence, h.Hash))
            .ToListAsync(cancellationToken);
    }

    private sealed record Head(string Slug, long Sequence, byte[] Hash);
}
