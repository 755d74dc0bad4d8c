using Microsoft.Extensions.Logging;

namespace AgentConsole.Domain.Decisions;

/// <summary>What happened to a decision, as live consoles and SignalR clients see it.</summary>
public enum DecisionEventKind
{
    Queued,
    Claimed,
    Released,
    Resolved,
    Escalated,
    AutoApproved,
    Blocked,
    Executed,
    ExecutionFailed,
    /// <summary>The SLA ladder warned: the item is about to breach.</summary>
    SlaWarned,
    /// <summary>A senior operator assigned it to a person.</summary>
    Assigned,
}

/// <summary>Raised after a state change is committed; never before.</summary>
/// <param name="QueueId">The queue it is in now (after an escalation, the new one).</param>
/// <param name="PreviousQueueId">The queue it left, for escalations.</param>
/// <param name="At">When the change was committed.</param>
public sealed record DecisionEvent(
    Guid TenantId,
    Guid DecisionId,
    Guid? QueueId,
    Guid? PreviousQueueId,
    DecisionEventKind Kind,
    DecisionStatus Status,
    int Version,
    string? ActorName,
    DateTimeOffset At);

/// <summary>Which decision events a subscriber receives.</summary>
public enum EventScope
{
    /// <summary>Every event, whichever node committed it: what live consoles follow.</summary>
    All,

    /// <summary>Events committed by this process: what a cross-node fan-out sends to the other nodes.</summary>
    CommittedHere,

    /// <summary>Events this node pushes to its SignalR clients: its own, and those of other nodes it was chosen to relay.</summary>
    Push,
}

/// <summary>
/// Publish/subscribe for decision events inside one process. Services publish what they commit;
/// a cross-node fan-out delivers events committed on other nodes, and asks followers to resync
/// from the database when events may have been missed. A failing subscriber never fails the
/// operation that raised the event.
/// </summary>
public sealed class DecisionEventBus(ILogger<DecisionEventBus> logger)
{
    private readonly Lock _gate = new();
    private (Func<DecisionEvent, Task> Handler, EventScope Scope)[] _handlers = [];
    private Func<Task>[] _resyncHandlers = [];

    /// <summary>True when something in this process pushes events to SignalR clients.</summary>
    public bool HasPushSubscribers => _handlers.Any(h => h.Scope == EventScope.Push);

    public IDisposable Subscribe(Func<DecisionEvent, Task> handler, EventScope scope = EventScope.All)
    {
        var entry = (handler, scope);
        lock (_gate)
        {
            _handlers = [.. _handlers, entry];
        }

        return new Subscription(() =>
        {
            lock (_gate)
            {
                _handlers = _handlers.Where(h => h != entry).ToArray();
            }
        });
    }

    /// <summary>Called when events may have been missed (e.g. a link to other nodes came back): reload from the database.</summary>
    public IDisposable SubscribeResync(Func<Task> handler)
    {
        lock (_gate)
        {
            _resyncHandlers = [.. _resyncHandlers, handler];
        }

        return new Subscription(() =>
        {
            lock (_gate)
            {
                _resyncHandlers = _resyncHandlers.Where(h => h != handler).ToArray();
            }
        });
    }

    /// <summary>An event committed by this process.</summary>
    public Task PublishAsync(DecisionEvent e) => DispatchAsync(e, _ => true);

    public async Task PublishAsync(IEnumerable<DecisionEvent> events)
    {
        foreach (var e in events)
        {
            await PublishAsync(e);
        }
    }

    /// <summary>An event committed on another node; <paramref name="push"/> when this node was chosen to push it to SignalR clients.</summary>
    public Task DeliverRelayedAsync(DecisionEvent e, bool push) =>
        DispatchAsync(e, scope => scope == EventScope.All || (push && scope == EventScope.Push));

    /// <summary>Asks every follower to reload its view from the database.</summary>
    public async Task ResyncAsync()
    {
        foreach (var handler in _resyncHandlers)
        {
            try
            {
                await handler();
            }
            catch (Exception ex)
            {
                logger.LogWarning(ex, "A subscriber failed to resync");
            }
        }
    }

    private async Task DispatchAsync(DecisionEvent e, Func<EventScope, bool> receives)
    {
        foreach (var (handler, scope) in _handlers)
        {
            if (!receives(scope))
            {
                continue;
            }

            try
            {
                await handler(e);
            }
            catch (Exception ex)
            {
                logger.LogWarning(ex, "A subscriber failed on {Kind} of decision {DecisionId}", e.Kind, e.DecisionId);
            }
        }
    }

    private sealed class Subscription(Action unsubscribe) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                unsubscribe();
            }
        }
    }
}
