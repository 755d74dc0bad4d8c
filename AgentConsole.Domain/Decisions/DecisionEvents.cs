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
}

/// <summary>Raised after a state change is committed; never before.</summary>
/// <param name="QueueId">The queue it is in now (after an escalation, the new one).</param>
/// <param name="PreviousQueueId">The queue it left, for escalations.</param>
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

/// <summary>
/// In-process publish/subscribe for decision events. Consoles (Blazor circuits) and the SignalR
/// forwarder subscribe; a cross-node fan-out can subscribe and deliver events from other nodes.
/// A failing subscriber never fails the operation that raised the event.
/// </summary>
public sealed class DecisionEventBus(ILogger<DecisionEventBus> logger)
{
    private readonly Lock _gate = new();
    private Func<DecisionEvent, Task>[] _handlers = [];

    public IDisposable Subscribe(Func<DecisionEvent, Task> handler)
    {
        lock (_gate)
        {
            _handlers = [.. _handlers, handler];
        }

        return new Subscription(this, handler);
    }

    public async Task PublishAsync(DecisionEvent e)
    {
        foreach (var handler in _handlers)
        {
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

    public async Task PublishAsync(IEnumerable<DecisionEvent> events)
    {
        foreach (var e in events)
        {
            await PublishAsync(e);
        }
    }

    private void Unsubscribe(Func<DecisionEvent, Task> handler)
    {
        lock (_gate)
        {
            _handlers = _handlers.Where(h => h != handler).ToArray();
        }
    }

    private sealed class Subscription(DecisionEventBus bus, Func<DecisionEvent, Task> handler) : IDisposable
    {
        public void Dispose() => bus.Unsubscribe(handler);
    }
}
