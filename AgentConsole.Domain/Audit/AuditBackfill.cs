using AgentConsole.Domain.Persistence;
using AgentConsole.Domain.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace AgentConsole.Domain.Audit;

/// <summary>
/// Seals the audit entries written before the chain existed. The migration that brought the chain numbered each
/// tenant's entries in id order and gave each tenant a head without a hash; at start-up, before the host serves
/// anything or writes a new entry, this hashes those entries in sequence order and sets the head's hash. Safe when
/// several hosts start together: each tenant is sealed under its head's lock, once.
/// </summary>
public static class AuditBackfill
{
    private const int BatchSize = 2000;

    /// <summary>Seals every tenant's entries that wait for it; returns how many were sealed.</summary>
    public static async Task<long> SealAsync(DatabaseProvider provider, ILogger logger, CancellationToken cancellationToken = default)
    {
        List<Guid> waiting;
        await using (var db = provider.Create(new TenantContext()))
        {
            waiting = await db.AuditChainHeads.IgnoreQueryFilters().AsNoTracking().Where(h => h.Hash == AuditChainHead.Unsealed).Select(h => h.TenantId).ToListAsync(cancellationToken);
        }

        long sealedTotal = 0;
        foreach (var tenantId in waiting)
        {
            var count = await SealTenantAsync(provider, tenantId, cancellationToken);
            if (count > 0)
            {
                logger.LogInformation("Sealed {Count} audit entries of tenant {Tenant} written before the audit chain existed", count, tenantId);
            }

            sealedTotal += count;
        }

        return sealedTotal;
    }

    private static async Task<long> SealTenantAsync(DatabaseProvider provider, Guid tenantId, CancellationToken cancellationToken)
    {
        await using var db = provider.Create(new TenantContext());
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var heads = db.AuditChainHeads.IgnoreQueryFilters().Where(h => h.TenantId == tenantId);
        await heads.ExecuteUpdateAsync(s => s.SetProperty(h => h.Version, h => h.Version + 1), cancellationToken);
        if (await heads.AnyAsync(h => h.Hash != AuditChainHead.Unsealed, cancellationToken))
        {
            // Another host sealed it while this one waited for the lock.
            return 0;
        }

        var previous = AuditChain.Genesis;
        long last = 0, count = 0;
        while (true)
        {
            var batch = await db.AuditEntries.IgnoreQueryFilters().Where(a => a.TenantId == tenantId && a.Sequence > last)
                .OrderBy(a => a.Sequence).Take(BatchSize).ToListAsync(cancellationToken);
            if (batch.Count == 0)
            {
                break;
            }

            foreach (var entry in batch)
            {
                if (!entry.IsSealed)
                {
                    entry.SealExisting(previous);
                    count++;
                }

                previous = entry.Hash;
                last = entry.Sequence;
            }

            await db.SaveChangesAsync(cancellationToken);
            db.ChangeTracker.Clear();
        }

        await heads.ExecuteUpdateAsync(s => s.SetProperty(h => h.Sequence, last).SetProperty(h => h.Hash, previous), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return count;
    }
}
