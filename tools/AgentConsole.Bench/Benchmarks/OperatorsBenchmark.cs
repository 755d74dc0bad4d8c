using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using AgentConsole.Tests.E2E.Pages;
using AgentConsole.Tests.Infrastructure;
using Microsoft.Playwright;

namespace AgentConsole.Bench.Benchmarks;

/// <summary>
/// (c) Approve round trip (REST, commit included) while operators have the queue open in real
/// consoles (Blazor circuits in chromium), against the same node with no console open; and
/// (d) the web node's memory per open console circuit, from its managed heap after a full
/// collection and from its resident set.
/// </summary>
internal static class OperatorsBenchmark
{
    private const int OpenDecisions = 25;
    private const int Approvers = 4;

    /// <summary>200 operators each approving about once every 30 s: one approval every 150 ms.</summary>
    private static readonly TimeSpan Pace = TimeSpan.FromMilliseconds(150);

    public static async Task RunAsync(Report report, int operators, int approvals)
    {
        Console.WriteLine($"(c, d) {operators} operators on one queue, {approvals} approvals, one every {Pace.TotalMilliseconds:0} ms");
        var directory = TestPaths.NewDirectory("bench-operators");
        await using var web = NodeProcess.StartWeb("web", SingleNode.Settings(directory));
        await web.WaitUntilReadyAsync(TimeSpan.FromSeconds(90));
        using var admin = await NodeClients.SignedInClientAsync(web, "admin");
        var pool = new ConcurrentQueue<Guid>();
        for (var i = 0; i < OpenDecisions; i++)
        {
            pool.Enqueue(await NodeClients.SubmitAndWaitForDecisionAsync(admin, TestCases.UncertainPricing($"Seed Customer {i}")));
        }

        var idle = await ApproveAsync(web, admin, pool, approvals / 2);

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Chromium.LaunchAsync(playwright);
        await OpenConsolesAsync(browser, web, 3, close: true);
        var before = await NodeMemory.MeasureAsync(web);
        var consoles = await OpenConsolesAsync(browser, web, operators, close: false);
        await Task.Delay(TimeSpan.FromSeconds(5));
        var after = await NodeMemory.MeasureAsync(web);

        var cpuBefore = CpuShares(web.ProcessId);
        var busy = await ApproveAsync(web, admin, pool, approvals);
        var cpu = CpuShares(web.ProcessId) - cpuBefore;
        var liveRows = await consoles[^1].Locator("[data-testid=queue-row]").CountAsync();

        // The same operators connected through the live API instead (SignalR clients in this process),
        // with a tenth of the consoles left open: the server's share without 200 browsers on the same cores.
        foreach (var context in consoles.Skip(operators / 10).Select(p => p.Context).Distinct().ToList())
        {
            await context.CloseAsync();
        }

        var hubs = new List<Microsoft.AspNetCore.SignalR.Client.HubConnection>();
        var received = 0;
        for (var i = 0; i < operators; i++)
        {
            hubs.Add(await NodeClients.SubscribeAsync(web, i % 2 == 0 ? "operator" : "operator2", (_, _) => Interlocked.Increment(ref received)));
        }

        var hubBusy = await ApproveAsync(web, admin, pool, approvals);
        foreach (var hub in hubs)
        {
            await hub.DisposeAsync();
        }

        var p95 = Stats.Percentile(busy, 95);
        report.Add(new Row("(c) Approve round trip, p50 / p95 / p99", $"{operators} consoles open on the queue, SQLite, an approval every {Pace.TotalMilliseconds:0} ms",
            $"{Stats.Ms(Stats.Percentile(busy, 50))} / {Stats.Ms(p95)} / {Stats.Ms(Stats.Percentile(busy, 99))}",
            $"{Stats.Ms(Stats.Percentile(idle, 50))} / {Stats.Ms(Stats.Percentile(idle, 95))} / {Stats.Ms(Stats.Percentile(idle, 99))} (no console open)",
            $"{Stats.Fixed(p95 / Stats.Percentile(idle, 95))}× (p95)", "p95 ≤ 100 ms", p95 <= 100));

        var hubP95 = Stats.Percentile(hubBusy, 95);
        report.Add(new Row("(c) Approve round trip, p50 / p95 / p99", $"{operators} operators on the live API (SignalR) + {operators / 10} consoles, SQLite, an approval every {Pace.TotalMilliseconds:0} ms",
            $"{Stats.Ms(Stats.Percentile(hubBusy, 50))} / {Stats.Ms(hubP95)} / {Stats.Ms(Stats.Percentile(hubBusy, 99))}",
            $"{Stats.Ms(Stats.Percentile(idle, 50))} / {Stats.Ms(Stats.Percentile(idle, 95))} / {Stats.Ms(Stats.Percentile(idle, 99))} (no console open)",
            $"{Stats.Fixed(hubP95 / Stats.Percentile(idle, 95))}× (p95)", "p95 ≤ 100 ms", hubP95 <= 100));
        report.Note($"(c) the {operators} SignalR operators received {received} decision events during their {approvals} approvals.");

        var managedPerCircuit = (after.ManagedBytes - before.ManagedBytes) / operators / 1024.0;
        var residentPerCircuit = (after.ResidentBytes - before.ResidentBytes) / operators / 1024.0;
        report.Add(new Row("(d) Server memory per open console", $"{operators} circuits on a queue of {OpenDecisions} decisions",
            $"{Stats.Fixed(managedPerCircuit, "0")} KB managed heap, {Stats.Fixed(residentPerCircuit, "0")} KB resident",
            $"{before.ManagedBytes / 1048576.0:0} MB heap, {before.ResidentBytes / 1048576.0:0} MB resident before", "—",
            "≤ 500 KB", managedPerCircuit <= 500 && residentPerCircuit <= 500));
        report.Note($"(c) CPU while the {operators} consoles watched the approvals: web node {Stats.Fixed(cpu.Server, "0")} s, chromium {Stats.Fixed(cpu.Browsers, "0")} s, " +
            $"this benchmark process {Stats.Fixed(cpu.Bench, "0")} s, the rest of the machine's processes not counted.");
        report.Note($"(c) the last console still showed {liveRows} open rows after the approvals (the queue is kept at about {OpenDecisions}).");
        TestPaths.TryDelete(directory);
    }

    /// <summary>
    /// Approves decisions from the pool at a steady pace (<see cref="Pace"/> between approvals, spread over
    /// <see cref="Approvers"/> signed-in operators), each replaced by a new case; returns each approve's round trip.
    /// </summary>
    private static async Task<List<double>> ApproveAsync(NodeProcess web, HttpClient admin, ConcurrentQueue<Guid> pool, int approvals)
    {
        var timings = new ConcurrentBag<double>();
        var users = new[] { "operator", "operator2", "senior", "operator" };
        var clients = new List<HttpClient>();
        foreach (var user in users.Take(Approvers))
        {
            clients.Add(await NodeClients.SignedInClientAsync(web, user));
        }

        var work = new List<Task>();
        for (var i = 0; i < approvals; i++)
        {
            var client = clients[i % clients.Count];
            work.Add(Task.Run(async () =>
            {
                Guid decisionId;
                while (!pool.TryDequeue(out decisionId))
                {
                    await Task.Delay(10);
                }

                var clock = Stopwatch.StartNew();
                using var response = await client.PostAsJsonAsync(new Uri($"/api/decisions/{decisionId}/approve", UriKind.Relative), new { reason = "Within policy" });
                clock.Stop();
                response.EnsureSuccessStatusCode();
                timings.Add(clock.Elapsed.TotalMilliseconds);
                pool.Enqueue(await NodeClients.SubmitAndWaitForDecisionAsync(admin, TestCases.UncertainPricing($"Replacement {Guid.NewGuid():N}")));
            }));
            await Task.Delay(Pace);
        }

        await Task.WhenAll(work);
        foreach (var client in clients)
        {
            client.Dispose();
        }

        return timings.ToList();
    }

    /// <summary>Opens consoles on the first-tier pricing queue, ten pages per signed-in browser profile.</summary>
    private static async Task<List<IPage>> OpenConsolesAsync(IBrowser browser, NodeProcess web, int count, bool close)
    {
        var pages = new List<IPage>();
        IBrowserContext? context = null;
        for (var i = 0; i < count; i++)
        {
            IPage page;
            if (i % 10 == 0)
            {
                page = await Chromium.SignedInPageAsync(browser, web.Address!, "operator");
                context = page.Context;
            }
            else
            {
                page = await context!.NewPageAsync();
                page.SetDefaultTimeout(60_000);
            }

            await new QueuePage(page).OpenAsync(ConsoleQueue);
            pages.Add(page);
        }

        if (close)
        {
            foreach (var context_ in pages.Select(p => p.Context).Distinct())
            {
                await context_.CloseAsync();
            }
        }

        return pages;
    }

    private static Guid ConsoleQueue => Domain.Tenancy.DemoData.QueueId(Domain.Tenancy.DemoData.ContosoId, "pricing-t1");

    private readonly record struct Cpu(double Server, double Browsers, double Bench)
    {
        public static Cpu operator -(Cpu a, Cpu b) => new(a.Server - b.Server, a.Browsers - b.Browsers, a.Bench - b.Bench);
    }

    /// <summary>CPU seconds used so far by the web node, by all chromium processes and by this process (from /proc).</summary>
    private static Cpu CpuShares(int serverPid)
    {
        double browsers = 0;
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), out var pid) && ReadComm(pid) is { } comm && comm.Contains("chrom", StringComparison.Ordinal))
            {
                browsers += CpuSeconds(pid);
            }
        }

        return new Cpu(CpuSeconds(serverPid), browsers, CpuSeconds(Environment.ProcessId));
    }

    private static string? ReadComm(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/comm").Trim();
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static double CpuSeconds(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
        }
        catch (IOException)
        {
            return 0;
        }
    }
}
