using System.Threading.Channels;
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
/// Pushing runs on its own loop, in order: a slow or unreachable backplane never holds up the
/// operation that raised the event.
/// </summary>
internal sealed class QueueEventForwarder(DecisionEventBus events, IHubContext<QueueHub> hub, ILogger<QueueEventForwarder> logger) : BackgroundService
{
    private readonly Channel<DecisionEvent?> _pending = Channel.CreateBounded<DecisionEvent?>(
        new BoundedChannelOptions(10_000) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var subscription = events.Subscribe(e => Enqueue(e), EventScope.Push);
        using var resync = events.SubscribeResync(() => Enqueue(null));
        await foreach (var e in _pending.Reader.ReadAllAsync(stoppingToken))
        {
            try
            {
                await (e is null ? hub.Clients.All.SendAsync(QueueHub.Resync, stoppingToken) : ForwardAsync(e, stoppingToken));
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning(ex, "Pushing {Event} to SignalR clients failed", e?.Kind.ToString() ?? "a resync");
            }
        }
    }

    // A null entry asks clients to reload.
    private Task Enqueue(DecisionEvent? e)
    {
        _pending.Writer.TryWrite(e);
        return Task.CompletedTask;
    }

    private Task ForwardAsync(DecisionEvent e, CancellationToken cancellationToken)
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
        return Task.WhenAll(groups.Select(g => hub.Clients.Group(g).SendAsync(QueueHub.DecisionChanged, message, cancellationToken)));
    }
}
