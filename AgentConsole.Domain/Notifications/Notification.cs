using AgentConsole.Domain.Tenancy;

namespace AgentConsole.Domain.Notifications;

/// <summary>
/// Something one person is told: an assignment, a take-back, an SLA warning on their item, a paused agent. Written in the
/// same transaction as the step that causes it, so a committed step never lacks its notification. New items in a queue
/// are not rows: they are counted from the person's <see cref="QueueSeenMark"/>.
/// </summary>
public sealed class Notification : ITenantOwned
{
    public const int MaxTextLength = 600;

    private Notification()
    {
    }

    internal Notification(Guid tenantId, Guid recipientId, NotificationKind kind, string text, Guid? decisionId, Guid? queueId, string? agentKey, DateTimeOffset at)
    {
        Id = Guid.NewGuid();
        TenantId = tenantId;
        RecipientId = recipientId;
        Kind = kind;
        Text = text.Length > MaxTextLength ? text[..(MaxTextLength - 1)] + "…" : text;
        DecisionId = decisionId;
        QueueId = queueId;
        AgentKey = agentKey;
        CreatedAt = at;
    }

    public Guid Id { get; private set; }

    public Guid TenantId { get; private set; }

    /// <summary>The person told (an <see cref="AppUser"/>).</summary>
    public Guid RecipientId { get; private set; }

    public NotificationKind Kind { get; private set; }

    /// <summary>What happened, with the decision's subject masked as the recipient's roles see it.</summary>
    public string Text { get; private set; } = "";

    public Guid? DecisionId { get; private set; }

    public Guid? QueueId { get; private set; }

    /// <summary>The agent, for a paused agent.</summary>
    public string? AgentKey { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset? ReadAt { get; private set; }

    /// <summary>Marks it read; reading it again keeps the first time.</summary>
    public void MarkRead(DateTimeOffset now) => ReadAt ??= now;
}

/// <summary>
/// When a person last looked at what arrived in one queue: items that entered it later (and SLA warnings given later)
/// count as new for them. One row per person and queue, whatever the number of items.
/// </summary>
public sealed class QueueSeenMark : ITenantOwned
{
    private QueueSeenMark()
    {
    }

    internal QueueSeenMark(Guid tenantId, Guid userId, Guid queueId, DateTimeOffset seenAt)
    {
        Id = Guid.NewGuid();
        TenantId = tenantId;
        UserId = userId;
        QueueId = queueId;
        SeenAt = seenAt;
    }

    public Guid Id { get; private set; }

    public Guid TenantId { get; private set; }

    public Guid UserId { get; private set; }

    public Guid QueueId { get; private set; }

    public DateTimeOffset SeenAt { get; private set; }

    internal void Seen(DateTimeOffset now)
    {
        if (now > SeenAt)
        {
            SeenAt = now;
        }
    }
}

/// <summary>A person's choice of the kinds that also reach them by e-mail (none by default).</summary>
public sealed class NotificationPreference : ITenantOwned
{
    private NotificationPreference()
    {
    }

    internal NotificationPreference(Guid tenantId, Guid userId)
    {
        Id = Guid.NewGuid();
        TenantId = tenantId;
        UserId = userId;
    }

    public Guid Id { get; private set; }

    public Guid TenantId { get; private set; }

    public Guid UserId { get; private set; }

    public string EmailKindsCsv { get; private set; } = "";

    public DateTimeOffset UpdatedAt { get; private set; }

    public IReadOnlyList<NotificationKind> EmailKinds => NotificationKinds.FromCsv(EmailKindsCsv);

    internal void Choose(IEnumerable<NotificationKind> emailKinds, DateTimeOffset now)
    {
        EmailKindsCsv = NotificationKinds.Csv(emailKinds);
        UpdatedAt = now;
    }
}
