using System.Diagnostics;
using AgentConsole.Domain;
using AgentConsole.Domain.Agents;
using AgentConsole.Domain.Agents.BuiltIn;
using AgentConsole.Domain.Decisions;
using AgentConsole.Domain.Persistence;
using AgentConsole.Domain.Pipelines;
using AgentConsole.Domain.Policies;
using AgentConsole.Domain.Tenancy;
using AgentConsole.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace AgentConsole.Bench.Benchmarks;

/// <summary>
/// (e) Policy evaluation on one thread, against the same rules written as plain C#.
/// (f) What-if simulation of a draft over stored history, against reading the same rows alone.
/// </summary>
internal static class PolicyBenchmark
{
    private static readonly PolicyContext Pricing = new(UseCase.DynamicPricing, null, ["pricing"],
        [new PolicyQueue("pricing-t1", 1, true), new PolicyQueue("pricing-t2", 2, false)]);

    /// <summary>Whom the simulation lists flipped decisions for: a board member, as on the review page.</summary>
    private static readonly HashSet<string> Board = [Roles.GovernanceBoard];

    public static async Task RunAsync(Report report, int evaluations, int history)
    {
        Evaluate(report, evaluations);
        await SimulateAsync(report, history);
    }

    private static void Evaluate(Report report, int count)
    {
        Console.WriteLine($"(e) policy evaluation: {count:#,0} pricing proposals on one thread");
        var policy = PolicyDocumentParser.Parse(DefaultPolicies.For(UseCase.DynamicPricing, "pricing-t1", "pricing-t2"), Pricing).Policy
            ?? throw new InvalidOperationException("The default pricing policy does not compile.");
        var subjects = Subjects(Math.Min(count, 50_000));

        // Warm up both, then measure each on this one thread.
        Run(policy, subjects, subjects.Length);
        Bare(subjects, subjects.Length);
        var (policyRate, policyCounts) = Run(policy, subjects, count);
        var (bareRate, bareCounts) = Bare(subjects, count);
        if (policyCounts != bareCounts)
        {
            throw new InvalidOperationException($"The policy routed {policyCounts} but the plain C# rules {bareCounts}: the baseline is not the same policy.");
        }

        report.Add(new Row("(e) Policy evaluation", $"default pricing policy (2 rules, 1 limit), one thread, {count:#,0} proposals",
            $"{policyRate:#,0} decisions/s", $"{bareRate:#,0} decisions/s (same rules in plain C#)", $"{policyRate / bareRate:0.00}×",
            "≥ 100,000 decisions/s", policyRate >= 100_000));
    }

    private static (double Rate, (int, int, int) Routes) Run(CompiledPolicy policy, PolicySubject[] subjects, int count)
    {
        int auto = 0, review = 0, block = 0;
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            switch (policy.Evaluate(subjects[i % subjects.Length]).Route)
            {
                case DecisionRoute.AutoApprove: auto++; break;
                case DecisionRoute.Review: review++; break;
                default: block++; break;
            }
        }

        return (count / clock.Elapsed.TotalSeconds, (auto, review, block));
    }

    /// <summary>The default pricing policy's rules as plain C#: the floor for any evaluator.</summary>
    private static (double Rate, (int, int, int) Routes) Bare(PolicySubject[] subjects, int count)
    {
        int auto = 0, review = 0, block = 0;
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            var s = subjects[i % subjects.Length];
            var discount = s.Proposal["discountPercent"]!.GetValue<decimal>();
            var floor = s.Inputs["marginFloorPercent"]!.GetValue<double>();
            if ((double)discount > 30)
            {
                block++;
            }
            else if ((double)discount > 15 || (double)discount > floor || s.Confidence < 0.85 || s.Risk > RiskLevel.Low)
            {
                review++;
            }
            else
            {
                auto++;
            }
        }

        return (count / clock.Elapsed.TotalSeconds, (auto, review, block));
    }

    private static PolicySubject[] Subjects(int count)
    {
        var generator = new SyntheticCaseGenerator(new Random(42));
        var agent = new DynamicPricingAgent();
        return [.. Enumerable.Range(0, count).Select(_ =>
        {
            var c = generator.Next(UseCase.DynamicPricing);
            var p = agent.ProposeAsync(c.Inputs, CancellationToken.None).GetAwaiter().GetResult();
            return new PolicySubject("pricing", p.Confidence, p.Risk, p.ExposureEur, p.Values, c.Inputs);
        })];
    }

    private static async Task SimulateAsync(Report report, int count)
    {
        Console.WriteLine($"(f) what-if simulation: {count:#,0} stored pricing decisions on SQLite");
        var directory = TestPaths.NewDirectory("bench-policy");
        await using var database = await TestDatabase.CreateAsync(TestEngine.Sqlite, directory);
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Development" });
        builder.Configuration.AddInMemoryCollection(database.Settings);
        builder.AddAgentConsoleDomain();
        builder.Services.AddLogging();
        builder.Services.AddSingleton<IPipelineScheduler, NoScheduler>();
        using var host = builder.Build();
        await host.Services.InitializeDatabaseAsync();

        var setup = Stopwatch.StartNew();
        await using (var seeding = Scope(host))
        {
            await using var db = seeding.ServiceProvider.GetRequiredService<IAgentConsoleDbFactory>().Create();
            // Spread over 29 days, so none falls out of the 30-day window while the benchmark runs.
            await DemoHistory.SeedAsync(db, host.Services.GetRequiredService<AgentRegistry>(), host.Services.GetRequiredService<PolicyCache>(),
                DemoData.ContosoId, count, 29, TimeProvider.System, seed: 7, CancellationToken.None, UseCase.DynamicPricing);
        }

        report.Note($"(f) {count:#,0} past pricing decisions were generated and stored in {setup.Elapsed.TotalSeconds:0} s (setup, not measured).");

        await using var scope = Scope(host);
        var services = scope.ServiceProvider;
        var author = (await host.Services.GetRequiredService<UserDirectory>().FindAsync("author"))!.Value.User.ToActor();
        var policies = services.GetRequiredService<PolicyService>();
        Guid draftId;
        await using (var db = services.GetRequiredService<IAgentConsoleDbFactory>().Create())
        {
            var pricingScope = await db.PolicyScopes.SingleAsync(s => s.Key == nameof(UseCase.DynamicPricing));
            var draft = await policies.CreateDraftAsync(author, pricingScope.Id);
            await policies.SaveDraftAsync(author, draft.Id, draft.Document.Replace("minConfidence: 0.85", "minConfidence: 0.78", StringComparison.Ordinal), "Lower threshold");
            draftId = draft.Id;
        }

        // The floor: reading the same rows, and nothing else.
        var bare = Stopwatch.StartNew();
        await using (var db = services.GetRequiredService<IAgentConsoleDbFactory>().Create())
        {
            var from = DateTimeOffset.UtcNow.AddDays(-30);
            var rows = await db.Decisions.AsNoTracking().Where(d => d.UseCase == UseCase.DynamicPricing && d.CreatedAt >= from)
                .OrderByDescending(d => d.CreatedAt).Take(PolicySimulator.MaxDecisions)
                .Select(d => new { d.Id, d.Subject, d.AgentId, d.Confidence, d.ProposedRisk, d.ExposureEur, d.ProposalJson, d.InputsJson, d.FinalJson, d.Status, d.CreatedAt })
                .ToListAsync();
            if (rows.Count != count)
            {
                throw new InvalidOperationException($"Read {rows.Count} rows, expected {count}.");
            }
        }

        bare.Stop();
        var simulator = services.GetRequiredService<PolicySimulator>();
        await simulator.SimulateAsync(draftId, Board, 30, count);
        var clock = Stopwatch.StartNew();
        var result = await simulator.SimulateAsync(draftId, Board, 30, count);
        clock.Stop();
        if (result.Replayed != count)
        {
            throw new InvalidOperationException($"Replayed {result.Replayed}, expected {count}.");
        }

        report.Add(new Row("(f) What-if simulation", $"SQLite, {count:#,0} stored decisions, draft vs policy in force",
            $"{clock.Elapsed.TotalSeconds:0.00} s ({result.Elapsed.TotalSeconds:0.00} s replaying)", $"{bare.Elapsed.TotalSeconds:0.00} s (reading the rows)",
            $"{clock.Elapsed.TotalSeconds / bare.Elapsed.TotalSeconds:0.00}×", count >= 100_000 ? "< 10 s for 100,000" : "< 10 s for 100,000 (quick run: fewer)", clock.Elapsed.TotalSeconds < 10));
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        TestPaths.TryDelete(directory);
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
