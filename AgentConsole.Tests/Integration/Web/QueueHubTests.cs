using System.Net.Http.Json;
using System.Threading.Channels;
using AgentConsole.Tests.Infrastructure;
using AgentConsole.Web.Queues;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace AgentConsole.Tests.Integration.Web;

[Collection(ConsoleWebCollection.Name)]
public sealed class QueueHubTests(ConsoleWebFixture fixture)
{
    private ConsoleFactory Factory => fixture.Factory;

    private Task<HubConnection> ConnectAsync(string userName) => Factory.ConnectToQueueHubAsync(userName);

    [Fact]
    public async Task QueueSubscriber_ReceivesArrivalAndResolution()
    {
        var messages = Channel.CreateUnbounded<DecisionChangedMessage>();
        await using var connection = await ConnectAsync("operator");
        connection.On<DecisionChangedMessage>(QueueHub.DecisionChanged, m => messages.Writer.TryWrite(m));
        await connection.InvokeAsync("SubscribeQueue", ConsoleFactory.QueueId("pricing-t1"));

        var decision = await Factory.ProposeAsync(TestCases.UncertainPricing("Hub Arrival SA"));
        var queued = await NextAsync(messages, m => m.DecisionId == decision.Id);
        var client = await Factory.SignInAsync("operator2");
        (await client.PostAsJsonAsync(new Uri($"/api/decisions/{decision.Id}/approve", UriKind.Relative), new { reason = "fine" })).EnsureSuccessStatusCode();
        var resolved = await NextAsync(messages, m => m.DecisionId == decision.Id && m.Kind == "Resolved");

        Assert.Equal("Queued", queued.Kind);
        Assert.Equal("Approved", resolved.Status);
        Assert.Equal("Omar Operator", resolved.Actor);
    }

    [Fact]
    public async Task TenantSubscriber_DoesNotReceiveAnotherTenantsEvents()
    {
        var messages = Channel.CreateUnbounded<DecisionChangedMessage>();
        await using var fabrikam = await ConnectAsync("fabrikam");
        fabrikam.On<DecisionChangedMessage>(QueueHub.DecisionChanged, m => messages.Writer.TryWrite(m));
        await fabrikam.InvokeAsync("SubscribeTenant");

        var contoso = await Factory.ProposeAsync(TestCases.UncertainPricing("Contoso Only"));
        var own = await Factory.ProposeAsync(TestCases.UncertainPricing("Fabrikam Own"), tenantId: Domain.Tenancy.DemoData.FabrikamId);

        var received = await NextAsync(messages, m => m.DecisionId == own.Id);
        Assert.Equal(own.Id, received.DecisionId);
        while (messages.Reader.TryRead(out var other))
        {
            Assert.NotEqual(contoso.Id, other.DecisionId);
        }
    }

    [Fact]
    public async Task SubscribeQueue_OfAnotherTenant_IsRefused()
    {
        await using var connection = await ConnectAsync("fabrikam");

        var error = await Assert.ThrowsAsync<HubException>(() => connection.InvokeAsync("SubscribeQueue", ConsoleFactory.QueueId("pricing-t1")));

        Assert.Contains("does not exist", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Connect_IsRefused_WhenSignedOut()
    {
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(Factory.Server.BaseAddress, QueueHub.Path), options =>
            {
                options.HttpMessageHandlerFactory = _ => Factory.Server.CreateHandler();
                options.Transports = HttpTransportType.LongPolling;
            })
            .Build();

        await Assert.ThrowsAsync<HttpRequestException>(() => connection.StartAsync());
        await connection.DisposeAsync();
    }

    private static async Task<DecisionChangedMessage> NextAsync(Channel<DecisionChangedMessage> messages, Func<DecisionChangedMessage, bool> match)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (true)
        {
            var message = await messages.Reader.ReadAsync(timeout.Token);
            if (match(message))
            {
                return message;
            }
        }
    }
}
