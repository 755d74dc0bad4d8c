using AgentConsole.Web.Queues;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;

namespace AgentConsole.Web.Hosting.Security;

/// <summary>
/// The limits of the console's live connections, set explicitly from <see cref="CircuitLimitOptions"/> and
/// <see cref="HubLimitOptions"/> rather than left to framework defaults: Blazor circuits, and the two SignalR hubs
/// (Blazor's and the queue hub). A message over its hub's size limit, or one that cannot be read, closes that
/// connection only.
/// </summary>
public static class ConnectionLimits
{
    /// <summary>Circuit limits and the Blazor hub's limits.</summary>
    public static IServerSideBlazorBuilder AddCircuitLimits(this IServerSideBlazorBuilder blazor)
    {
        blazor.Services.AddOptions<CircuitOptions>().Configure<IOptions<CircuitLimitOptions>>((o, limits) =>
        {
            var circuits = limits.Value;
            o.DisconnectedCircuitMaxRetained = circuits.DisconnectedCircuitMaxRetained;
            o.DisconnectedCircuitRetentionPeriod = TimeSpan.FromSeconds(circuits.DisconnectedCircuitRetentionSeconds);
            o.JSInteropDefaultCallTimeout = TimeSpan.FromSeconds(circuits.JSInteropTimeoutSeconds);
            o.MaxBufferedUnacknowledgedRenderBatches = circuits.MaxBufferedUnacknowledgedRenderBatches;
        });

        // Blazor's hub type is internal; its options start as a copy of the global hub options (Blazor only picks its
        // protocol), so the global options carry the Blazor hub's limits.
        blazor.Services.AddOptions<HubOptions>().Configure<IOptions<HubLimitOptions>>((o, limits) =>
            Apply(o, limits.Value, limits.Value.BlazorMaximumReceiveMessageBytes));
        return blazor;
    }

    /// <summary>The queue hub's limits.</summary>
    public static ISignalRServerBuilder AddQueueHubLimits(this ISignalRServerBuilder signalR)
    {
        // AddHubOptions makes the hub's options its own (its handler then reads them, not the global ones).
        signalR.AddHubOptions<QueueHub>(_ => { });
        signalR.Services.AddOptions<HubOptions<QueueHub>>().Configure<IOptions<HubLimitOptions>>((o, limits) =>
            Apply(o, limits.Value, limits.Value.QueueHubMaximumReceiveMessageBytes));
        return signalR;
    }

    private static void Apply(HubOptions hub, HubLimitOptions limits, int maximumReceiveMessageBytes)
    {
        hub.MaximumReceiveMessageSize = maximumReceiveMessageBytes;
        hub.MaximumParallelInvocationsPerClient = limits.MaximumParallelInvocationsPerClient;
        hub.KeepAliveInterval = TimeSpan.FromSeconds(limits.KeepAliveSeconds);
        hub.ClientTimeoutInterval = TimeSpan.FromSeconds(limits.ClientTimeoutSeconds);
        hub.HandshakeTimeout = TimeSpan.FromSeconds(limits.HandshakeTimeoutSeconds);
        hub.EnableDetailedErrors = false;
    }
}
