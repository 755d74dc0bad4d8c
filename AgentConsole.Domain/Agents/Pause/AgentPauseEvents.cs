using Microsoft.Extensions.Logging;

namespace AgentConsole.Domain.Agents.Pause;

/// <summary>An agent was paused or resumed; raised after the commit, never before.</summary>
/// <param name="ByBreaker">The circuit breaker paused it (the seniors are alerted).</param>
public sealed record AgentPauseEvent(Guid TenantId, Guid AgentId, string AgentName, bool Paused, bool ByBreaker, string Reason, string ActorName, DateTimeOffset At);

/// <summary>Publish/subscribe for pauses inside one process: open consoles show a breaker's alert without a reload.</summary>
public sealed class AgentPauseEvents(ILogger<AgentPauseEvents> logger)
{
    private readonly Lock _gate = new();
    private Func<AgentPauseEvent, Task>[] _handlers = [];

    public IDisposable Subscribe(Func<AgentPauseEvent, Task> handler)
    {
        lock (_gate)
        {
            _handlers = [.. _handlers, handler];
        }

        return new Subscription(() =>
        {
            lock (_gate)
            {
                _handlers = [.. _handlers.Where(h => h != handler)];
            }
        });
    }

    /// <summary>A failing subscriber never fails the pause that raised the event.</summary>
    public async Task PublishAsync(AgentPauseEvent e)
    {
        foreach (var handler in _handlers)
        {
            try
            {
                await handler(e);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                logger.LogWarning(ex, "A subscriber failed on the pause event of agent {AgentId}", e.AgentId);
            }
        }
    }

    private sealed class Subscription(Action dispose) : IDisposable
    {
        private Action? _dispose = dispose;

        public void Dispose() => Interlocked.Exchange(ref _dispose, null)?.Invoke();
    }
}
