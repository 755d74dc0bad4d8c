using System.Collections.Concurrent;
using AgentConsole.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AgentConsole.Bench.Benchmarks;

/// <summary>
/// (b) Decision committed → visible to a subscribed SignalR client, against a bare SignalR broadcast
/// (a minimal hub in its own process) on the same machine, at the same rate, over WebSockets.
/// </summary>
internal static class LatencyBenchmark
{
    private const int Warmup = 20;

    public static async Task RunAsync(Report report, int samples)
    {
        var interval = TimeSpan.FromMilliseconds(50);
        Console.WriteLine($"(b) latency: {samples} messages every {interval.TotalMilliseconds} ms, bare SignalR first");
        var bare = await BareAsync(samples, interval, backplane: false);
        var bareBackplane = await BareAsync(samples, interval, backplane: true);
        var single = await SingleNodeAsync(samples, interval);
        var scaled = await ScaledOutAsync(samples, interval);

        report.Add(Row("single node (SQLite, jobs in the web process)", single, "bare hub, one process", bare));
        report.Add(Row("scaled out (worker → Redis → 2 web nodes, PostgreSQL)", scaled, "bare hubs, Redis backplane, two processes", bareBackplane));
        report.Note("(b) Latency runs from the commit of the decision (the event's timestamp, taken after the commit) to its arrival in a SignalR client " +
            "in another process over WebSockets. The bare baselines broadcast the current time from a minimal hub at the same rate; for the scaled-out " +
            "setup the baseline is the same broadcast sent on one process and delivered by another through SignalR's Redis backplane.");
    }

    private static Row Row(string setup, List<double> product, string baseline, List<double> bare)
    {
        var p95 = Stats.Percentile(product, 95);
        var bareP95 = Stats.Percentile(bare, 95);
        var ratio = p95 / bareP95;
        return new Row("(b) Committed → visible, p50 / p95 / p99", setup,
            $"{Stats.Ms(Stats.Percentile(product, 50))} / {Stats.Ms(p95)} / {Stats.Ms(Stats.Percentile(product, 99))}",
            $"{Stats.Ms(Stats.Percentile(bare, 50))} / {Stats.Ms(bareP95)} / {Stats.Ms(Stats.Percentile(bare, 99))} ({baseline})",
            $"{Stats.Fixed(ratio)}× (p95)", "p95 ≤ 2× bare and ≤ 250 ms", ratio <= 2 && p95 <= 250);
    }

    /// <summary>
    /// Broadcasts from a minimal hub and records each tick's delay at a client. With a backplane, two servers share
    /// a Redis prefix: the tick is sent on the first and delivered by the second.
    /// </summary>
    private static async Task<List<double>> BareAsync(int samples, TimeSpan interval, bool backplane)
    {
        var prefix = $"bench-bare-{Guid.NewGuid():N}";
        var sender = NodeProcess.LoopbackAddress();
        var receiver = backplane ? NodeProcess.LoopbackAddress() : sender;
        var servers = new List<NodeProcess>();
        foreach (var address in new[] { sender, receiver }.Distinct())
        {
            string[] arguments = backplane ? ["serve-bare-signalr", address.ToString(), Cluster.Redis, prefix] : ["serve-bare-signalr", address.ToString()];
            var server = NodeProcess.StartProgram("bare-signalr", typeof(Report).Assembly.Location, arguments, new Dictionary<string, string?>(), address);
            await server.WaitUntilReadyAsync(TimeSpan.FromSeconds(60));
            servers.Add(server);
        }

        var latencies = new ConcurrentQueue<double>();
        await using var hub = new HubConnectionBuilder().WithUrl(new Uri(receiver, "/hub"), o => o.Transports = HttpTransportType.WebSockets).Build();
        hub.On<DateTimeOffset>("tick", sent => latencies.Enqueue((DateTimeOffset.UtcNow - sent).TotalMilliseconds));
        await hub.StartAsync();
        using var http = new HttpClient { BaseAddress = sender };
        for (var i = 0; i < samples + Warmup; i++)
        {
            (await http.PostAsync(new Uri("/broadcast", UriKind.Relative), null)).Dispose();
            await Task.Delay(interval);
        }

        await WaitForAsync(() => latencies.Count >= samples + Warmup);
        foreach (var server in servers)
        {
            await server.DisposeAsync();
        }

        return latencies.Skip(Warmup).ToList();
    }

    private static async Task<List<double>> SingleNodeAsync(int samples, TimeSpan interval)
    {
        var directory = TestPaths.NewDirectory("bench-latency");
        await using var web = NodeProcess.StartWeb("web", SingleNode.Settings(directory));
        await web.WaitUntilReadyAsync(TimeSpan.FromSeconds(90));
        var result = await MeasureAsync([web], web, samples, interval);
        await web.DisposeAsync();
        TestPaths.TryDelete(directory);
        return result;
    }

    private static async Task<List<double>> ScaledOutAsync(int samples, TimeSpan interval)
    {
        await using var cluster = await Cluster.StartAsync(webNodes: 2);
        return await MeasureAsync(cluster.WebNodes, cluster.WebNodes[0], samples, interval);
    }

    /// <summary>Submits a case every <paramref name="interval"/>; each subscribed client records how long after its commit the proposal reached it.</summary>
    private static async Task<List<double>> MeasureAsync(IReadOnlyList<NodeProcess> watched, NodeProcess submitTo, int samples, TimeSpan interval)
    {
        var latencies = new ConcurrentQueue<double>();
        var hubs = new List<HubConnection>();
        foreach (var node in watched)
        {
            var hub = await NodeClients.SubscribeAsync(node, "senior", (m, receivedAt) =>
            {
                if (m.Kind is "Queued" or "AutoApproved" or "Blocked")
                {
                    latencies.Enqueue((receivedAt - m.At).TotalMilliseconds);
                }
            });
            hubs.Add(hub);
        }

        using var admin = await NodeClients.SignedInClientAsync(submitTo, "admin");
        var total = samples + Warmup;
        for (var i = 0; i < total; i++)
        {
            await NodeClients.SubmitAsync(admin, TestCases.UncertainPricing($"Latency Customer {i}"));
            await Task.Delay(interval);
        }

        await WaitForAsync(() => latencies.Count >= total * watched.Count);
        foreach (var hub in hubs)
        {
            await hub.DisposeAsync();
        }

        return latencies.Skip(Warmup * watched.Count).ToList();
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("Not every message arrived within 60 s.");
            }

            await Task.Delay(50);
        }
    }
}

/// <summary>The bare baseline: a hub and an endpoint that broadcasts the current time to every client.</summary>
internal static class BareSignalRServer
{
    public static async Task RunAsync(string url, string? redis, string? prefix)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(url);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var signalR = builder.Services.AddSignalR();
        if (redis is not null)
        {
            signalR.AddStackExchangeRedis(redis, o => o.Configuration.ChannelPrefix = StackExchange.Redis.RedisChannel.Literal(prefix!));
        }

        var app = builder.Build();
        app.MapHub<BareHub>("/hub");
        app.MapPost("/broadcast", async (IHubContext<BareHub> hub) =>
        {
            await hub.Clients.All.SendAsync("tick", DateTimeOffset.UtcNow);
            return Results.Ok();
        });
        app.MapGet("/health/ready", () => "ok");
        await app.RunAsync();
    }
}

internal sealed class BareHub : Hub;
