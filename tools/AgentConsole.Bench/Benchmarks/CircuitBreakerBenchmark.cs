using System.Diagnostics;
using AgentConsole.Domain.Agents.Pause;
using AgentConsole.Domain.Persistence;
using AgentConsole.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AgentConsole.Bench.Benchmarks;

/// <summary>
/// (o) The circuit breaker's cost per human resolution, on SQLite and PostgreSQL with the demo history (resolved decisions
/// over 30 days, calibration gold items among them): the whole check as DecisionService runs it after a resolution (the
/// agent, the policy in force, one aggregate over the policy's 1-hour window) against reading one decision by its key; and
/// the aggregate over a 30-day window (every resolution of the agent, gold items left out) against a bare count of the
/// agent's decisions.
/// </summary>
internal static class CircuitBreakerBenchmark
{
    public static async Task RunAsync(Report report, int history, int checks)
    {
        foreach (var engine in new[] { TestEngine.Sqlite, TestEngine.PostgreSql })
        {
            await RunAsync(report, engine, history, checks);
        }
    }

    private static async Task RunAsync(Report report, TestEngine engine, int history, int checks)
    {
        await using var host = await DomainHost.StartAsync(engine, "bench-breaker", new Dictionary<string, string?>
        {
            ["Demo:HistoryDecisions"] = history.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Demo:HistoryDays"] = "30",
        });
        var name = host.EngineName;
        Console.WriteLine($"(o) circuit breaker: {history:#,0} past decisions, {checks:#,0} checks, on {name}");

        Guid agentId;
        Guid[] decisionIds;
        await using (var scope = host.Scope())
        {
            await using var db = scope.ServiceProvider.GetRequiredService<IAgentConsoleDbFactory>().Create();
            agentId = await db.Agents.Where(a => a.Key == "pricing").Select(a => a.Id).SingleAsync();
            decisionIds = await db.Decisions.Where(d => d.AgentId == agentId).Select(d => d.Id).Take(checks).ToArrayAsync();
        }

        var resolved = await host.WithDbAsync(db => CircuitBreaker.FiguresAsync(db, agentId, DateTimeOffset.UtcNow.AddDays(-31), default));
        if (resolved.Resolved == 0 || decisionIds.Length == 0)
        {
            throw new InvalidOperationException("The demo history holds no resolved pricing decisions to measure over.");
        }

        // The whole check, as after a resolution, against reading the resolved decision by its key; interleaved, the first pair warms up.
        var (check, read) = (new List<double>(checks), new List<double>(checks));
        for (var i = 0; i <= checks; i++)
        {
            var a = await TimeAsync(host, async s => await s.GetRequiredService<CircuitBreaker>().CheckAsync(agentId));
            var id = decisionIds[i % decisionIds.Length];
            var b = await TimeAsync(host, async s =>
            {
                await using var db = s.GetRequiredService<IAgentConsoleDbFactory>().Create();
                return await db.Decisions.AsNoTracking().SingleAsync(d => d.Id == id);
            });
            if (i > 0)
            {
                check.Add(a);
                read.Add(b);
            }
        }

        var checkP95 = Stats.Percentile(check, 95);
        var readP95 = Stats.Percentile(read, 95);
        report.Add(new Row($"(o) Breaker check per resolution ({name})", $"{name}, {history:#,0} past decisions, the shipped pricing policy (1 h window), {checks:#,0} checks",
            $"p95 {Stats.Ms(checkP95)}", $"p95 {Stats.Ms(readP95)} (one decision read by its key)", $"{checkP95 / readP95:0.00}×",
            "p95 ≤ 5 ms", checkP95 <= 5));

        // The aggregate over every resolution of the agent (a 30-day window) against a bare count of its decisions.
        var since = DateTimeOffset.UtcNow.AddDays(-31);
        var (aggregate, count) = (new List<double>(checks), new List<double>(checks));
        for (var i = 0; i <= checks; i++)
        {
            var a = await TimeAsync(host, async s =>
            {
                await using var db = s.GetRequiredService<IAgentConsoleDbFactory>().Create();
                return await CircuitBreaker.FiguresAsync(db, agentId, since, default);
            });
            var b = await TimeAsync(host, async s =>
            {
                await using var db = s.GetRequiredService<IAgentConsoleDbFactory>().Create();
                return await db.Decisions.CountAsync(d => d.AgentId == agentId);
            });
            if (i > 0)
            {
                aggregate.Add(a);
                count.Add(b);
            }
        }

        var aggregateP95 = Stats.Percentile(aggregate, 95);
        var countP95 = Stats.Percentile(count, 95);
        report.Add(new Row($"(o) Breaker aggregate, 30-day window ({name})", $"{name}, {resolved.Resolved:#,0} resolutions of one agent (gold items left out), {checks:#,0} reads",
            $"p95 {Stats.Ms(aggregateP95)}", $"p95 {Stats.Ms(countP95)} (a bare count of the agent's decisions)", $"{aggregateP95 / countP95:0.00}×",
            "≤ 4× the bare count", aggregateP95 / countP95 <= 4));
    }

    private static async Task<double> TimeAsync<T>(DomainHost host, Func<IServiceProvider, Task<T>> act)
    {
        await using var scope = host.Scope();
        var clock = Stopwatch.StartNew();
        await act(scope.ServiceProvider);
        return clock.Elapsed.TotalMilliseconds;
    }
}
