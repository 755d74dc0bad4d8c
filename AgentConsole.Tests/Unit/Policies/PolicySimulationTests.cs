using System.Text.Json.Nodes;
using AgentConsole.Domain.Decisions;
using AgentConsole.Domain.Policies;
using static AgentConsole.Tests.Unit.Policies.PolicyFixtures;

namespace AgentConsole.Tests.Unit.Policies;

/// <summary>The what-if simulation and the threshold advice, against fixtures computed by hand.</summary>
public sealed class PolicySimulationTests
{
    private static readonly DateTimeOffset To = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);
    private static readonly (string Key, string Name, int Tier)[] Queues = [("pricing-t1", "Pricing review", 1), ("pricing-t2", "Pricing senior", 2)];
    private static readonly Dictionary<string, string> Names = new() { ["pricing"] = "Quote Discount Advisor", ["pricing-eu"] = "EU Advisor" };

    // Current: auto at 0.85, low risk; discounts above 15 % to tier 2.
    private static readonly CompiledPolicy Current = Compile(PricingDocument("""
        riskRules:
          - { id: large-discount, when: proposal.discountPercent > 15, then: review, tier: 2 }
        """));

    // Candidate: auto at 0.80; discounts above 10 % to tier 2; above 25 % blocked.
    private static readonly CompiledPolicy Candidate = Compile(PricingDocument("""
        riskRules:
          - { id: large-discount, when: proposal.discountPercent > 10, then: review, tier: 2 }
        authorityLimits:
          - { id: discount-cap, field: proposal.discountPercent, max: 25 }
        """).Replace("0.85", "0.80", StringComparison.Ordinal));

    private static HistoricalDecision D(int n, string agent, double confidence, double discount, HumanVerdict verdict, RiskLevel risk = RiskLevel.Low) =>
        new(Guid.Parse($"00000000-0000-0000-0000-{n:000000000000}"), $"Case {n}", agent, confidence, risk, 1000m,
            new JsonObject { ["discountPercent"] = discount }, new JsonObject { ["marginFloorPercent"] = 30 }, verdict, To.AddHours(-n));

    /// <summary>
    /// Ten decisions. Under Current → Candidate:
    ///  1 pricing    0.90,  5 %  auto → auto
    ///  2 pricing    0.82,  5 %  review t1 → auto          (agreed)
    ///  3 pricing    0.82,  5 %  review t1 → auto          (disagreed)
    ///  4 pricing    0.90, 12 %  auto → review t2
    ///  5 pricing    0.70, 12 %  review t1 → review t2     (agreed)
    ///  6 pricing    0.95, 30 %  review t2 → block
    ///  7 pricing-eu 0.83,  8 %  review t1 → auto          (agreed)
    ///  8 pricing-eu 0.60,  8 %  review t1 → review t1     (disagreed)
    ///  9 pricing-eu 0.99, 20 %  review t2 → review t2
    /// 10 pricing-eu 0.99,  2 %, medium risk: review t1 → review t1
    /// </summary>
    private static readonly HistoricalDecision[] History =
    [
        D(1, "pricing", 0.90, 5, HumanVerdict.Unknown),
        D(2, "pricing", 0.82, 5, HumanVerdict.Agreed),
        D(3, "pricing", 0.82, 5, HumanVerdict.Disagreed),
        D(4, "pricing", 0.90, 12, HumanVerdict.Unknown),
        D(5, "pricing", 0.70, 12, HumanVerdict.Agreed),
        D(6, "pricing", 0.95, 30, HumanVerdict.Unknown),
        D(7, "pricing-eu", 0.83, 8, HumanVerdict.Agreed),
        D(8, "pricing-eu", 0.60, 8, HumanVerdict.Disagreed),
        D(9, "pricing-eu", 0.99, 20, HumanVerdict.Unknown),
        D(10, "pricing-eu", 0.99, 2, HumanVerdict.Agreed, RiskLevel.Medium),
    ];

    private static PolicySimulation Run() => PolicySimulator.Simulate(Candidate, 2, Current, 1, History, Queues, Names, To.AddDays(-30), To);

    [Fact]
    public void Totals_MatchTheHandCount()
    {
        var result = Run();

        Assert.Equal(10, result.Replayed);
        Assert.Equal(new RouteCounts(2, 8, 0), result.Current);
        Assert.Equal(new RouteCounts(4, 5, 1), result.Candidate);
        Assert.Equal(6, result.Changed);
        Assert.Equal(6, result.FlippedTotal);
    }

    [Fact]
    public void Transitions_CountEachRouteChange()
    {
        var t = Run().Transitions;

        Assert.Equal(3, t[(DecisionRoute.Review, DecisionRoute.AutoApprove)]);
        Assert.Equal(1, t[(DecisionRoute.AutoApprove, DecisionRoute.Review)]);
        Assert.Equal(1, t[(DecisionRoute.Review, DecisionRoute.Block)]);
        // Decision 5 stays in review but moves from tier 1 to tier 2.
        Assert.Equal(1, t[(DecisionRoute.Review, DecisionRoute.Review)]);
        Assert.Equal(4, t.Count);
    }

    [Fact]
    public void PerAgent_RoutesAndChanges()
    {
        var agents = Run().ByAgent;

        var pricing = agents.Single(a => a.AgentKey == "pricing");
        Assert.Equal(new RouteCounts(2, 4, 0), pricing.Current);
        Assert.Equal(new RouteCounts(3, 2, 1), pricing.Candidate);
        Assert.Equal(5, pricing.Changed);
        Assert.Equal("Quote Discount Advisor", pricing.AgentName);
        var eu = agents.Single(a => a.AgentKey == "pricing-eu");
        Assert.Equal(new RouteCounts(0, 4, 0), eu.Current);
        Assert.Equal(new RouteCounts(1, 3, 0), eu.Candidate);
        Assert.Equal(1, eu.Changed);
    }

    [Fact]
    public void PerQueue_ReviewLoad()
    {
        var queues = Run().ByQueue;

        // Current: t1 = 2, 3, 5, 7, 8, 10; t2 = 6, 9. Candidate: t1 = 8, 10; t2 = 4, 5, 9.
        Assert.Equal(new QueueLoadChange("pricing-t1", "Pricing review", 6, 2), queues[0]);
        Assert.Equal(new QueueLoadChange("pricing-t2", "Pricing senior", 2, 3), queues[1]);
        Assert.Equal(-4, queues[0].Delta);
    }

    [Fact]
    public void AutoApprovalErrorRates_ComeFromHumanVerdicts()
    {
        var result = Run();

        // Current auto-approves 1 and 4: no verdicts known.
        Assert.Equal(new AutoApprovalErrors(2, 0, 0), result.CurrentErrors);
        Assert.Null(result.CurrentErrors.Rate);
        // Candidate auto-approves 1, 2, 3, 7: verdicts for 2 (agreed), 3 (disagreed), 7 (agreed).
        Assert.Equal(new AutoApprovalErrors(4, 3, 1), result.CandidateErrors);
        Assert.Equal(1.0 / 3, result.CandidateErrors.Rate!.Value, 6);
    }

    [Fact]
    public void FlippedList_NamesBothRoutesAndTheRules()
    {
        var flipped = Run().Flipped;

        Assert.Equal([2, 3, 4, 5, 6, 7], flipped.Select(f => int.Parse(f.Subject[5..], System.Globalization.CultureInfo.InvariantCulture)).Order());
        var six = flipped.Single(f => f.Subject == "Case 6");
        Assert.Equal("review (pricing-t2)", six.Current.ToString());
        Assert.Equal("block", six.Candidate.ToString());
        Assert.Equal(["limit:discount-cap"], six.CandidateRules);
        Assert.Equal(HumanVerdict.Disagreed, flipped.Single(f => f.Subject == "Case 3").Verdict);
    }

    [Fact]
    public void WithoutAVersionInForce_EverythingWasReviewed()
    {
        var result = PolicySimulator.Simulate(Candidate, 1, null, null, History, Queues, Names, To.AddDays(-30), To);

        Assert.Equal(new RouteCounts(0, 10, 0), result.Current);
    }

    [Fact]
    public void Calibration_BandsAndAdvice_MatchTheHandCount()
    {
        // 20 verdicts at 0.95 with 1 disagreement, 20 at 0.85 with 2, 20 at 0.75 with 6.
        var decisions = new List<(double, HumanVerdict)>();
        void Add(double confidence, int agreed, int disagreed)
        {
            decisions.AddRange(Enumerable.Repeat((confidence, HumanVerdict.Agreed), agreed));
            decisions.AddRange(Enumerable.Repeat((confidence, HumanVerdict.Disagreed), disagreed));
        }

        Add(0.95, 19, 1);
        Add(0.85, 18, 2);
        Add(0.75, 14, 6);
        decisions.AddRange(Enumerable.Repeat((0.97, HumanVerdict.Unknown), 40));

        var calibration = ThresholdAdvisor.Calibrate("pricing", "Pricing", decisions, targetErrorRate: 0.08, currentThreshold: 0.85);

        var band = calibration.Bands.Single(b => b.From == 0.85);
        Assert.Equal((20, 18), (band.WithVerdict, band.Agreed));
        Assert.Equal(0.9, band.AgreementRate!.Value, 6);
        // At 0.85: 40 verdicts, 3 disagreements = 7.5 % ≤ 8 %. At 0.75: 60 verdicts, 9 = 15 % > 8 %.
        Assert.Equal(0.85, calibration.Advice.Threshold!.Value, 6);
        Assert.Equal(40, calibration.Advice.WithVerdict);
        Assert.Equal(0.075, calibration.Advice.ErrorRate!.Value, 6);
        // 80 of the 100 decisions have confidence ≥ 0.85.
        Assert.Equal(0.8, calibration.Advice.ShareAtOrAbove, 6);
    }

    [Fact]
    public void Calibration_WithTooFewVerdicts_GivesNoAdvice()
    {
        var calibration = ThresholdAdvisor.Calibrate("pricing", "Pricing", [.. Enumerable.Repeat((0.9, HumanVerdict.Agreed), 19)], 0.05);

        Assert.Null(calibration.Advice.Threshold);
    }
}
