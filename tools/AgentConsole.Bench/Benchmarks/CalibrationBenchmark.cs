using System.Diagnostics;
using AgentConsole.Domain;
using AgentConsole.Domain.Decisions;
using AgentConsole.Domain.Persistence;
using AgentConsole.Domain.Pipelines;
using AgentConsole.Domain.Tenancy;
using AgentConsole.Domain.Training.Calibration;
using AgentConsole.Domain.Training.Scenarios;
using AgentConsole.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace AgentConsole.Bench.Benchmarks;

/// <summary>
/// (m) Calibration in production on SQLite, under the shipped pricing policy (two gold items an hour): seeding one gold
/// item (generate cases until the policy routes one to the queue, let the agent propose, write run, decision, gold item
/// and audit) against proposing one case through the pipeline; answering a gold item (scored against gold, the window
/// read for a pause) against approving a real item, interleaved; and the calibration dashboard against reading its
/// answers as rows.
/// </summary>
internal static class CalibrationBenchmark
{
    private static readonly TimeSpan Slot = TimeSpan.FromMinutes(30);

    public static async Task RunAsync(Report report, int items)
    {
        Console.WriteLine($"(m) calibration: {items:#,0} gold items seeded and answered, as many real items proposed and approved, on SQLite");
        var directory = TestPaths.NewDirectory("bench-calibration");
        await using var database = await TestDatabase.CreateAsync(TestEngine.Sqlite, directory);
        var clock = new ManualClock(GoldItemSeeding.SlotOf(DateTimeOffset.UtcNow, Slot) + TimeSpan.FromMinutes(25));
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Development" });
        builder.Configuration.AddInMemoryCollection(database.Settings);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Audit:CheckpointKey"] = TestKeys.CheckpointKey,
            ["Audit:CheckpointDirectory"] = Path.Combine(directory, "checkpoints"),
            ["Certifications:CodeKeyFile"] = Path.Combine(directory, "certificate-code.key"),
            ["Demo:HistoryDecisions"] = "0",
        });
        builder.AddAgentConsoleDomain();
        builder.Services.AddLogging();
        builder.Services.AddSingleton<TimeProvider>(clock);
        builder.Services.AddSingleton<IPipelineScheduler, NoScheduler>();
        using var host = builder.Build();
        await host.Services.InitializeDatabaseAsync();
        var users = host.Services.GetRequiredService<UserDirectory>();
        var olivia = (await users.FindAsync("operator"))!.Value.User.ToActor();
        var trainer = (await users.FindAsync("trainer"))!.Value.User.ToActor();

        // Seeding against proposing, interleaved; the first pair warms up and is not counted.
        var gold = new List<GoldItem>(items);
        var real = new List<Guid>(items);
        var (seedTime, proposeTime) = (TimeSpan.Zero, TimeSpan.Zero);
        for (var i = 0; i <= items; i++)
        {
            clock.Advance(Slot);
            var seed = Stopwatch.StartNew();
            await using (var scope = Scope(host))
            {
                if (await scope.ServiceProvider.GetRequiredService<GoldItemSeeding>().SeedDueAsync() != 1)
                {
                    throw new InvalidOperationException("No gold item was seeded for the slot.");
                }
            }

            seed.Stop();
            var propose = Stopwatch.StartNew();
            var decisionId = await ProposeAsync(host, $"Real Buyer {i}");
            propose.Stop();
            if (i > 0)
            {
                (seedTime, proposeTime) = (seedTime + seed.Elapsed, proposeTime + propose.Elapsed);
                real.Add(decisionId);
            }
        }

        await using (var scope = Scope(host))
        {
            await using var db = scope.ServiceProvider.GetRequiredService<IAgentConsoleDbFactory>().Create();
            gold.AddRange((await db.GoldItems.AsNoTracking().ToListAsync()).OrderBy(g => g.SlotStart).Skip(1));
        }

        var seedMs = seedTime.TotalMilliseconds / items;
        var proposeMs = proposeTime.TotalMilliseconds / items;
        report.Add(new Row("(m) Gold item seeding", $"SQLite, one slot of the shipped pricing policy, {items:#,0} slots",
            $"{Stats.Ms(seedMs)} per gold item", $"{Stats.Ms(proposeMs)} (one case proposed through the pipeline)", $"{seedMs / proposeMs:0.00}×",
            "≤ 2× (and far inside the job's minute)", seedMs / proposeMs <= 2));

        // Answering gold (right and wrong alternately, so the window is read and never pauses) against approving real items.
        var (answerTime, approveTime) = (TimeSpan.Zero, TimeSpan.Zero);
        for (var i = 0; i < items; i++)
        {
            var a = await AnswerAsync(host, gold[i], olivia, right: i % 3 != 2);
            var b = await ClaimAndApproveAsync(host, real[i], olivia);
            if (i > 0)
            {
                (answerTime, approveTime) = (answerTime + a, approveTime + b);
            }
        }

        var counted = items - 1;
        var answerMs = answerTime.TotalMilliseconds / counted;
        var approveMs = approveTime.TotalMilliseconds / counted;
        report.Add(new Row("(m) Gold answer", $"SQLite, claim + answer by one operator, {counted:#,0} items each way",
            $"{Stats.Ms(answerMs)} per claim + answer (scored, window read)", $"{Stats.Ms(approveMs)} (a real item approved)", $"{answerMs / approveMs:0.00}×",
            "≤ 1.3× (scoring adds at most 30 %)", answerMs / approveMs <= 1.3));

        // The dashboard against reading its rows.
        const int Reads = 50;
        var dashboard = Stopwatch.StartNew();
        for (var i = 0; i < Reads; i++)
        {
            await using var scope = Scope(host);
            await scope.ServiceProvider.GetRequiredService<CalibrationQueries>().DashboardAsync(trainer, 30);
        }

        dashboard.Stop();
        var rows = Stopwatch.StartNew();
        for (var i = 0; i < Reads; i++)
        {
            await using var scope = Scope(host);
            await using var db = scope.ServiceProvider.GetRequiredService<IAgentConsoleDbFactory>().Create();
            await db.GoldItemAnswers.AsNoTracking().ToListAsync();
        }

        rows.Stop();
        var dashboardMs = dashboard.Elapsed.TotalMilliseconds / Reads;
        var rowsMs = rows.Elapsed.TotalMilliseconds / Reads;
        report.Add(new Row("(m) Calibration dashboard", $"SQLite, {items:#,0} gold answers over 30 days, {Reads} reads",
            $"{Stats.Ms(dashboardMs)} per dashboard", $"{Stats.Ms(rowsMs)} (the answers read as rows)", $"{dashboardMs / rowsMs:0.00}×",
            "≤ 100 ms", dashboardMs <= 100));
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        TestPaths.TryDelete(directory);
    }

    private static async Task<TimeSpan> AnswerAsync(IHost host, GoldItem gold, Actor actor, bool right)
    {
        await using var scope = Scope(host);
        var service = scope.ServiceProvider.GetRequiredService<DecisionService>();
        var action = right ? gold.GoldAction : gold.GoldAction == GoldAction.Approve ? GoldAction.Reject : GoldAction.Approve;
        var clock = Stopwatch.StartNew();
        await service.ClaimAsync(gold.DecisionId, actor);
        _ = action switch
        {
            GoldAction.Approve => await service.ApproveAsync(gold.DecisionId, actor, "Within policy"),
            GoldAction.Override => await service.OverrideAsync(gold.DecisionId, actor, gold.GoldValues, "Corrected"),
            GoldAction.Reject => await service.RejectAsync(gold.DecisionId, actor, "Not justified"),
            _ => await service.EscalateAsync(gold.DecisionId, actor, "For a senior"),
        };
        clock.Stop();
        return clock.Elapsed;
    }

    private static async Task<TimeSpan> ClaimAndApproveAsync(IHost host, Guid decisionId, Actor actor)
    {
        await using var scope = Scope(host);
        var service = scope.ServiceProvider.GetRequiredService<DecisionService>();
        var clock = Stopwatch.StartNew();
        await service.ClaimAsync(decisionId, actor);
        var approved = await service.ApproveAsync(decisionId, actor, "Within policy");
        clock.Stop();
        return approved.Status == DecisionStatus.Approved ? clock.Elapsed : throw new InvalidOperationException($"Decision {decisionId} is {approved.Status}.");
    }

    private static async Task<Guid> ProposeAsync(IHost host, string subject)
    {
        await using var scope = Scope(host);
        var pipeline = scope.ServiceProvider.GetRequiredService<PipelineService>();
        await using var db = scope.ServiceProvider.GetRequiredService<IAgentConsoleDbFactory>().Create();
        var agent = await db.Agents.SingleAsync(a => a.Key == "pricing");
        var c = TestCases.UncertainPricing(subject);
        var runId = await pipeline.StartRunAsync(agent.Id, c.Subject, c.Inputs, c.Truth, Actor.System(DemoData.ContosoId, "bench feed"));
        await pipeline.ProcessRunAsync(runId);
        return await db.Decisions.Where(d => d.RunId == runId).Select(d => d.Id).SingleAsync();
    }

    private static AsyncServiceScope Scope(IHost host)
    {
        var scope = host.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantContext>().Use(DemoData.ContosoId);
        return scope;
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
