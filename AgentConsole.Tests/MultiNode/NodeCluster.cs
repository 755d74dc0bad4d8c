using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using AgentConsole.Tests.Infrastructure;
using AgentConsole.Web.Agents;
using AgentConsole.Web.Queues;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Playwright;

namespace AgentConsole.Tests.MultiNode;

[CollectionDefinition(Name)]
public sealed class MultiNodeCollection : ICollectionFixture<NodeCluster>
{
    public const string Name = "multi-node";
}

/// <summary>
/// A scaled-out installation on loopback: one worker and two web nodes as separate processes,
/// sharing a fresh PostgreSQL database (domain data and Hangfire) and the local Redis (own channel prefix).
/// </summary>
public sealed class NodeCluster : IAsyncLifetime
{
    private readonly string _directory = TestPaths.NewDirectory("cluster");
    private IPlaywright? _playwright;

    public TestDatabase Database { get; private set; } = default!;

    public NodeProcess Worker { get; private set; } = default!;

    public NodeProcess Web1 { get; private set; } = default!;

    public NodeProcess Web2 { get; private set; } = default!;

    public IBrowser Browser { get; private set; } = default!;

    public static string Redis { get; } = Environment.GetEnvironmentVariable("AGENTCONSOLE_TEST_REDIS") is { Length: > 0 } r ? r : "127.0.0.1:6379";

    public string ChannelPrefix { get; } = $"test-{Guid.NewGuid():N}";

    public async Task InitializeAsync()
    {
        Database = await TestDatabase.CreateAsync(TestEngine.PostgreSql, _directory);

        // The worker migrates and seeds first; the web nodes then find the schema current.
        Worker = NodeProcess.StartWorker("worker", Settings(runsJobs: true));
        await Worker.WaitUntilReadyAsync(TimeSpan.FromSeconds(90));
        Web1 = NodeProcess.StartWeb("web-1", Settings(runsJobs: false));
        Web2 = NodeProcess.StartWeb("web-2", Settings(runsJobs: false));
        await Task.WhenAll(Web1.WaitUntilReadyAsync(TimeSpan.FromSeconds(90)), Web2.WaitUntilReadyAsync(TimeSpan.FromSeconds(90)));

        _playwright = await Playwright.CreateAsync();
        Browser = await Chromium.LaunchAsync(_playwright);
    }

    public Dictionary<string, string?> Settings(bool runsJobs) => new(Database.Settings)
    {
        ["Jobs:Storage"] = "PostgreSql",
        ["Jobs:ConnectionString"] = "",
        ["Jobs:RunServer"] = runsJobs ? "true" : "false",
        ["Jobs:PollIntervalMilliseconds"] = "200",
        ["ScaleOut:Redis"] = Redis,
        ["ScaleOut:ChannelPrefix"] = ChannelPrefix,
        ["Demo:Feed"] = "false",
        ["Execution:FailureRate"] = "0",
        ["Execution:LostAnswerRate"] = "0",
        ["Logging:LogLevel:Default"] = "Warning",
        ["Logging:LogLevel:AgentConsole"] = "Information",
    };

    /// <summary>An API client of a web node, signed in as a demo user (cookies kept).</summary>
    public static async Task<HttpClient> SignedInClientAsync(NodeProcess node, string userName)
    {
        var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true }) { BaseAddress = node.Address };
        (await DemoSignIn.PostAsync(client, userName)).Dispose();
        return client;
    }

    /// <summary>A SignalR client of a web node, subscribed to its tenant's events; every message lands in the returned channel.</summary>
    public static async Task<(HubConnection Hub, Channel<DecisionChangedMessage> Messages)> SubscribeAsync(NodeProcess node, string userName)
    {
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = node.Address };
        var cookie = await DemoSignIn.AuthCookieAsync(http, userName);
        var hub = new HubConnectionBuilder()
            .WithUrl(new Uri(node.Address!, QueueHub.Path), o =>
            {
                o.Headers["Cookie"] = cookie;
                o.Transports = HttpTransportType.WebSockets;
            })
            .Build();
        var messages = Channel.CreateUnbounded<DecisionChangedMessage>();
        hub.On<DecisionChangedMessage>(QueueHub.DecisionChanged, m => messages.Writer.TryWrite(m));
        await hub.StartAsync();
        await hub.InvokeAsync("SubscribeTenant");
        return (hub, messages);
    }

    /// <summary>Sends a case to an agent through a web node's API and waits until the worker has proposed its decision.</summary>
    public static async Task<Guid> SubmitAndWaitForDecisionAsync(HttpClient admin, (string Subject, JsonObject Inputs, JsonObject Truth) c, string agentKey = "pricing")
    {
        using var response = await admin.PostAsJsonAsync(new Uri($"/api/agents/{agentKey}/runs", UriKind.Relative), new { subject = c.Subject, inputs = c.Inputs });
        response.EnsureSuccessStatusCode();
        var run = (await response.Content.ReadFromJsonAsync<RunResponse>())!;
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            var current = await admin.GetFromJsonAsync<RunResponse>(new Uri($"/api/runs/{run.Id}", UriKind.Relative));
            if (current!.DecisionId is { } decisionId)
            {
                return decisionId;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"Run {run.Id} proposed no decision within 30 s.");
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
        foreach (var node in new[] { Web1, Web2, Worker })
        {
            if (node is not null)
            {
                await node.DisposeAsync();
            }
        }

        if (Database is not null)
        {
            await Database.DisposeAsync();
        }

        TestPaths.TryDelete(_directory);
    }
}
