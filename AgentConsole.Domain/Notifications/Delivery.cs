using AgentConsole.Domain.Tenancy;

namespace AgentConsole.Domain.Notifications;

/// <summary>How a delivery leaves the console.</summary>
public enum DeliveryChannel
{
    Email,
    Webhook,
}

/// <summary>Where a delivery stands.</summary>
public enum DeliveryStatus
{
    /// <summary>Waiting for its (next) attempt.</summary>
    Pending,

    /// <summary>A worker claimed it and is sending it now.</summary>
    Sending,

    Sent,

    /// <summary>Gave up: the receiver refused it for good, or every attempt failed.</summary>
    Failed,
}

/// <summary>
/// One e-mail or webhook post of a notification: an outbox row written in the same transaction as the notification, sent
/// by the delivery job. Its id is what the receiver sees (<c>webhook-id</c>, the e-mail's Message-ID), so a receiver can
/// drop a repeat; a worker claims it before sending, so two workers never both send it.
/// </summary>
public sealed class Delivery : ITenantOwned
{
    public const int MaxErrorLength = 500;

    private Delivery()
    {
    }

    internal Delivery(Guid tenantId, DeliveryChannel channel, NotificationKind kind, Guid? notificationId, Guid? recipientId, Guid? webhookId,
        string target, string subject, string body, DateTimeOffset now)
    {
        Id = Guid.NewGuid();
        TenantId = tenantId;
        Channel = channel;
        Kind = kind;
        NotificationId = notificationId;
        RecipientId = recipientId;
        WebhookId = webhookId;
        Target = target;
        Subject = subject;
        Body = body;
        Status = DeliveryStatus.Pending;
        CreatedAt = now;
        NextAttemptAt = now;
    }

    public Guid Id { get; private set; }

    /// <summary>What the receiver sees as <c>webhook-id</c> and in the e-mail's Message-ID.</summary>
    public string MessageId => $"msg_{Id:N}";

    public Guid TenantId { get; private set; }

    public DeliveryChannel Channel { get; private set; }

    public NotificationKind Kind { get; private set; }

    public Guid? NotificationId { get; private set; }

    /// <summary>The person an e-mail goes to.</summary>
    public Guid? RecipientId { get; private set; }

    public Guid? WebhookId { get; private set; }

    /// <summary>The e-mail address, or the webhook's URL without credentials or query.</summary>
    public string Target { get; private set; } = "";

    /// <summary>The e-mail's subject, or the webhook's event type.</summary>
    public string Subject { get; private set; } = "";

    /// <summary>The e-mail's text, or the webhook's exact JSON body (what its signature covers).</summary>
    public string Body { get; private set; } = "";

    public DeliveryStatus Status { get; private set; }

    public int Attempts { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset NextAttemptAt { get; private set; }

    /// <summary>While <see cref="DeliveryStatus.Sending"/>: when the claim lapses (the worker died), so another may try again.</summary>
    public DateTimeOffset? LockedUntil { get; private set; }

    public DateTimeOffset? SentAt { get; private set; }

    public int? LastStatusCode { get; private set; }

    public string? LastError { get; private set; }

    internal void Succeeded(int? statusCode, DateTimeOffset now)
    {
        Status = DeliveryStatus.Sent;
        SentAt = now;
        LastStatusCode = statusCode;
        LastError = null;
        LockedUntil = null;
    }

    /// <summary>Records a failed attempt: tried again at <paramref name="retryAt"/>, or failed for good when that is null.</summary>
    internal void AttemptFailed(int? statusCode, string error, DateTimeOffset? retryAt)
    {
        LastStatusCode = statusCode;
        LastError = error.Length > MaxErrorLength ? error[..MaxErrorLength] : error;
        LockedUntil = null;
        if (retryAt is { } at)
        {
            Status = DeliveryStatus.Pending;
            NextAttemptAt = at;
        }
        else
        {
            Status = DeliveryStatus.Failed;
        }
    }
}
