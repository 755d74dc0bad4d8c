using System.Data.Common;
using System.Diagnostics;
using AgentConsole.Domain.Decisions;
using AgentConsole.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;

namespace AgentConsole.Bench.Benchmarks;

/// <summary>
/// (p) A queue with 100,000 pending decisions, on SQLite and PostgreSQL: the server time of one page of the queue as the
/// console and the API read it (the count of all that match, 25 rows in order, masked for the viewer) — the first page by
/// due time, a filtered page by lowest confidence, a page half way down — and J/K's neighbours on a decision page, each
/// against reading the same 25 rows by their ids.
/// </summary>
internal static class QueuePageBenchmark
{
    private const int PageSize = 25;

    public static async Task RunAsync(Report report, int pending, int reads)
    {
        foreach (var engine in new[] { TestEngine.Sqlite, TestEngine.PostgreSql })
        {
            await RunAsync(report, engine, pending, reads);
        }
    }

    private static async Task RunAsync(Report report, TestEngine engine, int pending, int reads)
    {
        await using var host = await DomainHost.StartAsync(engine, "bench-queue");
        var name = host.EngineName;
        Console.WriteLine($"(p) queue pages: {pending:#,0} pending decisions in one queue on {name}, {reads:#,0} reads each");
        var template = await host.ProposeAsync(TestCases.UncertainPricing("Queue Bench AG"));
        var queueId = template.QueueId!.Value;
        await using (var connection = await OpenAsync(host))
        {
            await CloneAsync(connection, engine, template, pending - 1);
        }

        var roles = (await host.ActorAsync("operator")).Roles;
        var total = await host.WithDbAsync(db => db.Decisions.CountAsync(d => d.QueueId == queueId && d.Status == DecisionStatus.Pending));
        if (total < pending)
        {
            throw new InvalidOperationException($"The queue holds {total} pending decisions, expected {pending}: the fixture is wrong.");
        }

        var agentId = template.AgentId;
        var measures = new (string Label, DecisionFilter Filter, int Offset)[]
        {
            ("first page, soonest due", new DecisionFilter(), 0),
            ("filtered (agent, risk ≥ High, confidence ≤ 0.85), lowest confidence first", new DecisionFilter(agentId, RiskLevel.High, null, 0.85, DecisionSort.ConfidenceAscending), 0),
            ($"page {pending / 2 / PageSize + 1:#,0} (offset {pending / 2:#,0}), soonest due", new DecisionFilter(), pending / 2),
        };

        foreach (var (label, filter, offset) in measures)
        {
            var (page, bare) = (new List<double>(reads), new List<double>(reads));
            OpenDecisionsPage? last = null;
            for (var i = 0; i <= reads; i++)
            {
                var clock = Stopwatch.StartNew();
                last = await host.WithAsync((DecisionQueries q) => q.PageOpenAsync(queueId, filter, offset, PageSize, roles));
                var a = clock.Elapsed.TotalMilliseconds;
                var ids = last.Items.Select(r => r.Id).ToList();
                clock.Restart();
                await host.WithDbAsync(db => db.Decisions.AsNoTracking().Where(d => ids.Contains(d.Id)).ToListAsync());
                var b = clock.Elapsed.TotalMilliseconds;
                if (i > 0)
                {
                    page.Add(a);
                    bare.Add(b);
                }
            }

            if (last is null || last.Items.Count != PageSize)
            {
                throw new InvalidOperationException($"The page '{label}' held {last?.Items.Count} rows.");
            }

            var p95 = Stats.Percentile(page, 95);
            var bareP95 = Stats.Percentile(bare, 95);
            report.Add(new Row($"(p) Queue page, {label} ({name})", $"{name}, {pending:#,0} pending in one queue, {last.Total:#,0} matching; count + {PageSize} rows masked, {reads:#,0} reads",
                $"p50 {Stats.Ms(Stats.Percentile(page, 50))}, p95 {Stats.Ms(p95)}", $"p95 {Stats.Ms(bareP95)} (the same {PageSize} rows read by id)", $"{p95 / bareP95:0.00}×",
                "p95 ≤ 50 ms", p95 <= 50));
        }

        // J/K on a decision page half way down the queue.
        var middle = (await host.WithAsync((DecisionQueries q) => q.PageOpenAsync(queueId, new DecisionFilter(), pending / 2, 1, roles))).Items.Single().Id;
        var (around, one) = (new List<double>(reads), new List<double>(reads));
        for (var i = 0; i <= reads; i++)
        {
            var clock = Stopwatch.StartNew();
            var (previous, next) = await host.WithAsync((DecisionQueries q) => q.AroundAsync(queueId, middle));
            var a = clock.Elapsed.TotalMilliseconds;
            if (previous is null || next is null)
            {
                throw new InvalidOperationException("A decision half way down the queue has no neighbours.");
            }

            clock.Restart();
            await host.WithDbAsync(db => db.Decisions.AsNoTracking().SingleAsync(d => d.Id == middle));
            var b = clock.Elapsed.TotalMilliseconds;
            if (i > 0)
            {
                around.Add(a);
                one.Add(b);
            }
        }

        var aroundP95 = Stats.Percentile(around, 95);
        var oneP95 = Stats.Percentile(one, 95);
        report.Add(new Row($"(p) Previous and next of a decision, J/K ({name})", $"{name}, {pending:#,0} pending, a decision half way down, {reads:#,0} reads",
            $"p95 {Stats.Ms(aroundP95)}", $"p95 {Stats.Ms(oneP95)} (the decision read by its key)", $"{aroundP95 / oneP95:0.00}×", "p95 ≤ 50 ms", aroundP95 <= 50));

    }

    private static async Task<DbConnection> OpenAsync(DomainHost host)
    {
        var connectionString = await host.WithDbAsync(db => Task.FromResult(db.Database.GetConnectionString()!));
        var isSqlite = await host.WithDbAsync(db => Task.FromResult(db.Database.IsSqlite()));
        DbConnection connection = isSqlite ? new Microsoft.Data.Sqlite.SqliteConnection(connectionString) : new Npgsql.NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        return connection;
    }

    /// <summary>
    /// Copies the template's run and decision <paramref name="count"/> times in SQL: new ids, and spread due times,
    /// arrival times, confidences, priorities and risks, so every order and filter has work to do.
    /// </summary>
    private static async Task CloneAsync(DbConnection connection, TestEngine engine, Decision template, int count)
    {
        var sqlite = engine == TestEngine.Sqlite;
        string Id(string prefix) => sqlite
            ? $"'{prefix}0000000-0000-0000-0000-' || printf('%012d', n)"
            : $"('{prefix}0000000-0000-0000-0000-' || lpad(n::text, 12, '0'))::uuid";

        // SQLite keeps times as EF's binary date-time-offsets: ticks shifted left by 11 bits.
        string Minutes(string column, string minutes) => sqlite ? $"t.\"{column}\" + ({minutes}) * 1228800000000" : $"t.\"{column}\" + ({minutes}) * interval '1 minute'";
        await using var transaction = await connection.BeginTransactionAsync();
        await CopyAsync(connection, transaction, engine, "Runs", template.RunId, count, new() { ["Id"] = Id("1"), ["IdempotencyKey"] = "'bench-' || n" });
        await CopyAsync(connection, transaction, engine, "Decisions", template.Id, count, new()
        {
            ["Id"] = Id("2"),
            ["RunId"] = Id("1"),
            ["DueAt"] = Minutes("DueAt", "(n * 7919) % 100000"),
            ["CreatedAt"] = Minutes("CreatedAt", "-((n * 104729) % 100000)"),
            ["Confidence"] = "0.5 + ((n * 31) % 400) / 1000.0",
            ["Priority"] = "1 + n % 4",
            ["Risk"] = "CASE n % 4 WHEN 0 THEN 'Low' WHEN 1 THEN 'Medium' WHEN 2 THEN 'High' ELSE 'Critical' END",
        });
        await transaction.CommitAsync();
        // As the database's own maintenance leaves a table after a load (PostgreSQL's autovacuum).
        await using var analyze = connection.CreateCommand();
        analyze.CommandText = sqlite ? "ANALYZE" : "VACUUM ANALYZE";
        analyze.CommandTimeout = 600;
        await analyze.ExecuteNonQueryAsync();
    }

    private static async Task CopyAsync(DbConnection connection, DbTransaction transaction, TestEngine engine, string table, Guid id, int count, Dictionary<string, string> replace)
    {
        var sqlite = engine == TestEngine.Sqlite;
        var columns = new List<string>();
        await using (var info = connection.CreateCommand())
        {
            info.Transaction = transaction;
            info.CommandText = sqlite
                ? $"SELECT name FROM pragma_table_info('{table}')"
                : $"SELECT column_name FROM information_schema.columns WHERE table_name = '{table}' AND table_schema = current_schema() ORDER BY ordinal_position";
            await using var reader = await info.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                columns.Add(reader.GetString(0));
            }
        }

        await using var copy = connection.CreateCommand();
        copy.Transaction = transaction;
        var source = sqlite
            ? $"WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < {count}) "
            : "";
        var series = sqlite ? "seq" : $"generate_series(1::bigint, {count}) AS s(n)";
        copy.CommandText = $"""
            {source}INSERT INTO "{table}" ({string.Join(", ", columns.Select(c => $"\"{c}\""))})
            SELECT {string.Join(", ", columns.Select(c => replace.TryGetValue(c, out var e) ? e : $"t.\"{c}\""))}
            FROM {series}, "{table}" t WHERE t."Id" = @id
            """;
        var parameter = copy.CreateParameter();
        parameter.ParameterName = "@id";
        parameter.Value = sqlite ? id.ToString().ToUpperInvariant() : id;
        copy.Parameters.Add(parameter);
        copy.CommandTimeout = 600;
        await copy.ExecuteNonQueryAsync();
    }
}
