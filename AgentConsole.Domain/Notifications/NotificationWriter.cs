using System.Text.Json;
using AgentConsole.Domain.Agents;
using AgentConsole.Domain.Decisions;
using AgentConsole.Domain.Persistence;
using AgentConsole.Domain.Policies;
using AgentConsole.Domain.Queues;
using AgentConsole.Domain.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AgentConsole.Domain.Notifications;

/// <summary>
/// Adds a step's notifications to the unit of work that commits the step: one row per person told, with their e-mail and
/// the tenant's webhooks as outbox rows beside it. Nothing is saved here; the step's own save commits it all at once, so a
/// step that is not saved tells nobody, and a committed one is never without its notifications.
/// Texts carry a decision's subject only as the recipient's roles may see it (webhooks: with every field any role is denied hidden).
/// </summary>
public sealed class NotificationWriter(CaseMasks masks, IOptions<NotificationOptions> options)
{
    /// <summary>A senior gave <paramref name="decision"/> to its new assignee; whoever held it before is told it was taken back.</summary>
    public async Task AssignedAsync(AgentConsoleDbContext db, Decision decision, ReviewQueue queue, Actor senior, string reason, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var before = HolderBefore(db, decision);
        if (before is not null && before != decision.AssignedToId)
        {
            await TakenBackAsync(db, decision, queue, senior, before, reason, now, cancellationToken);
        }

        if (decision.AssignedToId is { } assignee && assignee != before)
        {
            await TellAsync(db, NotificationKind.Assigned, decision, queue, [assignee], view =>
                $"{senior.Name} assigned {Quote(view.Subject)} ({queue.Name}) to you. Reason: {view.Redact(reason)}", now, cancellationToken);
        }
    }

    /// <summary>A senior took <paramref name="decision"/> back; whoever held it or was given it is told.</summary>
    public async Task TakenBackAsync(AgentConsoleDbContext db, Decision decision, ReviewQueue queue, Actor senior, string reason, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        if (HolderBefore(db, decision) is { } holder)
        {
            await TakenBackAsync(db, decision, queue, senior, holder, reason, now, cancellationToken);
        }
    }

    /// <summary>The SLA ladder warned: whoever holds the item or was given it is told (others see it counted in their queues).</summary>
    public Task SlaWarnedAsync(AgentConsoleDbContext db, Decision decision, ReviewQueue queue, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var holder = decision.Status == DecisionStatus.InReview ? decision.ClaimedById : decision.AssignedToId;
        return TellAsync(db, NotificationKind.SlaWarning, decision, queue, holder is null ? [] : [holder], view =>
            $"{Quote(view.Subject)} ({queue.Name}) is about to breach its SLA" + (decision.DueAt is { } due ? $": due {due:yyyy-MM-dd HH:mm} UTC." : "."), now, cancellationToken);
    }

    /// <summary>The circuit breaker paused <paramref name="agent"/>: every active senior operator of the tenant is told.</summary>
    public async Task AgentPausedAsync(AgentConsoleDbContext db, Agent agent, string reason, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var users = await db.Users.AsNoTracking().Where(u => u.IsActive && u.TenantId == agent.TenantId).ToListAsync(cancellationToken);
        var text = $"The circuit breaker paused {agent.Name}: {reason}.";
        var seniors = users.Where(u => Permissions.Allows(Permissions.PauseAgents, u.Roles)).ToList();
        foreach (var user in seniors)
        {
            await AddAsync(db, NotificationKind.AgentPaused, user, text, null, null, agent.Key, now, cancellationToken);
        }

        await AddWebhooksAsync(db, agent.TenantId, NotificationKind.AgentPaused, () => Task.FromResult(text), null, null, null, agent.Key, now, cancellationToken);
    }

    private Task TakenBackAsync(AgentConsoleDbContext db, Decision decision, ReviewQueue queue, Actor senior, string holder, string reason, DateTimeOffset now, CancellationToken cancellationToken) =>
        TellAsync(db, NotificationKind.TakenBack, decision, queue, [holder], view =>
            $"{senior.Name} took {Quote(view.Subject)} ({queue.Name}) back from you. Reason: {view.Redact(reason)}", now, cancellationToken);

    /// <summary>Who held the decision (claimed it, or was given it) before this unit of work changed it.</summary>
    private static string? HolderBefore(AgentConsoleDbContext db, Decision decision)
    {
        var entry = db.Entry(decision);
        var status = entry.Property(d => d.Status).OriginalValue;
        return status == DecisionStatus.InReview
            ? entry.Property(d => d.ClaimedById).OriginalValue
            : entry.Property(d => d.AssignedToId).OriginalValue;
    }

    private async Task TellAsync(AgentConsoleDbContext db, NotificationKind kind, Decision decision, ReviewQueue queue, IReadOnlyList<string> recipientIds,
        Func<DecisionView, string> text, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var reader = masks.Open(db);
        var inputs = decision.Inputs;
        foreach (var id in recipientIds.Distinct(StringComparer.Ordinal))
        {
            // Only people get notifications: the system and agents hold nothing.
            if (!Guid.TryParse(id, out var userId)
                || await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Id == userId && u.TenantId == decision.TenantId && u.IsActive, cancellationToken) is not { } user
                || !Permissions.Allows(Permissions.ViewQueues, user.Roles))
            {
                continue;
            }

            var mask = await reader.ForAsync(decision.PolicyVersionId, decision.AgentId, decision.UseCase, inputs, user.Roles, cancellationToken);
            await AddAsync(db, kind, user, text(DecisionView.Of(decision, mask)), decision.Id, queue.Id, null, now, cancellationToken);
        }

        // A receiver of webhooks is a system whose readers nobody knows: it sees the case with every field any role is denied hidden.
        await AddWebhooksAsync(db, decision.TenantId, kind, async () => text(DecisionView.Of(decision,
            await reader.ForAsync(decision.PolicyVersionId, decision.AgentId, decision.UseCase, inputs, Roles.All.ToList(), cancellationToken))),
            decision.Id, queue.Id, queue.Name, null, now, cancellationToken);
    }

    private async Task AddAsync(AgentConsoleDbContext db, NotificationKind kind, AppUser user, string text, Guid? decisionId, Guid? queueId, string? agentKey,
        DateTimeOffset now, CancellationToken cancellationToken)
    {
        var notification = new Notification(user.TenantId, user.Id, kind, text, decisionId, queueId, agentKey, now);
        db.Notifications.Add(notification);
        if (!options.Value.EmailEnabled || string.IsNullOrWhiteSpace(user.Email))
        {
            return;
        }

        var preference = await db.NotificationPreferences.AsNoTracking().SingleOrDefaultAsync(p => p.UserId == user.Id, cancellationToken);
        if (preference?.EmailKinds.Contains(kind) != true)
        {
            return;
        }

        var link = Link(NotificationLinks.For(kind, decisionId, queueId, agentKey));
        var body = $"Hello {user.DisplayName},\n\n{notification.Text}\n\nOpen it: {link}\n\n"
            + "You receive this e-mail because you chose it under My notifications settings in AgentConsole.\n";
        db.Deliveries.Add(new Delivery(user.TenantId, DeliveryChannel.Email, kind, notification.Id, user.Id, null, user.Email,
            $"AgentConsole: {NotificationKinds.Label(kind).ToLowerInvariant()}", body, now));
    }

    /// <summary>One post per active webhook that takes this kind; the text (a masked read) is made only when one does.</summary>
    private async Task AddWebhooksAsync(AgentConsoleDbContext db, Guid tenantId, NotificationKind kind, Func<Task<string>> textFor, Guid? decisionId, Guid? queueId, string? queueName,
        string? agentKey, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var hooks = (await db.Webhooks.AsNoTracking().Where(w => w.TenantId == tenantId && w.IsActive).ToListAsync(cancellationToken))
            .Where(h => h.Kinds.Contains(kind)).ToList();
        if (hooks.Count == 0)
        {
            return;
        }

        var text = await textFor();
        foreach (var hook in hooks)
        {
            var type = NotificationKinds.EventType(kind);
            var body = JsonSerializer.Serialize(new WebhookPayload(type, now, new WebhookPayloadData(
                tenantId, text, decisionId, queueId, queueName, agentKey, Link(NotificationLinks.For(kind, decisionId, queueId, agentKey)))), WebhookPayload.Json);
            db.Deliveries.Add(new Delivery(tenantId, DeliveryChannel.Webhook, kind, null, null, hook.Id, hook.Target, type, body, now));
        }
    }

    private string Link(string path) => string.IsNullOrEmpty(options.Value.ConsoleUrl) ? path : options.Value.ConsoleUrl.TrimEnd('/') + path;

    private static string Quote(string subject) => $"“{subject}”";
}

/// <summary>Where a notification leads in the console.</summary>
public static class NotificationLinks
{
    public static string For(NotificationKind kind, Guid? decisionId, Guid? queueId, string? agentKey) =>
        decisionId is { } d ? $"/decisions/{d}"
        : agentKey is { } a ? $"/agents/{Uri.EscapeDataString(a)}"
        : queueId is { } q ? $"/queues/{q}"
        : "/notifications";
}

/// <summary>The JSON body every webhook receives (Standard Webhooks' shape: type, timestamp, data).</summary>
public sealed record WebhookPayload(string Type, DateTimeOffset Timestamp, WebhookPayloadData Data)
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
}

/// <param name="Text">What happened; a decision's subject with every value the policy masks from any role hidden.</param>
/// <param name="Link">Where to look in the console.</param>
public sealed record WebhookPayloadData(Guid TenantId, string Text, Guid? DecisionId, Guid? QueueId, string? Queue, string? Agent, string Link);
