using AgentConsole.Domain.Persistence;
using Microsoft.EntityFrameworkCore;

namespace AgentConsole.Domain.Audit;

/// <summary>
/// Puts new audit entries on their tenants' chains, inside the transaction that saves them (the data layer calls
/// this from every save that adds entries). Each tenant's head row is locked first, by an update that changes only
/// its version: concurrent writers of one tenant wait for each other there, then each reads a head no one else can
/// move, so nothing needs retrying and a conflict on the business rows reaches the caller as it always did.
/// Tenants are locked in id order, so two saves that touch the same tenants cannot wait for each other in a circle.
/// </summary>
internal static class AuditSealing
{
    public static async Task SealAsync(AgentConsoleDbContext db, IReadOnlyList<AuditEntry> added, CancellationToken cancellationToken)
    {
        foreach (var tenant in added.GroupBy(e => e.TenantId).OrderBy(g => g.Key))
        {
            var tenantId = tenant.Key;
            var heads = db.AuditChainHeads.IgnoreQueryFilters().Where(h => h.TenantId == tenantId);
            var locked = await heads.ExecuteUpdateAsync(s => s.SetProperty(h => h.Version, h => h.Version + 1), cancellationToken);
            AuditChainHead? created = null;
            long sequence;
            byte[] hash;
            if (locked == 0)
            {
                // The tenant's first entry: its head is inserted with the entries (a new tenant is saved in one transaction).
                created = db.ChangeTracker.Entries<AuditChainHead>().Select(e => e.Entity).FirstOrDefault(h => h.TenantId == tenantId);
                if (created is null)
                {
                    created = new AuditChainHead(tenantId);
                    db.AuditChainHeads.Add(created);
                }

                (sequence, hash) = (0, AuditChain.Genesis);
            }
            else
            {
                var head = await heads.AsNoTracking().Select(h => new { h.Sequence, h.Hash }).SingleAsync(cancellationToken);
                if (head.Hash.Length == 0)
                {
                    throw new InvalidOperationException(
                        $"The audit chain of tenant {tenantId} still has entries from before the chain existed; the host seals them at start-up before it writes new ones.");
                }

                (sequence, hash) = (head.Sequence, head.Hash);
            }

            foreach (var entry in tenant.OrderBy(e => e.RecordedOrder))
            {
                entry.Seal(++sequence, hash);
                hash = entry.Hash;
            }

            if (created is not null)
            {
                created.MovedTo(sequence, hash);
            }
            else
            {
                await heads.ExecuteUpdateAsync(s => s.SetProperty(h => h.Sequence, sequence).SetProperty(h => h.Hash, hash), cancellationToken);
            }
        }
    }
}
