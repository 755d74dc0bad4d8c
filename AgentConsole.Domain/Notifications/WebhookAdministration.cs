using AgentConsole.Domain.Audit;
using AgentConsole.Domain.Persistence;
using AgentConsole.Domain.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AgentConsole.Domain.Notifications;

/// <summary>A webhook as admins see it: never its secret.</summary>
public sealed record WebhookView(Guid Id, string Name, string Url, string Target, IReadOnlyList<NotificationKind> Kinds, bool IsActive, DateTimeOffset CreatedAt, string CreatedBy, DateTimeOffset UpdatedAt)
{
    internal static WebhookView Of(Webhook w) => new(w.Id, w.Name, w.Url, w.Target, w.Kinds, w.IsActive, w.CreatedAt, w.CreatedByName, w.UpdatedAt);
}

/// <summary>What an admin writes for a webhook; on a change, a blank secret keeps the current one.</summary>
public sealed record WebhookInput(string? Name, string? Url, string? Secret, IReadOnlyList<string>? Kinds, bool Active = true);

/// <summary>
/// Admins add, change and remove their tenant's webhooks. Bad input is refused per field and changes nothing; https is
/// required outside Development. Each change is audited (without the secret).
/// </summary>
public sealed class WebhookAdministration(IAgentConsoleDbFactory dbs, TimeProvider clock, IOptions<NotificationOptions> options)
{
    public const string SecretPrefix = "whsec_";

    public async Task<IReadOnlyList<WebhookView>> ListAsync(Actor actor, CancellationToken cancellationToken = default)
    {
        RequireAdmin(actor);
        await using var db = dbs.Create();
        var hooks = await db.Webhooks.AsNoTracking().Where(w => w.RemovedAt == null).ToListAsync(cancellationToken);
        return [.. hooks.OrderBy(w => w.Name, StringComparer.OrdinalIgnoreCase).Select(WebhookView.Of)];
    }

    public async Task<WebhookView> CreateAsync(Actor actor, WebhookInput input, CancellationToken cancellationToken = default)
    {
        RequireAdmin(actor);
        var (name, url, kinds) = Check(input, secretRequired: true);
        var now = clock.GetUtcNow();
        await using var db = dbs.Create();
        var hook = new Webhook(actor.TenantId, name, url, input.Secret!.Trim(), kinds, actor.Name, now);
        hook.Change(name, url, null, kinds, input.Active, now);
        db.Webhooks.Add(hook);
        db.AuditEntries.Add(AuditEntry.Record(actor, "webhook.created", "webhook", hook.Id.ToString(), null, null, Snapshot(hook), now));
        await db.SaveChangesAsync(cancellationToken);
        return WebhookView.Of(hook);
    }

    public async Task<WebhookView> ChangeAsync(Actor actor, Guid id, WebhookInput input, CancellationToken cancellationToken = default)
    {
        RequireAdmin(actor);
        await using var db = dbs.Create();
        var hook = await FindAsync(db, id, cancellationToken);
        var (name, url, kinds) = Check(input, secretRequired: false);
        var before = Snapshot(hook);
        var now = clock.GetUtcNow();
        hook.Change(name, url, input.Secret, kinds, input.Active, now);
        db.AuditEntries.Add(AuditEntry.Record(actor, "webhook.changed", "webhook", hook.Id.ToString(),
            string.IsNullOrWhiteSpace(input.Secret) ? null : "The signing secret was replaced.", before, Snapshot(hook), now));
        await SaveAsync(db, cancellationToken);
        return WebhookView.Of(hook);
    }

    public async Task RemoveAsync(Actor actor, Guid id, CancellationToken cancellationToken = default)
    {
        RequireAdmin(actor);
        await using var db = dbs.Create();
        var hook = await FindAsync(db, id, cancellationToken);
        var before = Snapshot(hook);
        var now = clock.GetUtcNow();
        hook.Remove(now);
        db.AuditEntries.Add(AuditEntry.Record(actor, "webhook.removed", "webhook", hook.Id.ToString(), null, before, Snapshot(hook), now));
        await SaveAsync(db, cancellationToken);
    }

    /// <summary>A new random signing secret in the Standard Webhooks form (<c>whsec_</c> and 32 bytes in base64).</summary>
    public static string NewSecret() => SecretPrefix + Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

    /// <summary>The key a secret stands for, or null when it is not <c>whsec_</c> followed by 24 to 64 bytes in base64.</summary>
    public static byte[]? KeyOf(string? secret)
    {
        if (secret is null || !secret.StartsWith(SecretPrefix, StringComparison.Ordinal))
        {
            return null;
        }

        var encoded = secret[SecretPrefix.Length..];
        var buffer = new byte[encoded.Length];
        return Convert.TryFromBase64String(encoded, buffer, out var length) && length is >= 24 and <= 64 ? buffer[..length] : null;
    }

    private (string Name, Uri Url, IReadOnlyList<NotificationKind> Kinds) Check(WebhookInput input, bool secretRequired)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var name = input.Name?.Trim() ?? "";
        if (name.Length == 0)
        {
            errors["name"] = ["Name the webhook, e.g. \"Ops channel\"."];
        }
        else if (name.Length > Webhook.MaxNameLength)
        {
            errors["name"] = [$"A name has at most {Webhook.MaxNameLength} characters."];
        }

        Uri? url = null;
        if (string.IsNullOrWhiteSpace(input.Url))
        {
            errors["url"] = ["Enter the URL that receives the posts, e.g. https://hooks.example.com/agentconsole."];
        }
        else if (!Uri.TryCreate(input.Url.Trim(), UriKind.Absolute, out url) || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp) || string.IsNullOrEmpty(url.Host))
        {
            errors["url"] = ["Enter a full web address starting with https://."];
        }
        else if (url.Scheme == Uri.UriSchemeHttp && !options.Value.AllowHttpWebhooks)
        {
            errors["url"] = ["Use an https:// address: posts carry your decisions' details, and plain http is allowed only in Development."];
        }
        else if (input.Url.Trim().Length > Webhook.MaxUrlLength)
        {
            errors["url"] = [$"A URL has at most {Webhook.MaxUrlLength} characters."];
        }

        if ((secretRequired || !string.IsNullOrWhiteSpace(input.Secret)) && KeyOf(input.Secret?.Trim()) is null)
        {
            errors["secret"] = [string.IsNullOrWhiteSpace(input.Secret)
                ? "Enter the signing secret the receiver checks signatures with (or generate one)."
                : "A signing secret is whsec_ followed by 24 to 64 random bytes in base64, e.g. one generated here."];
        }

        var (kinds, unknown) = NotificationKinds.Parse(input.Kinds);
        if (unknown.Count > 0 || kinds.Any(k => !NotificationKinds.Deliverable.Contains(k)))
        {
            errors["kinds"] = [$"Choose among {string.Join(", ", NotificationKinds.Deliverable)}."];
        }
        else if (kinds.Count == 0)
        {
            errors["kinds"] = ["Choose at least one kind of notification to post."];
        }

        if (errors.Count > 0)
        {
            throw DomainException.Invalid("webhook.invalid", "The webhook was not saved: " + string.Join(" ", errors.SelectMany(e => e.Value)), errors);
        }

        return (name, url!, kinds);
    }

    private static async Task<Webhook> FindAsync(AgentConsoleDbContext db, Guid id, CancellationToken cancellationToken) =>
        await db.Webhooks.SingleOrDefaultAsync(w => w.Id == id && w.RemovedAt == null, cancellationToken)
            ?? throw DomainException.NotFound("webhook.not-found", "This webhook does not exist.");

    private static async Task SaveAsync(AgentConsoleDbContext db, CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            throw DomainException.Conflict("webhook.changed", "Your change was not saved: another admin changed or removed this webhook a moment ago. Look again.");
        }
    }

    private static object Snapshot(Webhook w) => new { name = w.Name, target = w.Target, kinds = w.KindsCsv, active = w.IsActive, removed = w.RemovedAt is not null };

    private static void RequireAdmin(Actor actor)
    {
        if (!actor.Can(Permissions.Administer))
        {
            throw DomainException.Forbidden("webhook.admin-only", "Only admins configure webhooks.");
        }
    }
}
