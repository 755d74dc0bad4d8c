using System.Diagnostics;
using System.Security.Cryptography;
using AgentConsole.Domain;
using AgentConsole.Domain.Audit;
using AgentConsole.Domain.Persistence;
using AgentConsole.Domain.Pipelines;
using AgentConsole.Domain.Tenancy;
using AgentConsole.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace AgentConsole.Bench.Benchmarks;

/// <summary>
/// (i) Audit verification on SQLite: a tenant's chain of entries written through the normal save path (sealed in the
/// saving transaction, not timed) and a signed checkpoint of it, verified end to end — checkpoints read and checked,
/// every entry streamed, re-hashed and judged, the run kept — against reading the same rows alone in the same run,
/// and reading them plus one SHA-256 over each entry's content.
/// </summary>
internal static class AuditVerificationBenchmark
{
    private const int BatchSize = 5_000;

    public static async Task RunAsync(Report report, int entries)
    {
        Console.WriteLine($"(i) audit verification: {entries:#,0} chained entries on SQLite");
        var directory = TestPaths.NewDirectory("bench-audit");
        await using var database = await TestDatabase.CreateAsync(TestEngine.Sqlite, directory);
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Development" });
        builder.Configuration.AddInMemoryCollection(database.Settings);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Audit:CheckpointKey"] = TestKeys.CheckpointKey,
            ["Audit:CheckpointDirectory"] = Path.Combine(directory, "checkpoints"),
        });
        builder.AddAgentConsoleDomain();
        builder.Services.AddLogging();
        builder.Services.AddSingleton<IPipelineScheduler, NoScheduler>();
        using var host = builder.Build();
        await host.Services.InitializeDatabaseAsync();

        var auditor = (await host.Services.GetRequiredService<UserDirectory>().FindAsync("auditor"))!.Value.User.ToActor();
        var setup = Stopwatch.StartNew();
        var written = await SeedAsync(host, entries);
        await using (var scope = Scope(host))
        {
            await scope.ServiceProvider.GetRequiredService<AuditCheckpoints>().WriteNowAsync(auditor);
        }

        report.Note($"(i) {written:#,0} audit entries were written through the save path (sealed on the chain as they were saved) in {setup.Elapsed.TotalSeconds:0} s (setup, not measured).");

        // Warm up each once (JIT, SQLite page cache), then measure each.
        var total = await ReadAsync(host, hash: false);
        await VerifyAsync(host, auditor);
        var read = Stopwatch.StartNew();
        if (await ReadAsync(host, hash: false) != total)
        {
            throw new InvalidOperationException("The rows read differ between runs.");
        }

        read.Stop();
        var hashed = Stopwatch.StartNew();
        await ReadAsync(host, hash: true);
        hashed.Stop();
        var clock = Stopwatch.StartNew();
        var run = await VerifyAsync(host, auditor);
        clock.Stop();
        if (run.Outcome != AuditVerificationOutcome.Intact || run.EntriesChecked != total || run.CheckpointsChecked != 1)
        {
            throw new InvalidOperationException($"Verification was {run.Outcome} over {run.EntriesChecked} entries and {run.CheckpointsChecked} checkpoints, expected Intact over {total} and 1.");
        }

        var rate = total / clock.Elapsed.TotalSeconds;
        var readRate = total / read.Elapsed.TotalSeconds;
        report.Add(new Row("(i) Audit verification", $"SQLite, one tenant's chain of {total:#,0} entries and 1 signed checkpoint, end to end",
            $"{rate:#,0} entries/s ({clock.Elapsed.TotalSeconds:0.00} s)", $"{readRate:#,0} entries/s (reading the same rows)",
            $"{rate / readRate:0.00}×", "≥ 50,000 entries/s", rate >= 50_000));
        report.Note($"(i) reading the same rows and one SHA-256 over each entry's canonical form: {total / hashed.Elapsed.TotalSeconds:#,0} entries/s ({hashed.Elapsed.TotalSeconds:0.00} s).");
        SqliteCleanUp(directory);
    }

    /// <summary>Entries for the demo tenant, saved in batches like any feature saves them: the data layer seals each batch.</summary>
    private static async Task<int> SeedAsync(IHost host, int entries)
    {
        var system = Actor.System(DemoData.ContosoId, "benchmark");
        var at = DateTimeOffset.UtcNow.AddDays(-1);
        for (var done = 0; done < entries; done += BatchSize)
        {
            await using var scope = Scope(host);
            await using var db = scope.ServiceProvider.GetRequiredService<IAgentConsoleDbFactory>().Create();
            for (var i = done; i < Math.Min(entries, done + BatchSize); i++)
            {
                db.AuditEntries.Add(AuditEntry.Record(system, "decision.approved", "decision", Guid.NewGuid().ToString(), i % 3 == 0 ? "Within the margin floor" : null,
                    new { status = "Pending", version = 3 }, new { status = "Approved", version = 4, discountPercent = i % 17 }, at.AddMilliseconds(i)));
            }

            await db.SaveChangesAsync();
        }

        return entries;
    }

    /// <summary>The floor: the tenant's entries read in chain order, and (with <paramref name="hash"/>) one SHA-256 over each one's canonical form.</summary>
    private static async Task<long> ReadAsync(IHost host, bool hash)
    {
        await using var scope = Scope(host);
        await using var db = scope.ServiceProvider.GetRequiredService<IAgentConsoleDbFactory>().Create();
        var count = 0L;
        var digest = new byte[AuditChain.HashSize];
        await foreach (var entry in db.AuditEntries.AsNoTracking().OrderBy(a => a.Sequence).ThenBy(a => a.Id).AsAsyncEnumerable())
        {
            if (hash)
            {
                SHA256.HashData(AuditChain.Canonical(AuditChain.Content(entry)), digest);
            }

            count++;
        }

        return count;
    }

    private static async Task<AuditVerification> VerifyAsync(IHost host, Actor auditor)
    {
        await using var scope = Scope(host);
        return await scope.ServiceProvider.GetRequiredService<AuditVerifier>().VerifyAsync(auditor);
    }

    private static AsyncServiceScope Scope(IHost host)
    {
        var scope = host.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantContext>().Use(DemoData.ContosoId);
        return scope;
    }

    private static void SqliteCleanUp(string directory)
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        TestPaths.TryDelete(directory);
    }

    private sealed class NoScheduler : IPipelineScheduler
    {
        public void EnqueueRun(Guid tenantId, Guid runId)
        {
        }

        public void EnqueueExecution(Guid tenantId, Guid decisionId)
        {
        }
    }
}
