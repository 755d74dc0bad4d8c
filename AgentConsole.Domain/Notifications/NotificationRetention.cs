using AgentConsole.Domain.Persistence;
using AgentConsole.Domain.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AgentConsole.Domain.Notifications;

/// <summary>How many of each kind of row a purge deleted.</summary>
public sealed record NotificationPurge(int Deliveries, int Notifications);

/// <summary>
/// Deletes notifications and finished deliveries older than <c>Notifications:RetentionDays</c>, for every tenant (the
/// recurring job calls it hourly). A delivery still to be sent is never deleted, nor the notification it belongs to;
/// per-person settings, seen marks and webhooks are kept. What the audit trail records of the steps is untouched.
/// </summary>
public sealed class NotificationRetention(DatabaseProvider provider, TimeProvider clock, IOptions<NotificationOptions> options)
{
    public async Task<NotificationPurge> PurgeExpiredAsync(CancellationToken cancellationToken = default)
    {
        var cutoff = clock.GetUtcNow().AddDays(-options.Value.RetentionDays);
        await using var db = provider.Create(new TenantContext());
        var deliveries = await db.Deliveries.IgnoreQueryFilters()
            .Where(d => d.CreatedAt < cutoff && (d.Status == DeliveryStatus.Sent || d.Status == DeliveryStatus.Failed))
            .ExecuteDeleteAsync(cancellationToken);
        var notifications = await db.Notifications.IgnoreQueryFilters()
            .Where(n => n.CreatedAt < cutoff && !db.Deliveries.IgnoreQueryFilters().Any(d => d.NotificationId == n.Id))
            .ExecuteDeleteAsync(cancellationToken);
        return new NotificationPurge(deliveries, notifications);
    }
}
