using AgentConsole.Domain.Notifications.Sending;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace AgentConsole.Domain.Notifications;

public static class NotificationsRegistration
{
    /// <summary>Notifications, their inbox, webhooks, the delivery log and the delivery outbox's sender (section <c>Notifications</c>).</summary>
    public static IHostApplicationBuilder AddNotifications(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        var development = builder.Environment.IsDevelopment();
        services.AddOptions<NotificationOptions>()
            .Configure(o => o.AllowHttpWebhooks = development)
            .BindConfiguration(NotificationOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<NotificationWriter>();
        services.AddScoped<NotificationInbox>();
        services.AddScoped<WebhookAdministration>();
        services.AddScoped<DeliveryLog>();
        services.AddSingleton<NotificationRetention>();
        services.AddSingleton<EmailSender>();
        services.AddSingleton<WebhookSender>();
        services.AddSingleton<DeliveryDispatcher>();
        return builder;
    }
}
