using System.Diagnostics;
using AgentConsole.Domain.Decisions;
using AgentConsole.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

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
        await using var harness = await DomainHost.StartAsync(engine, "bench-four-eyes");
        var name = harness.EngineName;
        Console.WriteLine($"(r) four-eyes verdicts: {count:#,0} decisions of each kind on {name}");
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
    }

    private static async Task<double> TimeAsync(DomainHost harness, Func<DecisionService, Task<Decision>> act)
    {
        await using var scope = harness.Scope();
        var service = scope.ServiceProvider.GetRequiredService<DecisionService>();
        var clock = Stopwatch.StartNew();
        await act(service);
        return clock.Elapsed.TotalMilliseconds;
    }
}
