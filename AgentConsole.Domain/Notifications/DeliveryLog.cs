using AgentConsole.Domain.Persistence;
using AgentConsole.Domain.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace AgentConsole.Domain.Notifications;

/// <summary>One delivery as the log shows it: what went to whom or where, and how it went; never a secret or the body.</summary>
public sealed record DeliveryEntry(
    Guid Id, string MessageId, DeliveryChannel Channel, NotificationKind Kind, string Target, string Subject, DeliveryStatus Status, int Attempts,
    DateTimeOffset CreatedAt, DateTimeOffset? SentAt, DateTimeOffset NextAttemptAt, int? LastStatusCode, string? LastError, string? Webhook);

/// <summary>A page of the delivery log, newest first.</summary>
public sealed record DeliveryLogPage(IReadOnlyList<DeliveryEntry> Items, int Page, int PageSize, int Total);

/// <summary>What was sent to whom and where, for admins of the tenant.</summary>
public sealed class DeliveryLog(IAgentConsoleDbFactory dbs)
{
    public const int MaxPageSize = 200;

    public async Task<DeliveryLogPage> PageAsync(Actor actor, int page = 1, int pageSize = 50, DeliveryStatus? status = null, CancellationToken cancellationToken = default)
    {
        if (!actor.Can(Permissions.Administer))
        {
            throw DomainException.Forbidden("deliveries.admin-only", "Only admins read the delivery log.");
        }

        if (page < 1 || pageSize is < 1 or > MaxPageSize)
        {
            throw DomainException.Invalid("deliveries.paging", $"Pages start at 1 and hold 1 to {MaxPageSize} deliveries.", new Dictionary<string, string[]>
            {
                [page < 1 ? "page" : "pageSize"] = [page < 1 ? "Pages start at 1." : $"A page holds 1 to {MaxPageSize} deliveries."],
            });
        }

        await using var db = dbs.Create();
        var query = db.Deliveries.AsNoTracking();
        if (status is { } s)
        {
            query = query.Where(d => d.Status == s);
        }

        var total = await query.CountAsync(cancellationToken);
        var rows = await query.OrderByDescending(d => d.CreatedAt).ThenByDescending(d => d.Id).Skip((page - 1) * pageSize).Take(pageSize)
            .GroupJoin(db.Webhooks, d => d.WebhookId, w => w.Id, (d, w) => new { d, w })
            .SelectMany(x => x.w.DefaultIfEmpty(), (x, w) => new { x.d, Webhook = w == null ? null : w.Name })
            .ToListAsync(cancellationToken);
        return new DeliveryLogPage(
            [.. rows.OrderByDescending(r => r.d.CreatedAt).ThenByDescending(r => r.d.Id).Select(r => new DeliveryEntry(r.d.Id, r.d.MessageId, r.d.Channel, r.d.Kind, r.d.Target, r.d.Subject, r.d.Status, r.d.Attempts,
                r.d.CreatedAt, r.d.SentAt, r.d.NextAttemptAt, r.d.LastStatusCode, r.d.LastError, r.Webhook))],
            page, pageSize, total);
    }
}
