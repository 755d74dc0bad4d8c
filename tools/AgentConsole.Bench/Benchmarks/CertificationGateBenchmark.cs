using System.Diagnostics;
using AgentConsole.Domain;
using AgentConsole.Domain.Agents;
using AgentConsole.Domain.Decisions;
using AgentConsole.Domain.Persistence;
using AgentConsole.Domain.Pipelines;
using AgentConsole.Domain.Tenancy;
using AgentConsole.Domain.Training.Certifications;
using AgentConsole.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace AgentConsole.Bench.Benchmarks;

/// <summary>
/// (k) The certification gate on SQLite: an operator claims and approves decisions whose review requirement names a
/// certification (the gate reads her certifications with the clock of each action) against the same claim and approval
/// of decisions that need none, interleaved in the same run; and checks of certificate verification codes (hash, indexed
/// lookup, organisation) against reading the same certification by its id.
/// </summary>
internal static class CertificationGateBenchmark
{
    private const string Key = "pricing-reviewer";

    public static async Task RunAsync(Report report, int decisions, int checks)
    {
        Console.WriteLine($"(k) certification gate: {decisions:#,0} claims and approvals each way, {checks:#,0} code checks on SQLite");
        var directory = TestPaths.NewDirectory("bench-certifications");
        await using var database = await TestDatabase.CreateAsync(TestEngine.Sqlite, directory);
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
        builder.Services.AddSingleton<IPipelineScheduler, NoScheduler>();
        using var host = builder.Build();
        await host.Services.InitializeDatabaseAsync();
        var users = host.Services.GetRequiredService<UserDirectory>();
        async Task<Actor> Person(string userName) => (await users.FindAsync(userName))!.Value.User.ToActor();
        var olivia = await Person("operator");

        var setup = Stopwatch.StartNew();
        var open = await ProposeAsync(host, decisions, "Ungated");
        await RequireCertificationAsync(host, await Person("author"), await Person("board1"), await Person("board2"));
        var gated = await ProposeAsync(host, decisions, "Gated");
        CertificationView granted;
        await using (var scope = Scope(host))
        {
            granted = await scope.ServiceProvider.GetRequiredService<CertificationGrants>().GrantAsync(Actor.System(DemoData.ContosoId, "exam"), olivia.Id,
                new CertificationGrant(Key, "Pricing reviewer", TimeSpan.FromDays(365)), "Benchmark");
        }

        report.Note($"(k) {2 * decisions:#,0} decisions were proposed through the pipeline, half under a policy naming {Key}, in {setup.Elapsed.TotalSeconds:0} s (setup, not measured).");

        // Interleaved, so both sides see the same machine; the first pair warms up and is not counted.
        var plain = TimeSpan.Zero;
        var checkedGate = TimeSpan.Zero;
        for (var i = 0; i < decisions; i++)
        {
            var a = await ClaimAndApproveAsync(host, open[i], olivia);
            var b = await ClaimAndApproveAsync(host, gated[i], olivia);
            if (i > 0)
            {
                plain += a;
                checkedGate += b;
            }
        }

        var counted = decisions - 1;
        var plainMs = plain.TotalMilliseconds / counted;
        var gatedMs = checkedGate.TotalMilliseconds / counted;
        report.Add(new Row("(k) Certification gate", $"SQLite, claim + approve by one operator, {counted:#,0} decisions each way",
            $"{Stats.Ms(gatedMs)} per claim + approve (certification required)", $"{Stats.Ms(plainMs)} (none required)",
            $"{gatedMs / plainMs:0.00}×", "≤ 1.15× (the gate adds at most 15 %)", gatedMs / plainMs <= 1.15));

        string code;
        await using (var scope = Scope(host))
        {
            code = (await scope.ServiceProvider.GetRequiredService<CertificationQueries>().MineAsync(olivia)).Single().Code;
        }

        var verification = host.Services.GetRequiredService<CertificateVerification>();
        var factory = host.Services.GetRequiredService<DatabaseProvider>();
        await verification.VerifyAsync(code);
        var verify = Stopwatch.StartNew();
        for (var i = 0; i < checks; i++)
        {
            await verification.VerifyAsync(code);
        }

        verify.Stop();
        var read = Stopwatch.StartNew();
        for (var i = 0; i < checks; i++)
        {
            await using var db = factory.Create(new TenantContext());
            await db.Certifications.IgnoreQueryFilters().AsNoTracking().SingleAsync(c => c.Id == granted.Id);
        }

        read.Stop();
        var rate = checks / verify.Elapsed.TotalSeconds;
        var readRate = checks / read.Elapsed.TotalSeconds;
        report.Add(new Row("(k) Certificate check", $"SQLite, {checks:#,0} checks of one verification code (Domain service, no HTTP)",
            $"{rate:#,0} checks/s", $"{readRate:#,0} reads/s (the row by its id)", $"{rate / readRate:0.00}×", "≥ 1,000 checks/s", rate >= 1_000));
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        TestPaths.TryDelete(directory);
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

    /// <summary>First-tier decisions of the pricing agent, proposed through the pipeline as the job would.</summary>
    private static async Task<List<Guid>> ProposeAsync(IHost host, int count, string prefix)
    {
        var ids = new List<Guid>(count);
        for (var i = 0; i < count; i++)
        {
            await using var scope = Scope(host);
            var pipeline = scope.ServiceProvider.GetRequiredService<PipelineService>();
            await using var db = scope.ServiceProvider.GetRequiredService<IAgentConsoleDbFactory>().Create();
            var agent = await db.Agents.SingleAsync(a => a.Key == "pricing");
            var c = TestCases.UncertainPricing($"{prefix} Buyer {i}");
            var runId = await pipeline.StartRunAsync(agent.Id, c.Subject, c.Inputs, c.Truth, Actor.System(DemoData.ContosoId, "bench feed"));
            await pipeline.ProcessRunAsync(runId);
            ids.Add(await db.Decisions.Where(d => d.RunId == runId).Select(d => d.Id).SingleAsync());
        }

        return ids;
    }

    /// <summary>Puts a pricing policy in force whose low-risk reviews need the certification, as people do: drafted, submitted, approved twice.</summary>
    private static async Task RequireCertificationAsync(IHost host, Actor author, Actor board1, Actor board2)
    {
        await using var scope = Scope(host);
        var policies = scope.ServiceProvider.GetRequiredService<Domain.Policies.PolicyService>();
        Guid scopeId;
        await using (var db = scope.ServiceProvider.GetRequiredService<IAgentConsoleDbFactory>().Create())
        {
            var key = Domain.Policies.PolicyScope.UseCaseKey(UseCase.DynamicPricing);
            scopeId = await db.PolicyScopes.Where(s => s.Key == key).Select(s => s.Id).SingleAsync();
        }

        var draft = await policies.CreateDraftAsync(author, scopeId);
        var document = draft.Document.Replace("low:      { tier: 1, role: Operator }", $"low:      {{ tier: 1, role: Operator, certification: {Key} }}", StringComparison.Ordinal);
        await policies.SaveDraftAsync(author, draft.Id, document, "Low-risk pricing reviews need the pricing-reviewer certification.");
        await policies.SubmitAsync(author, draft.Id, null);
        await policies.ApproveAsync(board1, draft.Id, null);
        await policies.ApproveAsync(board2, draft.Id, null);
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
