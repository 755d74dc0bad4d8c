using Microsoft.AspNetCore.SignalR;

namespace AgentConsole.Web.Queues;

/// <summary>The message a SignalR client receives for each decision event.</summary>
public sealed record DecisionChangedMessage(Guid DecisionId, Guid? QueueId, Guid? PreviousQueueId, string Kind, string Status, int Version, string? Actor, DateTimeOffset At)
{
    public static DecisionChangedMessage From(DecisionEvent e) =>
        new(e.DecisionId, e.QueueId, e.PreviousQueueId, e.Kind.ToString(), e.Status.ToString(), e.Version, e.ActorName, e.At);
}

/// <summary>
/// Pushes decision events to the hub groups of their tenant and queues: the events this node
/// committed, and those of worker nodes it was chosen to relay. With the Redis backplane each
/// message reaches the group's clients on every web node. After a resync, clients are told to reload.
/// </summary>
internal sealed class QueueEventForwarder(DecisionEventBus events, IHubContext<QueueHub> hub) : IHostedService
{
    private IDisposable? _subscription;
    private IDisposable? _resync;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _subscription = events.Subscribe(ForwardAsync, EventScope.Push);
        _resync = events.SubscribeResync(() => hub.Clients.All.SendAsync(QueueHub.Resync));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _subscription?.Dispose();
        _resync?.Dispose();
        return Task.CompletedTask;
    }

    private Task ForwardAsync(DecisionEvent e)
    {
        var message = DecisionChangedMessage.From(e);
        var groups = new List<string> { QueueHub.TenantGroup(e.TenantId) };
        if (e.QueueId is { } queue)
        {
            groups.Add(QueueHub.QueueGroup(e.TenantId, queue));
        }

        if (e.PreviousQueueId is { } previous)
        {
            groups.Add(QueueHub.QueueGroup(e.TenantId, previous));
        }

        // A connection in both its tenant's group and a queue group receives the message once per subscription.
        return Task.WhenAll(groups.Select(g => hub.Clients.Group(g).SendAsync(QueueHub.DecisionChanged, message)));
    }
}
