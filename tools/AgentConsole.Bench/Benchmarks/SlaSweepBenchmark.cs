using System.Diagnostics;
using AgentConsole.Domain;
using AgentConsole.Domain.Decisions;
using AgentConsole.Domain.Pipelines;
using AgentConsole.Domain.Tenancy;
using AgentConsole.Domain.Persistence;
using AgentConsole.Domain.Queues.Sla;
using AgentConsole.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace AgentConsole.Bench.Benchmarks;

/// <summary>
/// (n) The SLA sweep the recurring job runs every minute, over 100,000 open decisions on SQLite: once with nothing due
/// (the steady state between steps), once with 1 % of them falling due (each a warn step: audited, its firing recorded,
/// the next step planned), each against a bare read of the same open rows.
/// </summary>
internal static class SlaSweepBenchmark
{
    public static async Task RunAsync(Report report, int open, int due)
    {
        Console.WriteLine($"(n) SLA sweep: {open:#,0} open decisions on SQLite, {due:#,0} due");
        var start = DateTimeOffset.UtcNow;
        var clock = new ManualClock(new DateTimeOffset(start.Ticks - (start.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero));
        var directory = TestPaths.NewDirectory("bench-sla");
        await using var database = await TestDatabase.CreateAsync(TestEngine.Sqlite, directory);
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Development" });
        builder.Configuration.AddInMemoryCollection(database.Settings);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Queues:SweepBatchSize"] = "100000" });
        builder.AddAgentConsoleDomain();
        builder.Services.AddLogging();
        builder.Services.AddSingleton<IPipelineScheduler, NoScheduler>();
        builder.Services.AddSingleton<TimeProvider>(clock);
        using var host = builder.Build();
        await host.Services.InitializeDatabaseAsync();
        var harness = new Tenant(host.Services, database);
        var template = await harness.ProposeAsync();
        var ids = await CloneAsync(harness, template, open - 1);

        // Every clone entered its queue 30 minutes ago: the default pricing ladder warns at 45 minutes and escalates at 60.
        var now = clock.GetUtcNow();
        await harness.WithDbAsync(db => db.Decisions.Where(d => d.Status == DecisionStatus.Pending || d.Status == DecisionStatus.InReview || d.Status == DecisionStatus.Escalated)
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.SlaClockStartedAt, now.AddMinutes(-30)).SetProperty(d => d.NextSlaStepAt, now.AddMinutes(15))));
        var sweep = harness.Services.GetRequiredService<SlaSweep>();
        await sweep.RunAsync();
        await BareAsync(harness);

        var idle = Stopwatch.StartNew();
        var nothing = await sweep.RunAsync();
        idle.Stop();
        var (bareIdle, rows) = await BareAsync(harness);
        if (nothing.StepsFired != 0 || rows < open)
        {
            throw new InvalidOperationException($"The idle sweep fired {nothing.StepsFired} steps over {rows} open rows: the fixture is wrong.");
        }

        report.Add(new Row("(n) SLA sweep, nothing due", $"{rows:#,0} open decisions on SQLite, each planned for later",
            $"{idle.Elapsed.TotalMilliseconds:#,0} ms", $"{bareIdle.TotalMilliseconds:#,0} ms (read the open rows)", $"{idle.Elapsed / bareIdle:0.00}×", "≤ 5 s", idle.Elapsed <= TimeSpan.FromSeconds(5)));

        // 1 % entered their queue 46 minutes ago: their warn step is due.
        var falling = ids.Take(due).ToList();
        await harness.WithDbAsync(db => db.Decisions.Where(d => falling.Contains(d.Id))
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.SlaClockStartedAt, now.AddMinutes(-46)).SetProperty(d => d.NextSlaStepAt, now.AddMinutes(-1))));
        var busy = Stopwatch.StartNew();
        var swept = await sweep.RunAsync();
        busy.Stop();
        var (bareBusy, _) = await BareAsync(harness);
        var warned = await harness.ReadAsync(db => db.SlaStepFirings.CountAsync(f => f.Step == SlaStep.Warn));
        if (swept.StepsFired != due || warned != due)
        {
            throw new InvalidOperationException($"The sweep fired {swept.StepsFired} steps ({warned} recorded), expected {due}.");
        }

        report.Add(new Row("(n) SLA sweep, 1 % due", $"{rows:#,0} open decisions on SQLite, {due:#,0} warn steps fired (each audited, recorded once, next step planned)",
            $"{busy.Elapsed.TotalMilliseconds:#,0} ms", $"{bareBusy.TotalMilliseconds:#,0} ms (read the open rows)", $"{busy.Elapsed / bareBusy:0.00}×", "≤ 5 s", busy.Elapsed <= TimeSpan.FromSeconds(5)));
    }

    /// <summary>Jobs are not run: the case is processed in place, and nothing here is executed.</summary>
    internal sealed class NoScheduler : IPipelineScheduler
    {
        public void EnqueueRun(Guid tenantId, Guid runId)
        {
        }

        public void EnqueueExecution(Guid tenantId, Guid decisionId)
        {
        }
    }

    /// <summary>The demo tenant Contoso, as the sweep's jobs see it.</summary>
    internal sealed class Tenant(IServiceProvider services, TestDatabase database)
    {
        public IServiceProvider Services => services;

        public TestDatabase Database => database;

        public async Task<T> WithDbAsync<T>(Func<AgentConsoleDbContext, Task<T>> read)
        {
            await using var scope = services.CreateAsyncScope();
            scope.ServiceProvider.GetRequiredService<TenantContext>().Use(DemoData.ContosoId);
            await using var db = scope.ServiceProvider.GetRequiredService<IAgentConsoleDbFactory>().Create();
            return await read(db);
        }

        public Task<T> ReadAsync<T>(Func<AgentConsoleDbContext, Task<T>> read) => WithDbAsync(read);

        /// <summary>One pricing case proposed and routed to review, as the feed and its job would.</summary>
        public async Task<Decision> ProposeAsync()
        {
            var (subject, inputs, truth) = TestCases.UncertainPricing("Sweep Bench AG");
            await using var scope = services.CreateAsyncScope();
            scope.ServiceProvider.GetRequiredService<TenantContext>().Use(DemoData.ContosoId);
            var pipelines = scope.ServiceProvider.GetRequiredService<PipelineService>();
            var agentId = await WithDbAsync(db => db.Agents.Where(a => a.Key == "pricing").Select(a => a.Id).SingleAsync());
            var runId = await pipelines.StartRunAsync(agentId, subject, inputs, truth, Actor.System(DemoData.ContosoId, "bench feed"));
            await pipelines.ProcessRunAsync(runId);
            return await WithDbAsync(db => db.Decisions.AsNoTracking().SingleAsync(d => d.RunId == runId));
        }
    }

    /// <summary>The floor: reading every open decision's id, tenant and planned step, as a sweep without the index would.</summary>
    private static async Task<(TimeSpan Elapsed, int Rows)> BareAsync(Tenant harness)
    {
        var clock = Stopwatch.StartNew();
        var rows = await harness.WithDbAsync(db => db.Decisions.IgnoreQueryFilters().AsNoTracking()
            .Where(d => d.Status == DecisionStatus.Pending || d.Status == DecisionStatus.InReview || d.Status == DecisionStatus.Escalated)
            .Select(d => new { d.Id, d.TenantId, d.NextSlaStepAt }).ToListAsync());
        clock.Stop();
        return (clock.Elapsed, rows.Count);
    }

    /// <summary>Copies the template's run and decision <paramref name="count"/> times in SQL (new ids, same everything else).</summary>
    internal static async Task<List<Guid>> CloneAsync(Tenant harness, Decision template, int count)
    {
        var connectionString = harness.Database.ConnectionString;
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync();
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync();
        await CopyAsync(connection, transaction, "Runs", "Id", template.RunId, count, new() { ["Id"] = Id("1"), ["IdempotencyKey"] = "'bench-' || n" });
        await CopyAsync(connection, transaction, "Decisions", "Id", template.Id, count, new() { ["Id"] = Id("2"), ["RunId"] = Id("1") });
        await transaction.CommitAsync();
        return [.. Enumerable.Range(1, count).Select(n => Guid.Parse($"20000000-0000-0000-0000-{n:000000000000}"))];
    }

    private static string Id(string prefix) => $"'{prefix}0000000-0000-0000-0000-' || printf('%012d', n)";

    private static async Task CopyAsync(SqliteConnection connection, SqliteTransaction transaction, string table, string key, Guid id, int count, Dictionary<string, string> replace)
    {
        var columns = new List<string>();
        await using (var info = connection.CreateCommand())
        {
            info.Transaction = transaction;
            info.CommandText = $"PRAGMA table_info(\"{table}\")";
            await using var reader = await info.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                columns.Add(reader.GetString(1));
            }
        }

        await using var copy = connection.CreateCommand();
        copy.Transaction = transaction;
        copy.CommandText = $"""
            WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < {count})
            INSERT INTO "{table}" ({string.Join(", ", columns.Select(c => $"\"{c}\""))})
            SELECT {string.Join(", ", columns.Select(c => replace.TryGetValue(c, out var e) ? e : $"t.\"{c}\""))}
            FROM seq, "{table}" t WHERE t."{key}" = $id
            """;
        copy.Parameters.AddWithValue("$id", id.ToString().ToUpperInvariant());
        copy.CommandTimeout = 600;
        await copy.ExecuteNonQueryAsync();
    }
}
