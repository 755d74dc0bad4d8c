using System.Net.Http.Json;
using System.Text.Json.Nodes;
using AgentConsole.Web.Pipelines;
using AgentConsole.Web.Queues;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;

namespace AgentConsole.Tests.Infrastructure;

/// <summary>
/// A scaled-out installation on loopback: one worker and web nodes as separate processes, sharing
/// a fresh PostgreSQL database (domain data and Hangfire) and the local Redis under their own prefix.
/// </summary>
public sealed class Cluster : IAsyncDisposable
{
    private readonly string _directory;
    private readonly IDictionary<string, string?> _extra;
    private readonly List<NodeProcess> _webNodes = [];

    private Cluster(string directory, TestDatabase database, IDictionary<string, string?> extra)
    {
        _directory = directory;
        Database = database;
        _extra = extra;
    }

    /// <summary>The Redis the nodes share: <c>AGENTCONSOLE_TEST_REDIS</c>, by default 127.0.0.1:6379.</summary>
    public static string Redis { get; } = Environment.GetEnvironmentVariable("AGENTCONSOLE_TEST_REDIS") is { Length: > 0 } r ? r : "127.0.0.1:6379";

    public TestDatabase Database { get; }

    public string ChannelPrefix { get; } = $"test-{Guid.NewGuid():N}";

    public NodeProcess Worker { get; private set; } = default!;

    public IReadOnlyList<NodeProcess> WebNodes => _webNodes;

    /// <summary>Starts the worker (it migrates and seeds first), then the web nodes, and waits until all are ready.</summary>
    public static async Task<Cluster> StartAsync(int webNodes = 2, IDictionary<string, string?>? extra = null)
    {
        var directory = TestPaths.NewDirectory("cluster");
        var cluster = new Cluster(directory, await TestDatabase.CreateAsync(TestEngine.PostgreSql, directory), extra ?? new Dictionary<string, string?>());
        try
        {
            await cluster.StartWorkerAsync();
            for (var i = 1; i <= webNodes; i++)
            {
                cluster._webNodes.Add(NodeProcess.StartWeb($"web-{i}", cluster.Settings(runsJobs: false)));
            }

            await Task.WhenAll(cluster._webNodes.Select(n => n.WaitUntilReadyAsync(TimeSpan.FromSeconds(90))));
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts a worker (again, e.g. after it was killed) and waits for its job server.</summary>
    public async Task StartWorkerAsync()
    {
        Worker = NodeProcess.StartWorker("worker", Settings(runsJobs: true));
        await Worker.WaitUntilReadyAsync(TimeSpan.FromSeconds(90));
    }

    public Dictionary<string, string?> Settings(bool runsJobs)
    {
        var settings = new Dictionary<string, string?>(Database.Settings)
        {
            ["Jobs:Storage"] = "PostgreSql",
            ["Jobs:ConnectionString"] = "",
            ["Jobs:RunServer"] = runsJobs ? "true" : "false",
            ["Jobs:PollIntervalMilliseconds"] = "200",
            ["ScaleOut:Redis"] = Redis,
            ["ScaleOut:ChannelPrefix"] = ChannelPrefix,
            ["Demo:Feed"] = "false",
            ["Calibration:SeedGoldItems"] = "false",
            ["Demo:HistoryDecisions"] = "0",
            ["Execution:FailureRate"] = "0",
            ["Execution:LostAnswerRate"] = "0",
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:AgentConsole"] = "Information",

            // Every node signs audit checkpoints with the same key, as a scaled-out installation configures it.
            ["Audit:CheckpointKey"] = TestKeys.CheckpointKey,
            ["Audit:CheckpointDirectory"] = Path.Combine(_directory, "checkpoints"),

            // And derives certificate codes with the same key, so a code checks alike on every node.
            ["Certifications:CodeKey"] = TestKeys.CertificateCodeKey,

            // Tests sign in dozens of users from one address; the drills and benchmarks that start clusters send
            // thousands of API calls as fast as the nodes take them.
            ["Security:RateLimits:SignInPerMinute"] = "100000",
            ["Security:RateLimits:ApiBurst"] = "100000",
            ["Security:RateLimits:ApiPerSecond"] = "100000",
        };
        foreach (var (key, value) in _extra)
        {
            settings[key] = value;
        }

        return settings;
    }

    public async ValueTask DisposeAsync()
    {
        var logs = TestPaths.ArtifactsDirectory("cluster-logs");
        foreach (var node in _webNodes.Append(Worker).OfType<NodeProcess>())
        {
            await node.DisposeAsync();
            await File.WriteAllTextAsync(Path.Combine(logs, $"{ChannelPrefix}-{node.Name}.log"), node.Output);
        }

        await Database.DisposeAsync();
        TestPaths.TryDelete(_directory);
    }
}

/// <summary>API and SignalR clients of a web node, signed in as demo users.</summary>
public static class NodeClients
{
    /// <summary>An API client of a web node, signed in as a demo user (cookies kept).</summary>
    public static async Task<HttpClient> SignedInClientAsync(NodeProcess node, string userName)
    {
        var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true }) { BaseAddress = node.Address };
        (await DemoSignIn.PostAsync(client, userName)).Dispose();
        return client;
    }

    /// <summary>A SignalR client of a web node over WebSockets, subscribed to its tenant's events; each message is handed over with its arrival time.</summary>
    public static async Task<HubConnection> SubscribeAsync(NodeProcess node, string userName, Action<DecisionChangedMessage, DateTimeOffset> received)
    {
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = node.Address };
        var cookie = await DemoSignIn.AuthCookieAsync(http, userName);
        var hub = new HubConnectionBuilder()
            .WithUrl(new Uri(node.Address!, QueueHub.Path), o =>
            {
                o.Headers["Cookie"] = cookie;
                o.Transports = HttpTransportType.WebSockets;
            })
            .WithAutomaticReconnect()
            .Build();
        hub.On<DecisionChangedMessage>(QueueHub.DecisionChanged, m => received(m, DateTimeOffset.UtcNow));
        hub.Reconnected += _ => hub.InvokeAsync("SubscribeTenant");
        await hub.StartAsync();
        await hub.InvokeAsync("SubscribeTenant");
        return hub;
    }

    /// <summary>Sends a case to an agent through a web node's API; returns the run.</summary>
    public static async Task<RunResponse> SubmitAsync(HttpClient client, (string Subject, JsonObject Inputs, JsonObject Truth) c, string agentKey = "pricing")
    {
        using var response = await client.PostAsJsonAsync(new Uri($"/api/agents/{agentKey}/runs", UriKind.Relative), new { subject = c.Subject, inputs = c.Inputs });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<RunResponse>())!;
    }

    /// <summary>Sends a case and waits until a worker has proposed its decision.</summary>
    public static async Task<Guid> SubmitAndWaitForDecisionAsync(HttpClient client, (string Subject, JsonObject Inputs, JsonObject Truth) c, string agentKey = "pricing")
    {
        var run = await SubmitAsync(client, c, agentKey);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            var current = await client.GetFromJsonAsync<RunResponse>(new Uri($"/api/runs/{run.Id}", UriKind.Relative));
            if (current!.DecisionId is { } decisionId)
            {
                return decisionId;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"Run {run.Id} proposed no decision within 30 s.");
    }
}
