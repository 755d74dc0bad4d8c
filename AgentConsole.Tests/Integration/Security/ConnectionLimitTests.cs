using System.Reflection;
using System.Threading.Channels;
using AgentConsole.Tests.Infrastructure;
using AgentConsole.Web.Queues;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AgentConsole.Tests.Integration.Security;

/// <summary>
/// The limits of the live connections are the configured ones; a queue hub message over the size limit, or one
/// that cannot be read, closes that connection only: it is subscribed to nothing, and other clients keep
/// receiving their events.
/// </summary>
public sealed class ConnectionLimitTests(ConnectionLimitTests.Host host) : IClassFixture<ConnectionLimitTests.Host>
{
    private ConsoleFactory Factory => host.Factory;

    [Fact]
    public void Limits_AreTheConfiguredOnes()
    {
        var queueHub = EffectiveHubOptions(typeof(QueueHub));
        var blazorHub = EffectiveHubOptions(typeof(CircuitOptions).Assembly.GetType("Microsoft.AspNetCore.Components.Server.ComponentHub", throwOnError: true)!);
        var circuits = Factory.Services.GetRequiredService<IOptions<CircuitOptions>>().Value;

        Assert.Equal(4096, queueHub.MaximumReceiveMessageSize);
        Assert.Equal(65536, blazorHub.MaximumReceiveMessageSize);
        foreach (var hub in new HubOptions[] { queueHub, blazorHub })
        {
            Assert.Equal(2, hub.MaximumParallelInvocationsPerClient);
            Assert.Equal(TimeSpan.FromSeconds(10), hub.KeepAliveInterval);
            Assert.Equal(TimeSpan.FromSeconds(40), hub.ClientTimeoutInterval);
            Assert.Equal(TimeSpan.FromSeconds(5), hub.HandshakeTimeout);
            Assert.False(hub.EnableDetailedErrors);
        }

        Assert.Equal(50, circuits.DisconnectedCircuitMaxRetained);
        Assert.Equal(TimeSpan.FromSeconds(120), circuits.DisconnectedCircuitRetentionPeriod);
        Assert.Equal(TimeSpan.FromSeconds(30), circuits.JSInteropDefaultCallTimeout);
        Assert.Equal(5, circuits.MaxBufferedUnacknowledgedRenderBatches);
    }

    [Fact]
    public async Task OversizedMessage_ClosesThatConnection_AndOthersKeepReceiving()
    {
        var messages = Channel.CreateUnbounded<DecisionChangedMessage>();
        await using var bystander = await Factory.ConnectToQueueHubAsync("operator2");
        bystander.On<DecisionChangedMessage>(QueueHub.DecisionChanged, m => messages.Writer.TryWrite(m));
        await bystander.InvokeAsync("SubscribeTenant");
        var offender = await Factory.ConnectToQueueHubAsync("operator");
        var closed = new TaskCompletionSource<Exception?>(TaskCreationOptions.RunContinuationsAsynchronously);
        offender.Closed += e => { closed.TrySetResult(e); return Task.CompletedTask; };

        var failed = await Record.ExceptionAsync(() => offender.InvokeAsync("SubscribeQueue", new string('x', 8 * 1024)));

        Assert.NotNull(failed);
        var reason = await closed.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Contains("closed with an error", reason?.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HubConnectionState.Disconnected, offender.State);
        var decision = await Factory.ProposeAsync(TestCases.UncertainPricing("Hub Limits Bystander AB"));
        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while ((await messages.Reader.ReadAsync(wait.Token)).DecisionId != decision.Id)
        {
        }

        await offender.DisposeAsync();
    }

    [Theory]
    [InlineData("""{"type":1,"target":"SubscribeTenant","arguments":[}""")]
    [InlineData("""not json at all""")]
    public async Task MalformedMessage_ClosesThatConnection(string malformed)
    {
        var socket = await HubSockets.OpenAsync(Factory, await Factory.AuthCookieAsync("operator"));

        await HubSockets.SendAsync(socket, malformed);

        var answer = await HubSockets.ReceiveAsync(socket);
        Assert.Contains("\"type\":7", answer, StringComparison.Ordinal); // SignalR's close message
        Assert.Contains("Connection closed with an error", answer, StringComparison.Ordinal);
        Assert.Null(await HubSockets.ReceiveAsync(socket));
        socket.Dispose();
    }

    /// <summary>The options a hub's connections get: its own when they were set for it, else the global ones (as SignalR decides).</summary>
    private HubOptions EffectiveHubOptions(Type hub)
    {
        var holder = Factory.Services.GetRequiredService(typeof(IOptions<>).MakeGenericType(typeof(HubOptions<>).MakeGenericType(hub)));
        var own = (HubOptions)holder.GetType().GetProperty(nameof(IOptions<HubOptions>.Value))!.GetValue(holder)!;
        var setForIt = (bool)own.GetType().GetProperty("UserHasSetValues", BindingFlags.Instance | BindingFlags.NonPublic)!.GetValue(own)!;
        return setForIt ? own : Factory.Services.GetRequiredService<IOptions<HubOptions>>().Value;
    }

    /// <summary>A console with every connection limit set away from its default.</summary>
    public sealed class Host() : ConsoleHost(new ConsoleFactory
    {
        Settings =
        {
            ["Security:Hubs:QueueHubMaximumReceiveMessageBytes"] = "4096",
            ["Security:Hubs:BlazorMaximumReceiveMessageBytes"] = "65536",
            ["Security:Hubs:MaximumParallelInvocationsPerClient"] = "2",
            ["Security:Hubs:KeepAliveSeconds"] = "10",
            ["Security:Hubs:ClientTimeoutSeconds"] = "40",
            ["Security:Hubs:HandshakeTimeoutSeconds"] = "5",
            ["Security:Circuits:DisconnectedCircuitMaxRetained"] = "50",
            ["Security:Circuits:DisconnectedCircuitRetentionSeconds"] = "120",
            ["Security:Circuits:JSInteropTimeoutSeconds"] = "30",
            ["Security:Circuits:MaxBufferedUnacknowledgedRenderBatches"] = "5",
        },
    });
}
