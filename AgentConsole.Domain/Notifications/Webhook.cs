using AgentConsole.Domain.Tenancy;

namespace AgentConsole.Domain.Notifications;

/// <summary>
/// A tenant's endpoint that receives notifications as signed JSON (Standard Webhooks: <c>webhook-id</c>,
/// <c>webhook-timestamp</c>, <c>webhook-signature</c>). The secret signs every delivery and is never shown again after it is saved.
/// </summary>
public sealed class Webhook : ITenantOwned
{
    public const int MaxUrlLength = 500;
    public const int MaxNameLength = 100;

    private Webhook()
    {
    }

    internal Webhook(Guid tenantId, string name, Uri url, string secret, IEnumerable<NotificationKind> kinds, string createdBy, DateTimeOffset now)
    {
        Id = Guid.NewGuid();
        TenantId = tenantId;
        CreatedAt = now;
        CreatedByName = createdBy;
        Change(name, url, secret, kinds, true, now);
    }

    public Guid Id { get; private set; }

    public Guid TenantId { get; private set; }

    public string Name { get; private set; } = "";

    public string Url { get; private set; } = "";

    /// <summary>The signing secret, <c>whsec_</c> and base64; never returned by a query.</summary>
    public string Secret { get; private set; } = "";

    public string KindsCsv { get; private set; } = "";

    public bool IsActive { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public string CreatedByName { get; private set; } = "";

    public DateTimeOffset UpdatedAt { get; private set; }

    public int Version { get; private set; }

    /// <summary>When an admin removed it: it is kept for the delivery log, lists no more and receives nothing.</summary>
    public DateTimeOffset? RemovedAt { get; private set; }

    internal void Remove(DateTimeOffset now)
    {
        RemovedAt = now;
        IsActive = false;
        UpdatedAt = now;
        Version++;
    }

    public IReadOnlyList<NotificationKind> Kinds => NotificationKinds.FromCsv(KindsCsv);

    /// <summary>Where it posts, without a user name, password or query (which may carry tokens): what the delivery log shows.</summary>
    public string Target => SafeTarget(new Uri(Url));

    internal static string SafeTarget(Uri url) => url.GetLeftPart(UriPartial.Path).Replace(url.UserInfo + "@", "", StringComparison.Ordinal);

    /// <summary>A blank <paramref name="secret"/> keeps the current one.</summary>
    internal void Change(string name, Uri url, string? secret, IEnumerable<NotificationKind> kinds, bool active, DateTimeOffset now)
    {
        Name = name;
        Url = url.ToString();
        if (!string.IsNullOrWhiteSpace(secret))
        {
            Secret = secret.Trim();
        }

        KindsCsv = NotificationKinds.Csv(kinds);
        IsActive = active;
        UpdatedAt = now;
        Version++;
    }
}
