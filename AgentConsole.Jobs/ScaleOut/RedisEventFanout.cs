using System.Text.Json;
using AgentConsole.Domain.Decisions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace AgentConsole.Jobs.ScaleOut;

/// <summary>
/// Carries decision events between nodes over one Redis channel. Every node publishes what it
/// commits; every node delivers what the others committed to its own consoles. An event committed
/// on a node without SignalR clients (a worker) is pushed to SignalR by exactly one web node, the
/// first to claim it; the SignalR backplane then reaches clients on every node. When the link to
/// Redis comes back after an outage, followers reload from the database (events may have been missed).
/// </summary>
internal sealed class RedisEventFanout(
    RedisConnection redis,
    DecisionEventBus bus,
    IOptions<ScaleOutOptions> options,
    ILogger<RedisEventFanout> logger) : IHostedService
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly string _prefix = options.Value.ChannelPrefix;
    private IDisposable? _outbound;
    private ChannelMessageQueue? _inbound;

    private RedisChannel Channel => RedisChannel.Literal($"{_prefix}:decision-events");

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var multiplexer = await redis.GetAsync();
        _inbound = await multiplexer.GetSubscriber().SubscribeAsync(Channel);
        _inbound.OnMessage(ReceiveAsync);
        _outbound = bus.Subscribe(SendAsync, EventScope.CommittedHere);
        redis.Restored += OnRestored;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        redis.Restored -= OnRestored;
        _outbound?.Dispose();
        if (_inbound is { } inbound)
        {
            await inbound.UnsubscribeAsync();
        }
    }

    private async Task SendAsync(DecisionEvent e)
    {
        var envelope = new Envelope(Guid.NewGuid(), redis.NodeId, bus.HasPushSubscribers, e);
        var multiplexer = await redis.GetAsync();

        // Never hold up the commit that raised the event: Redis queues the message while it reconnects.
        await multiplexer.GetSubscriber().PublishAsync(Channel, JsonSerializer.Serialize(envelope, Json), CommandFlags.FireAndForget);
    }

    private async Task ReceiveAsync(ChannelMessage message)
    {
        try
        {
            var envelope = JsonSerializer.Deserialize<Envelope>((string)message.Message!, Json);
            if (envelope is null || envelope.Node == redis.NodeId)
            {
                return;
            }

            var push = !envelope.OriginPushes && bus.HasPushSubscribers && await ClaimAsync(envelope.Id);
            await bus.DeliverRelayedAsync(envelope.Event, push);
        }
        catch (Exception ex) when (ex is JsonException or RedisException or TimeoutException)
        {
            logger.LogWarning(ex, "A decision event from another node could not be delivered");
        }
    }

    private async Task<bool> ClaimAsync(Guid eventId)
    {
        var multiplexer = await redis.GetAsync();
        return await multiplexer.GetDatabase().StringSetAsync($"{_prefix}:pushed:{eventId:N}", redis.NodeId, TimeSpan.FromMinutes(5), When.NotExists);
    }

    private void OnRestored() => _ = bus.ResyncAsync();

    /// <summary>One event on the wire: who committed it and whether that node pushes it to its SignalR clients itself.</summary>
    private sealed record Envelope(Guid Id, string Node, bool OriginPushes, DecisionEvent Event);
}
