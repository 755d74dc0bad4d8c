using System.Threading.Channels;
using AgentConsole.Tests.Infrastructure;
using AgentConsole.Web.Queues;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Playwright;

namespace AgentConsole.Tests.MultiNode;

[CollectionDefinition(Name)]
public sealed class MultiNodeCollection : ICollectionFixture<NodeCluster>
{
    public const string Name = "multi-node";
}

/// <summary>Two web nodes, a worker, PostgreSQL and Redis (see <see cref="Cluster"/>), and a browser to watch the consoles.</summary>
public sealed class NodeCluster : IAsyncLifetime
{
    private Cluster? _cluster;
    private IPlaywright? _playwright;

    public NodeProcess Web1 => _cluster!.WebNodes[0];

    public NodeProcess Web2 => _cluster!.WebNodes[1];

    public IBrowser Browser { get; private set; } = default!;

    public async Task InitializeAsync()
    {
        _cluster = await Cluster.StartAsync(webNodes: 2);

        // Fresh processes compile their pages on first use; do it before the tests' clocks run.
        foreach (var node in _cluster.WebNodes)
        {
            using var client = await NodeClients.SignedInClientAsync(node, "operator");
            (await client.GetAsync(new Uri($"/queues/{ConsoleFactory.QueueId("pricing-t1")}", UriKind.Relative))).Dispose();
        }
        _playwright = await Playwright.CreateAsync();
        Browser = await Chromium.LaunchAsync(_playwright);
    }

    /// <summary>A SignalR client of a web node, subscribed to its tenant's events; every message lands in the returned channel.</summary>
    public static async Task<(HubConnection Hub, Channel<DecisionChangedMessage> Messages)> SubscribeAsync(NodeProcess node, string userName)
    {
        var messages = Channel.CreateUnbounded<DecisionChangedMessage>();
        var hub = await NodeClients.SubscribeAsync(node, userName, (m, _) => messages.Writer.TryWrite(m));
        return (hub, messages);
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }
}
