using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;

namespace AgentConsole.Web.Queues;

/// <summary>
/// Live queue events for any SignalR client at <c>/hubs/queues</c>. A client subscribes to its
/// tenant or to single queues of its tenant and receives <c>decisionChanged</c> messages. Its connections are known to
/// <see cref="QueueHubSessions"/>, which closes those whose account was disabled or changed.
/// </summary>
[Authorize(Policy = Permissions.ViewQueues)]
public sealed class QueueHub(QueueQueries queues, TenantContext tenant) : Hub
{
    public const string Path = "/hubs/queues";
    public const string DecisionChanged = "decisionChanged";

    /// <summary>Sent when this node may have missed events (e.g. after a Redis outage): reload what is shown.</summary>
    public const string Resync = "resync";

    public static string TenantGroup(Guid tenantId) => $"tenant:{tenantId:N}";

    public static string QueueGroup(Guid tenantId, Guid queueId) => $"queue:{tenantId:N}:{queueId:N}";

    /// <summary>Every event of the caller's tenant.</summary>
    public Task SubscribeTenant() => Groups.AddToGroupAsync(Context.ConnectionId, TenantGroup(Caller().TenantId));

    public Task UnsubscribeTenant() => Groups.RemoveFromGroupAsync(Context.ConnectionId, TenantGroup(Caller().TenantId));

    /// <summary>Events of one queue; refused for a queue the caller's tenant does not have.</summary>
    public async Task SubscribeQueue(Guid queueId)
    {
        var actor = Caller();
        tenant.Use(actor.TenantId);
        if (await queues.GetAsync(queueId, Context.ConnectionAborted) is null)
        {
            throw new HubException("This queue does not exist.");
        }

        await Groups.AddToGroupAsync(Context.ConnectionId, QueueGroup(actor.TenantId, queueId));
    }

    public Task UnsubscribeQueue(Guid queueId) => Groups.RemoveFromGroupAsync(Context.ConnectionId, QueueGroup(Caller().TenantId, queueId));

    private Actor Caller() => Context.User?.ToActor() ?? throw new HubException("Sign in to receive queue events.");
}
