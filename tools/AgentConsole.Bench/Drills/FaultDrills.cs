using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using AgentConsole.Tests.E2E.Pages;
using AgentConsole.Tests.Infrastructure;
using Microsoft.Playwright;
using Npgsql;

namespace AgentConsole.Bench.Drills;

/// <summary>
/// Fault drills against a scaled-out installation on this machine (worker and web nodes as
/// processes, PostgreSQL, Redis): the worker killed with SIGKILL under load, PostgreSQL down,
/// Redis down. Each checks its outcome in the database and in open consoles.
/// </summary>
internal static class FaultDrills
{
    private static readonly Guid PricingQueue = Domain.Tenancy.DemoData.QueueId(Domain.Tenancy.DemoData.ContosoId, "pricing-t1");

    public static async Task<bool> RunAsync(Report report, string which, bool quick)
    {
        var passed = true;
        if (which is "all" or "kill-worker")
        {
            passed &= await KillWorkerAsync(report, runs: quick ? 600 : 5000, kills: 3);
        }

        if (which is "all" or "postgres-down")
        {
            passed &= await OutageAsync(report, "postgres", TimeSpan.FromSeconds(quick ? 10 : 30));
        }

        if (which is "all" or "redis-down")
        {
            passed &= await OutageAsync(report, "redis", TimeSpan.FromSeconds(quick ? 15 : 60));
        }

        return passed;
    }

    /// <summary>Kills the worker with SIGKILL several times while runs pour in, restarts it, and checks every run completed exactly once.</summary>
    private static async Task<bool> KillWorkerAsync(Report report, int runs, int kills)
    {
        Console.WriteLine($"kill-worker: {runs} runs, the worker killed {kills} times");
        await using var cluster = await Cluster.StartAsync(webNodes: 1, new Dictionary<string, string?>
        {
            ["Jobs:WorkerCount"] = "8",
            ["Jobs:InvisibilityTimeoutSeconds"] = "30",
            ["Pipelines:StallAfterSeconds"] = "30",
        });
        using var admin = await NodeClients.SignedInClientAsync(cluster.WebNodes[0], "admin");
        var clock = Stopwatch.StartNew();
        var acknowledged = new ConcurrentBag<Guid>();
        var next = -1;
        var submitting = Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < runs)
            {
                var c = i % 3 == 0 ? TestCases.ConfidentPricing() : TestCases.UncertainPricing($"Drill Customer {i}");
                acknowledged.Add((await NodeClients.SubmitAsync(admin, (c.Subject + $" #{i}", c.Inputs, c.Truth))).Id);
            }
        }));

        var killed = 0;
        while (killed < kills)
        {
            await Task.Delay(TimeSpan.FromSeconds(4));
            cluster.Worker.Kill();
            killed++;
            Console.WriteLine($"  killed the worker ({killed}/{kills}) at {clock.Elapsed.TotalSeconds:0} s with {await ScalarAsync(cluster, "SELECT count(*) FROM \"Decisions\"")} decisions so far");
            await Task.Delay(TimeSpan.FromSeconds(2));
            await cluster.StartWorkerAsync();
        }

        await submitting;
        var settled = await WaitUntilSettledAsync(cluster, TimeSpan.FromMinutes(10));
        var drained = clock.Elapsed;

        var runCount = await ScalarAsync(cluster, "SELECT count(*) FROM \"Runs\"");
        var decisions = await ScalarAsync(cluster, "SELECT count(*) FROM \"Decisions\"");
        var distinctRuns = await ScalarAsync(cluster, "SELECT count(DISTINCT \"RunId\") FROM \"Decisions\"");
        var unfinished = await ScalarAsync(cluster, "SELECT count(*) FROM \"Runs\" WHERE \"Status\" IN ('Pending', 'Running', 'Executing', 'Failed')");
        var executed = await ScalarAsync(cluster, "SELECT count(*) FROM \"Runs\" WHERE \"ExecutionStatus\" = 'Succeeded'");
        var postings = await ScalarAsync(cluster, "SELECT count(*) FROM \"SimulatedErpLedger\"");
        var repeated = await ScalarAsync(cluster, "SELECT count(*) - count(DISTINCT \"IdempotencyKey\") FROM \"SimulatedErpLedger\"");
        var passed = settled && acknowledged.Count == runs && runCount == runs && decisions == runs && distinctRuns == runs && unfinished == 0 && postings == executed && repeated == 0;
        report.Add(new Row("Worker killed (SIGKILL) under load", $"{runs} runs, {kills} kills, then restarted; PostgreSQL, 8 workers",
            $"{runCount} runs → {decisions} decisions ({distinctRuns} distinct runs), {unfinished} unfinished; {executed} executions → {postings} ERP postings, {repeated} repeated; drained in {drained.TotalSeconds:0} s",
            "—", "—", "every run once, no side effect twice", passed));
        return passed;
    }

    /// <summary>Takes PostgreSQL or Redis down under load, brings it back, and checks nothing acknowledged was lost and every console shows the database again within 5 s.</summary>
    private static async Task<bool> OutageAsync(Report report, string server, TimeSpan outage)
    {
        Console.WriteLine($"{server}-down: {outage.TotalSeconds:0} s under load, consoles open on two web nodes");
        await using var cluster = await Cluster.StartAsync(webNodes: 2, new Dictionary<string, string?> { ["Pipelines:StallAfterSeconds"] = "20" });
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Chromium.LaunchAsync(playwright);
        var consoles = new List<IPage>();
        foreach (var (node, user) in new[] { (cluster.WebNodes[0], "operator"), (cluster.WebNodes[1], "operator2") })
        {
            var page = await Chromium.SignedInPageAsync(browser, node.Address!, user);
            await new QueuePage(page).OpenAsync(PricingQueue);
            consoles.Add(page);
        }

        using var submitter = await NodeClients.SignedInClientAsync(cluster.WebNodes[0], "admin");
        using var approver = await NodeClients.SignedInClientAsync(cluster.WebNodes[1], "operator");
        var submitted = new ConcurrentBag<Guid>();
        var approved = new ConcurrentBag<Guid>();
        var refused = 0;
        using var stop = new CancellationTokenSource();
        var load = Task.WhenAll(
            LoopAsync(TimeSpan.FromMilliseconds(100), async i =>
            {
                var run = await NodeClients.SubmitAsync(submitter, TestCases.UncertainPricing($"Outage Customer {i}"));
                submitted.Add(run.Id);
            }, () => Interlocked.Increment(ref refused), stop.Token),
            LoopAsync(TimeSpan.FromMilliseconds(300), async _ =>
            {
                var open = await approver.GetFromJsonAsync<JsonArray>(new Uri($"/api/queues/{PricingQueue}/decisions?sort=Newest", UriKind.Relative));
                if (open is [.., { } oldest] && oldest["status"]?.GetValue<string>() == "Pending")
                {
                    var id = oldest["id"]!.GetValue<Guid>();
                    using var response = await approver.PostAsJsonAsync(new Uri($"/api/decisions/{id}/approve", UriKind.Relative), new { reason = "Drill" });
                    if (response.IsSuccessStatusCode)
                    {
                        approved.Add(id);
                    }
                }
            }, () => Interlocked.Increment(ref refused), stop.Token));

        await Task.Delay(TimeSpan.FromSeconds(10));
        var before = (submitted.Count, approved.Count);
        await ServersAsync("stop", server);
        Console.WriteLine($"  {server} stopped after {before.Item1} submissions and {before.Item2} approvals");
        await Task.Delay(outage);

        // The load stops as the server returns, so the database holds still while the consoles catch up.
        await stop.CancelAsync();
        await load;
        await ServersAsync("start", server);
        var recovered = Stopwatch.StartNew();
        Console.WriteLine($"  {server} back; {submitted.Count} submissions and {approved.Count} approvals acknowledged, {refused} refused during the drill");

        // Every console must show what the database holds, within 5 s of the server's return.
        var caughtUp = new double?[consoles.Count];
        while (recovered.Elapsed < TimeSpan.FromSeconds(30) && caughtUp.Any(t => t is null))
        {
            var expected = await OpenDecisionsAsync(submitter);
            for (var i = 0; i < consoles.Count; i++)
            {
                if (caughtUp[i] is null && expected is not null && (await RowsAsync(consoles[i])).SetEquals(expected))
                {
                    caughtUp[i] = recovered.Elapsed.TotalSeconds;
                }
            }

            await Task.Delay(250);
        }

        await WaitUntilSettledAsync(cluster, TimeSpan.FromMinutes(3));
        var lostRuns = submitted.Count - await ScalarAsync(cluster, $"SELECT count(*) FROM \"Runs\" WHERE \"Id\" = ANY(ARRAY[{Ids(submitted)}]::uuid[]) AND \"DecisionId\" IS NOT NULL");
        var lostApprovals = approved.Count - await ScalarAsync(cluster, $"SELECT count(*) FROM \"Decisions\" WHERE \"Id\" = ANY(ARRAY[{Ids(approved)}]::uuid[]) AND \"Status\" = 'Approved'");
        var slowest = caughtUp.Max() ?? double.PositiveInfinity;
        var passed = lostRuns == 0 && lostApprovals == 0 && slowest <= 5;
        report.Add(new Row($"{(server == "postgres" ? "PostgreSQL" : "Redis")} down for {outage.TotalSeconds:0} s under load",
            "worker + 2 web nodes, a console open on each, cases every 100 ms, approvals every 300 ms",
            $"{submitted.Count} submissions and {approved.Count} approvals acknowledged, {lostRuns} runs and {lostApprovals} approvals lost; {refused} refused while down; consoles current {string.Join(" / ", caughtUp.Select(t => t is null ? "never" : $"{t:0.0} s"))} after recovery",
            "—", "—", "nothing acknowledged lost; consoles current ≤ 5 s after recovery", passed));
        foreach (var page in consoles)
        {
            await page.Context.CloseAsync();
        }

        return passed;
    }

    private static async Task LoopAsync(TimeSpan every, Func<int, Task> step, Action failed, CancellationToken stop)
    {
        for (var i = 0; !stop.IsCancellationRequested; i++)
        {
            try
            {
                await step(i);
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException or InvalidOperationException)
            {
                failed();
            }

            try
            {
                await Task.Delay(every, stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private static async Task<HashSet<Guid>?> OpenDecisionsAsync(HttpClient client)
    {
        try
        {
            var open = await client.GetFromJsonAsync<JsonArray>(new Uri($"/api/queues/{PricingQueue}/decisions", UriKind.Relative));
            return open!.Select(d => d!["id"]!.GetValue<Guid>()).ToHashSet();
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }

    private static async Task<HashSet<Guid>> RowsAsync(IPage page)
    {
        var ids = await page.EvalOnSelectorAllAsync<string[]>("[data-testid=queue-row]", "rows => rows.map(r => r.dataset.decisionId)");
        return ids.Select(Guid.Parse).ToHashSet();
    }

    /// <summary>Waits until no run is waiting for a job: each is awaiting review, completed, or failed.</summary>
    private static async Task<bool> WaitUntilSettledAsync(Cluster cluster, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                if (await ScalarAsync(cluster, "SELECT count(*) FROM \"Runs\" WHERE \"Status\" IN ('Pending', 'Running') OR (\"Status\" = 'Executing' AND \"ExecutionStatus\" = 'Pending')") == 0)
                {
                    return true;
                }
            }
            catch (NpgsqlException)
            {
                // The server is still coming back.
            }

            await Task.Delay(TimeSpan.FromSeconds(1));
        }

        return false;
    }

    private static async Task<long> ScalarAsync(Cluster cluster, string sql)
    {
        await using var connection = new NpgsqlConnection(cluster.Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static string Ids(IEnumerable<Guid> ids) => string.Join(",", ids.Select(id => $"'{id}'").DefaultIfEmpty("'00000000-0000-0000-0000-000000000000'"));

    private static async Task ServersAsync(string action, string server)
    {
        var info = new ProcessStartInfo("bash", [Path.Combine(TestPaths.RepositoryRoot, "scripts", "servers.sh"), action, server]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(info)!;
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"servers.sh {action} {server} failed: {await process.StandardError.ReadToEndAsync()}");
        }
    }
}
