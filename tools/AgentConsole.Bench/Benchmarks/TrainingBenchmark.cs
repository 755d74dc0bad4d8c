using System.Diagnostics;
using System.Text.Json.Nodes;
using AgentConsole.Domain;
using AgentConsole.Domain.Agents;
using AgentConsole.Domain.Agents.BuiltIn;
using AgentConsole.Domain.Persistence;
using AgentConsole.Domain.Pipelines;
using AgentConsole.Domain.Tenancy;
using AgentConsole.Domain.Training.Scenarios;
using AgentConsole.Domain.Training.Scoring;
using AgentConsole.Domain.Training.Tracks;
using AgentConsole.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace AgentConsole.Bench.Benchmarks;

/// <summary>
/// (l) Scoring training sessions (accuracy, time per item, Cohen's kappa) against counting right actions alone, and
/// generating a track's scenarios (generator, agent, gold, one audited save on SQLite) against the generator and agent alone.
/// </summary>
internal static class TrainingBenchmark
{
    private const int ItemsPerSession = 40;

    public static async Task RunAsync(Report report, int sessions, int generated)
    {
        Score(report, sessions);
        await GenerateAsync(report, generated);
    }

    private static void Score(Report report, int sessions)
    {
        Console.WriteLine($"(l) scoring: {sessions:#,0} sessions of {ItemsPerSession} pricing items");
        var (gold, answers) = Sessions(Math.Min(sessions, 1000));
        Scored(gold, answers, gold.Length);
        Counted(gold, answers, gold.Length);
        var (rate, right) = Scored(gold, answers, sessions);
        var (bareRate, bareRight) = Counted(gold, answers, sessions);
        if (right > bareRight)
        {
            throw new InvalidOperationException($"Scoring found {right} right answers, more than the {bareRight} right actions: the fixture is wrong.");
        }

        report.Add(new Row("(l) Training scoring", $"{sessions:#,0} sessions × {ItemsPerSession} items: accuracy with override values, time per item, kappa",
            $"{rate:#,0} sessions/s", $"{bareRate:#,0} sessions/s (count right actions only)", $"{rate / bareRate:0.00}×", "≥ 10,000 sessions/s", rate >= 10_000));
    }

    private static (double Rate, long Right) Scored(GoldAnswer[][] gold, ScenarioAnswer[][] answers, int count)
    {
        long right = 0;
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            right += TrainingScorer.Score(gold[i % gold.Length], answers[i % answers.Length]).Correct;
        }

        return (count / clock.Elapsed.TotalSeconds, right);
    }

    /// <summary>The floor: matching each answer to its item and counting equal actions, nothing else.</summary>
    private static (double Rate, long Right) Counted(GoldAnswer[][] gold, ScenarioAnswer[][] answers, int count)
    {
        long right = 0;
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            var byId = answers[i % answers.Length].ToDictionary(a => a.ScenarioId);
            foreach (var g in gold[i % gold.Length])
            {
                if (byId.TryGetValue(g.ScenarioId, out var a) && a.Action == g.Action)
                {
                    right++;
                }
            }
        }

        return (count / clock.Elapsed.TotalSeconds, right);
    }

    private static (GoldAnswer[][] Gold, ScenarioAnswer[][] Answers) Sessions(int count)
    {
        var random = new Random(12);
        var gold = new GoldAnswer[count][];
        var answers = new ScenarioAnswer[count][];
        for (var s = 0; s < count; s++)
        {
            gold[s] = new GoldAnswer[ItemsPerSession];
            answers[s] = new ScenarioAnswer[ItemsPerSession];
            for (var i = 0; i < ItemsPerSession; i++)
            {
                var id = Guid.NewGuid();
                var action = (GoldAction)random.Next(4);
                var value = random.Next(0, 60);
                gold[s][i] = new GoldAnswer(id, UseCase.DynamicPricing, action, action == GoldAction.Override ? new JsonObject { ["discountPercent"] = value } : null);
                var answered = random.NextDouble() < 0.8 ? action : (GoldAction)random.Next(4);
                answers[s][i] = new ScenarioAnswer(id, answered, answered == GoldAction.Override ? new JsonObject { ["discountPercent"] = value + (random.Next(3) * 0.5m) } : null, random.Next(5, 90));
            }
        }

        return (gold, answers);
    }

    private static async Task GenerateAsync(Report report, int count)
    {
        Console.WriteLine($"(l) generation: {count} pricing scenarios into a draft track on SQLite");
        var directory = TestPaths.NewDirectory("bench-training");
        await using var database = await TestDatabase.CreateAsync(TestEngine.Sqlite, directory);
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Development" });
        builder.Configuration.AddInMemoryCollection(database.Settings);
        builder.AddAgentConsoleDomain();
        builder.Services.AddLogging();
        builder.Services.AddSingleton<IPipelineScheduler, NoScheduler>();
        using var host = builder.Build();
        await host.Services.InitializeDatabaseAsync();

        await using var scope = host.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantContext>().Use(DemoData.ContosoId);
        var trainer = (await host.Services.GetRequiredService<UserDirectory>().FindAsync("trainer"))!.Value.User.ToActor();
        var tracks = scope.ServiceProvider.GetRequiredService<TrackAuthoring>();
        var library = scope.ServiceProvider.GetRequiredService<ScenarioLibrary>();
        Guid agentId;
        await using (var db = scope.ServiceProvider.GetRequiredService<IAgentConsoleDbFactory>().Create())
        {
            agentId = await db.Agents.Where(a => a.Key == "pricing").Select(a => a.Id).SingleAsync();
        }

        async Task<Track> DraftAsync(string key)
        {
            var track = await tracks.CreateAsync(new TrackSettings(key, "Bench", "", key, 80, 20, 3, 365), trainer);
            return await tracks.AddExerciseAsync(track.Id, "Generated", "", trainer);
        }

        // Warm up both paths once, then measure each.
        var warm = await DraftAsync("bench-warm");
        await library.GenerateAsync(warm.Id, warm.Exercises[0].Id, agentId, 5, trainer, seed: 1);
        await BareAsync(5);
        var track = await DraftAsync("bench-measured");
        var clock = Stopwatch.StartNew();
        var added = await library.GenerateAsync(track.Id, track.Exercises[0].Id, agentId, count, trainer, seed: 2);
        clock.Stop();
        var bare = await BareAsync(count);
        if (added.Count != count)
        {
            throw new InvalidOperationException($"Generated {added.Count}, expected {count}.");
        }

        report.Add(new Row("(l) Scenario generation", $"{count} pricing scenarios into a draft track (SQLite, audited, one save)",
            Stats.Ms(clock.Elapsed.TotalMilliseconds), Stats.Ms(bare.TotalMilliseconds) + " (generator and agent alone, no database)",
            $"{clock.Elapsed.TotalMilliseconds / bare.TotalMilliseconds:0.0}×", "≤ 2,000 ms (a trainer's click)", clock.Elapsed.TotalMilliseconds <= 2_000));
        TestPaths.TryDelete(directory);
    }

    private static async Task<TimeSpan> BareAsync(int count)
    {
        var generator = new SyntheticCaseGenerator(new Random(2));
        var agent = new DynamicPricingAgent();
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            var c = generator.Next(UseCase.DynamicPricing);
            var proposal = await agent.ProposeAsync(c.Inputs, CancellationToken.None);
            _ = ScenarioLibrary.FromTruth(UseCase.DynamicPricing, proposal.Values, c.Truth);
        }

        return clock.Elapsed;
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
