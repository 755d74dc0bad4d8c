using System.Diagnostics;
using System.Text.Json.Nodes;
using AgentConsole.Domain;
using AgentConsole.Domain.Decisions;
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
/// (r) Four-eyes verdicts through <see cref="DecisionService"/>, on SQLite and PostgreSQL: a verdict that is one of those
/// needed (back to the queue, blind), and the last verdict when it disagrees (the round's reviews read, the system's
/// escalation with both verdicts attached, two audit entries, one live event) — each against the bare baseline of a
/// single-reviewer approval of the same kind of decision, measured interleaved in the same run.
/// </summary>
internal static class FourEyesBenchmark
{
    public static async Task RunAsync(Report report, int decisions)
    {
        foreach (var engine in new[] { TestEngine.Sqlite, TestEngine.PostgreSql })
        {
            await RunAsync(report, engine, decisions);
        }
    }

    private static async Task RunAsync(Report report, TestEngine engine, int count)
    {
        var name = engine == TestEngine.Sqlite ? "SQLite" : "PostgreSQL";
        Console.WriteLine($"(r) four-eyes verdicts: {count:#,0} decisions of each kind on {name}");
        var directory = TestPaths.NewDirectory("bench-four-eyes");
        await using var database = await TestDatabase.CreateAsync(engine, directory);
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Development" });
        builder.Configuration.AddInMemoryCollection(database.Settings);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Audit:CheckpointKey"] = TestKeys.CheckpointKey,
            ["Audit:CheckpointDirectory"] = Path.Combine(directory, "checkpoints"),
            ["Certifications:CodeKeyFile"] = Path.Combine(directory, "certificate-code.key"),
        });
        builder.AddAgentConsoleDomain();
        builder.Services.AddLogging();
        builder.Services.AddSingleton<IPipelineScheduler, NoScheduler>();
        using var host = builder.Build();
        await host.Services.InitializeDatabaseAsync();
        var harness = new Tenant(host.Services);
        var olivia = await harness.ActorAsync("operator");
        var omar = await harness.ActorAsync("operator2");
        var single = new List<Guid>(count + 1);
        var fourEyes = new List<Guid>(count + 1);
        for (var i = 0; i <= count; i++)
        {
            single.Add((await harness.ProposeAsync(TestCases.UncertainPricing($"Single {i} AB"))).Id);
            fourEyes.Add((await harness.ProposeAsync(TestCases.UncertainPricing($"Four Eyes {i} AB"))).Id);
        }

        await harness.WithDbAsync(db => db.Decisions.Where(d => fourEyes.Contains(d.Id)).ExecuteUpdateAsync(s => s.SetProperty(d => d.ReviewersRequired, 2)));

        // Interleaved, the first of each warms up: a single approval (the baseline), the first four-eyes verdict, the last one that disagrees.
        var (baseline, first, last) = (new List<double>(count), new List<double>(count), new List<double>(count));
        for (var i = 0; i <= count; i++)
        {
            var b = await TimeAsync(harness, s => s.ApproveAsync(single[i], olivia, "Fine"));
            var f = await TimeAsync(harness, s => s.ApproveAsync(fourEyes[i], olivia, "Within the margin floor"));
            var l = await TimeAsync(harness, s => s.RejectAsync(fourEyes[i], omar, "The competitor gap is too small"));
            if (i > 0)
            {
                baseline.Add(b);
                first.Add(f);
                last.Add(l);
            }
        }

        var escalated = await harness.WithDbAsync(db => db.Decisions.CountAsync(d => fourEyes.Contains(d.Id) && d.Status == DecisionStatus.Escalated && d.ReviewersDisagreedAt != null));
        if (escalated != fourEyes.Count)
        {
            throw new InvalidOperationException($"{escalated} of {fourEyes.Count} four-eyes decisions were escalated by the disagreement: the fixture is wrong.");
        }

        var baseP95 = Stats.Percentile(baseline, 95);
        var firstP95 = Stats.Percentile(first, 95);
        var lastP95 = Stats.Percentile(last, 95);
        var against = $"p95 {Stats.Ms(baseP95)} (a single-reviewer approval)";
        report.Add(new Row($"(r) Four-eyes verdict, not the last ({name})", $"{name}, {count:#,0} verdicts through DecisionService (back to the queue, audited, live event)",
            $"p95 {Stats.Ms(firstP95)}", against, $"{firstP95 / baseP95:0.00}×", "p95 ≤ 100 ms and ≤ 2× the baseline", firstP95 <= 100 && firstP95 / baseP95 <= 2));
        report.Add(new Row($"(r) Four-eyes verdict that disagrees ({name})", $"{name}, {count:#,0} last verdicts escalated with both attached (reviews read, two audit entries, one live event)",
            $"p95 {Stats.Ms(lastP95)}", against, $"{lastP95 / baseP95:0.00}×", "p95 ≤ 100 ms and ≤ 2× the baseline", lastP95 <= 100 && lastP95 / baseP95 <= 2));
        if (engine == TestEngine.Sqlite)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        }

        TestPaths.TryDelete(directory);
    }

    private static async Task<double> TimeAsync(Tenant harness, Func<DecisionService, Task<Decision>> act)
    {
        await using var scope = harness.Scope();
        var service = scope.ServiceProvider.GetRequiredService<DecisionService>();
        var clock = Stopwatch.StartNew();
        await act(service);
        return clock.Elapsed.TotalMilliseconds;
    }

    /// <summary>Jobs are not run: each case is processed in place, and nothing approved is executed.</summary>
    private sealed class NoScheduler : IPipelineScheduler
    {
        public void EnqueueRun(Guid tenantId, Guid runId)
        {
        }

        public void EnqueueExecution(Guid tenantId, Guid decisionId)
        {
        }
    }

    /// <summary>The demo tenant Contoso: its reviewers, and its cases proposed as the feed and its job would.</summary>
    private sealed class Tenant(IServiceProvider services)
    {
        public AsyncServiceScope Scope()
        {
            var scope = services.CreateAsyncScope();
            scope.ServiceProvider.GetRequiredService<TenantContext>().Use(DemoData.ContosoId);
            return scope;
        }

        public async Task<T> WithDbAsync<T>(Func<AgentConsoleDbContext, Task<T>> read)
        {
            await using var scope = Scope();
            await using var db = scope.ServiceProvider.GetRequiredService<IAgentConsoleDbFactory>().Create();
            return await read(db);
        }

        public async Task<Actor> ActorAsync(string userName)
        {
            var found = await services.GetRequiredService<UserDirectory>().FindAsync(userName) ?? throw new InvalidOperationException($"No demo user {userName}");
            return found.User.ToActor();
        }

        public async Task<Decision> ProposeAsync((string Subject, JsonObject Inputs, JsonObject Truth) c)
        {
            await using var scope = Scope();
            var pipelines = scope.ServiceProvider.GetRequiredService<PipelineService>();
            var agentId = await WithDbAsync(db => db.Agents.Where(a => a.Key == "pricing").Select(a => a.Id).SingleAsync());
            var runId = await pipelines.StartRunAsync(agentId, c.Subject, c.Inputs, c.Truth, Actor.System(DemoData.ContosoId, "bench feed"));
            await pipelines.ProcessRunAsync(runId);
            return await WithDbAsync(db => db.Decisions.AsNoTracking().SingleAsync(d => d.RunId == runId));
        }
    }
}
