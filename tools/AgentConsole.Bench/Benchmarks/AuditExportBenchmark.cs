using System.Diagnostics;
using AgentConsole.Domain;
using AgentConsole.Domain.Audit;
using AgentConsole.Domain.Persistence;
using AgentConsole.Domain.Tenancy;
using AgentConsole.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace AgentConsole.Bench.Benchmarks;

/// <summary>
/// (j) Exporting the audit trail over HTTP from a running node, as CSV and as JSON Lines: the whole trail of a tenant
/// (1,000,000 entries in a full run) against an export of 10,000 entries from the same node, and the node idle. The
/// node's resident set is sampled every 20 ms during each export (its peak), and its live managed heap is taken
/// (after a full collection) while the big export is a third of the way through. Memory is flat when the big
/// export's peak is no higher than the small one's, give or take buffers.
/// </summary>
internal static class AuditExportBenchmark
{
    private const int SmallExport = 10_000;
    private const int SeedBatch = 20_000;

    public static async Task RunAsync(Report report, int entries)
    {
        Console.WriteLine($"(j) audit export of {entries:N0} entries as CSV and JSON Lines, against {SmallExport:N0}");
        var directory = TestPaths.NewDirectory("bench-audit-export");
        var settings = SingleNode.Settings(directory);
        var seeding = Stopwatch.StartNew();
        await SeedAsync(settings, entries);
        seeding.Stop();
        report.Note($"(j) {entries:N0} audit entries seeded through the EF save path in batches of {SeedBatch:N0} in {seeding.Elapsed.TotalSeconds:0} s.");

        await using var web = NodeProcess.StartWeb("web", settings);
        await web.WaitUntilReadyAsync(TimeSpan.FromSeconds(180));
        using var auditor = await NodeClients.SignedInClientAsync(web, "auditor");

        // Warm the export path once, then the node idle.
        await ExportAsync(web, auditor, "csv", SmallFilter, probeHeapAtLine: null);
        var idle = await NodeMemory.MeasureAsync(web);

        foreach (var format in new[] { "csv", "jsonl" })
        {
            // Each export starts from a collected heap (the measurement forces a full collection).
            await NodeMemory.MeasureAsync(web);
            var small = await ExportAsync(web, auditor, format, SmallFilter, probeHeapAtLine: null);
            await NodeMemory.MeasureAsync(web);
            var big = await ExportAsync(web, auditor, format, "", probeHeapAtLine: entries / 3);
            var header = format == "csv" ? 1 : 0;
            var (bigRows, smallRows) = (big.Lines - header, small.Lines - header);
            var (bigPeak, smallPeak) = (big.PeakResidentBytes / 1048576.0, small.PeakResidentBytes / 1048576.0);
            var heapGrowth = (big.MidHeapBytes - idle.ManagedBytes) / 1048576.0;
            var met = bigRows >= entries && bigPeak <= smallPeak + 64 && heapGrowth <= 32;
            report.Add(new Row($"(j) Audit export, {(format == "csv" ? "CSV" : "JSON Lines")} over HTTP: node's peak resident set",
                $"the tenant's whole trail, {bigRows:N0} entries, {big.Bytes / 1048576.0:N0} MB in {big.Seconds:0.0} s ({bigRows / big.Seconds:N0} rows/s), SQLite",
                $"{bigPeak:0} MB peak resident; live heap a third of the way through {big.MidHeapBytes / 1048576.0:0.0} MB",
                $"{smallPeak:0} MB peak exporting {smallRows:N0} entries; idle {idle.ResidentBytes / 1048576.0:0} MB resident, {idle.ManagedBytes / 1048576.0:0.0} MB live heap",
                $"{Stats.Fixed(bigPeak / smallPeak)}× the peak for {(double)bigRows / Math.Max(1, smallRows):0}× the rows",
                "flat: peak ≤ the 10,000 export's + 64 MB, live heap ≤ idle + 32 MB", met));
        }

        await web.DisposeAsync();
        TestPaths.TryDelete(directory);
    }

    /// <summary>The small export: the first 10,000 seconds of the seeded trail (one entry a second).</summary>
    private static string SmallFilter => $"from={Start:yyyy-MM-ddTHH:mm}Z&to={Start.AddSeconds(SmallExport - 1):yyyy-MM-ddTHH:mm:ss}Z";

    private static readonly DateTimeOffset Start = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// Writes the entries with the Domain's own DbContext (as the product saves them), before the node starts on the
    /// same database.
    /// </summary>
    private static async Task SeedAsync(Dictionary<string, string?> settings, int entries)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Benchmark" });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddAgentConsoleDomain();
        builder.Services.AddLogging();
        using var domain = builder.Build();
        await domain.Services.InitializeDatabaseAsync();
        var actor = Actor.User(DemoData.DeterministicId("bench-audit"), "Bench Reviewer", DemoData.ContosoId, [Roles.Operator]);
        for (var batch = 0; batch * SeedBatch < entries; batch++)
        {
            var count = Math.Min(SeedBatch, entries - (batch * SeedBatch));
            await using var scope = domain.Services.CreateAsyncScope();
            scope.ServiceProvider.GetRequiredService<TenantContext>().Use(DemoData.ContosoId);
            await using var db = scope.ServiceProvider.GetRequiredService<IAgentConsoleDbFactory>().Create();
            db.ChangeTracker.AutoDetectChangesEnabled = false;
            db.AuditEntries.AddRange(Enumerable.Range(batch * SeedBatch, count).Select(i =>
                AuditEntry.Record(actor, "decision.approved", "decision", Guid.NewGuid().ToString(),
                    $"Reason {i}: within the pricing policy, \"margin\" checked — ok", new { status = "InReview", version = i }, new { status = "Approved", version = i + 1 },
                    Start.AddSeconds(i))));
            await db.SaveChangesAsync();
            if ((batch + 1) % 10 == 0)
            {
                Console.WriteLine($"  seeded {(batch + 1) * SeedBatch:N0}");
            }
        }
    }

    private sealed record Export(long Lines, long Bytes, double Seconds, long PeakResidentBytes, long MidHeapBytes);

    /// <summary>Downloads an export, counting lines, while another task samples the node's resident set.</summary>
    private static async Task<Export> ExportAsync(NodeProcess web, HttpClient client, string format, string filter, long? probeHeapAtLine)
    {
        using var sampling = new CancellationTokenSource();
        long peak = NodeMemory.Resident(web.ProcessId);
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                peak = Math.Max(peak, NodeMemory.Resident(web.ProcessId));
                try
                {
                    await Task.Delay(20, sampling.Token);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        });

        var clock = Stopwatch.StartNew();
        using var response = await client.GetAsync(new Uri($"/api/audit/entries/export?format={format}&{filter}", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        await using var body = await response.Content.ReadAsStreamAsync();
        var buffer = new byte[81920];
        long lines = 0, bytes = 0, midHeap = 0;
        int read;
        while ((read = await body.ReadAsync(buffer)) > 0)
        {
            bytes += read;
            lines += buffer.AsSpan(0, read).Count((byte)'\n');
            if (midHeap == 0 && lines >= (probeHeapAtLine ?? long.MaxValue))
            {
                midHeap = (await NodeMemory.MeasureAsync(web)).ManagedBytes;
            }
        }

        clock.Stop();
        await sampling.CancelAsync();
        await sampler;
        return new Export(lines, bytes, clock.Elapsed.TotalSeconds, peak, midHeap);
    }

}
