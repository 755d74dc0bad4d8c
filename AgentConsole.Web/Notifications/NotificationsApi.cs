using AgentConsole.Domain.Notifications;
using AgentConsole.Web.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AgentConsole.Web.Notifications;

/// <summary>Which kinds also go by e-mail, by name (e.g. <c>["Assigned", "SlaWarning"]</c>); none switches e-mail off.</summary>
public sealed record NotificationSettingsRequest(IReadOnlyList<string>? EmailKinds);

/// <summary>How many notifications were marked read.</summary>
public sealed record MarkedResponse(int Marked);

/// <summary>
/// Each signed-in person's notifications and e-mail choices (their own only), and for admins the tenant's webhooks and
/// the delivery log (never a secret).
/// </summary>
public static class NotificationsApi
{
    public static RouteGroupBuilder MapNotificationsApi(this IEndpointRouteBuilder endpoints)
    {
        var mine = endpoints.MapGroup("/api/notifications").RequireAuthorization().AddEndpointFilter<DomainProblemFilter>().DisableAntiforgery();
        mine.MapGet("/", ListAsync);
        mine.MapPost("/{notificationId:guid}/read", ReadAsync);
        mine.MapPost("/read-all", ReadAllAsync);
        mine.MapGet("/settings", SettingsAsync);
        mine.MapPut("/settings", SaveSettingsAsync);

        var admin = endpoints.MapApiGroup("/api/admin/notifications", Permissions.Administer);
        admin.MapGet("/webhooks", WebhooksAsync);
        admin.MapPost("/webhooks", CreateWebhookAsync);
        admin.MapPut("/webhooks/{webhookId:guid}", ChangeWebhookAsync);
        admin.MapDelete("/webhooks/{webhookId:guid}", RemoveWebhookAsync);
        admin.MapGet("/deliveries", DeliveriesAsync);
        return mine;
    }

    /// <summary>The caller's notifications, newest first (<c>page</c> from 1, <c>pageSize</c> up to 100), with what is new in their queues.</summary>
    public static async Task<Ok<NotificationPage>> ListAsync(int? page, int? pageSize, HttpContext http, NotificationInbox inbox, CancellationToken cancellationToken)
    {
        http.Response.Headers.CacheControl = "no-store";
        return TypedResults.Ok(await inbox.PageAsync(http.Actor(), page ?? 1, pageSize ?? 25, cancellationToken));
    }

    /// <summary>Marks one notification read; a queue's id marks what arrived there as seen. 404 for anything not the caller's.</summary>
    public static async Task<NoContent> ReadAsync(Guid notificationId, HttpContext http, NotificationInbox inbox, CancellationToken cancellationToken)
    {
        await inbox.MarkReadAsync(http.Actor(), notificationId, cancellationToken);
        return TypedResults.NoContent();
    }

    public static async Task<Ok<MarkedResponse>> ReadAllAsync(HttpContext http, NotificationInbox inbox, CancellationToken cancellationToken) =>
        TypedResults.Ok(new MarkedResponse(await inbox.MarkAllReadAsync(http.Actor(), cancellationToken)));

    public static async Task<Ok<NotificationSettings>> SettingsAsync(HttpContext http, NotificationInbox inbox, CancellationToken cancellationToken) =>
        TypedResults.Ok(await inbox.SettingsAsync(http.Actor(), cancellationToken));

    /// <summary>400 for an unknown kind, a kind the caller never gets, or any kind while e-mail is switched off or they have no address.</summary>
    public static async Task<Ok<NotificationSettings>> SaveSettingsAsync(NotificationSettingsRequest request, HttpContext http, NotificationInbox inbox, CancellationToken cancellationToken) =>
        TypedResults.Ok(await inbox.SaveSettingsAsync(http.Actor(), request.EmailKinds, cancellationToken));

    public static async Task<Ok<IReadOnlyList<WebhookView>>> WebhooksAsync(HttpContext http, WebhookAdministration webhooks, CancellationToken cancellationToken) =>
        TypedResults.Ok(await webhooks.ListAsync(http.Actor(), cancellationToken));

    /// <summary>Adds a webhook; 400 per field (name, url — https outside Development —, secret as <c>whsec_…</c>, kinds).</summary>
    public static async Task<Created<WebhookView>> CreateWebhookAsync(WebhookInput request, HttpContext http, WebhookAdministration webhooks, CancellationToken cancellationToken)
    {
        var created = await webhooks.CreateAsync(http.Actor(), request, cancellationToken);
        return TypedResults.Created($"/api/admin/notifications/webhooks/{created.Id}", created);
    }

    /// <summary>Changes a webhook; a blank secret keeps the current one. 404 for one not of the caller's tenant.</summary>
    public static async Task<Ok<WebhookView>> ChangeWebhookAsync(Guid webhookId, WebhookInput request, HttpContext http, WebhookAdministration webhooks, CancellationToken cancellationToken) =>
        TypedResults.Ok(await webhooks.ChangeAsync(http.Actor(), webhookId, request, cancellationToken));

    /// <summary>Removes a webhook: it receives nothing more; its deliveries stay in the log.</summary>
    public static async Task<NoContent> RemoveWebhookAsync(Guid webhookId, HttpContext http, WebhookAdministration webhooks, CancellationToken cancellationToken)
    {
        await webhooks.RemoveAsync(http.Actor(), webhookId, cancellationToken);
        return TypedResults.NoContent();
    }

    /// <summary>The delivery log, newest first; <c>status</c> is Pending, Sending, Sent or Failed.</summary>
    public static async Task<Ok<DeliveryLogPage>> DeliveriesAsync(int? page, int? pageSize, string? status, HttpContext http, DeliveryLog log, CancellationToken cancellationToken)
    {
        DeliveryStatus? wanted = null;
        if (!string.IsNullOrWhiteSpace(status))
        {
            wanted = Enum.TryParse<DeliveryStatus>(status.Trim(), ignoreCase: true, out var parsed) && Enum.IsDefined(parsed) && !int.TryParse(status, out _)
                ? parsed
                : throw DomainException.Invalid("deliveries.status", $"'{status}' is not a delivery status: use Pending, Sending, Sent or Failed.",
                    new Dictionary<string, string[]> { ["status"] = ["Use Pending, Sending, Sent or Failed."] });
        }

        return TypedResults.Ok(await log.PageAsync(http.Actor(), page ?? 1, pageSize ?? 50, wanted, cancellationToken));
    }
}
