using System.Text.Json.Nodes;
using AgentConsole.Domain.Agents;
using AgentConsole.Domain.Decisions;
using AgentConsole.Domain.Policies;

namespace AgentConsole.Tests.Unit.Policies;

/// <summary>Documents and subjects shared by the policy tests.</summary>
internal static class PolicyFixtures
{
    public static readonly PolicyContext Pricing = new(UseCase.DynamicPricing, null, ["pricing", "pricing-eu"],
        [new PolicyQueue("pricing-t1", 1, true, ["Operator", "SeniorOperator"]), new PolicyQueue("pricing-t2", 2, false, ["SeniorOperator"])]);

    public static readonly PolicyContext Onboarding = new(UseCase.PartnerOnboarding, null, ["onboarding"],
        [new PolicyQueue("onboarding-t1", 1, true), new PolicyQueue("onboarding-t2", 2, false)]);

    public const string Requirements = """
        reviewRequirements:
          low:      { tier: 1, role: Operator }
          medium:   { tier: 1, role: Operator }
          high:     { tier: 2, role: SeniorOperator }
          critical: { tier: 2, role: SeniorOperator, reviewers: 2, certification: high-risk-approval }
        """;

    /// <summary>A pricing document: threshold 0.85 for low risk, plus the given sections.</summary>
    public static string PricingDocument(string sections = "") => $"""
        autoApprove:
          minConfidence: 0.85
        {sections}
        {Requirements}
        """;

    public static CompiledPolicy Compile(string yaml, PolicyContext? context = null)
    {
        var result = PolicyDocumentParser.Parse(yaml, context ?? Pricing);
        Assert.True(result.IsValid, string.Join(Environment.NewLine, result.Problems));
        return result.Policy!;
    }

    public static IReadOnlyList<PolicyProblem> Problems(string yaml, PolicyContext? context = null)
    {
        var result = PolicyDocumentParser.Parse(yaml, context ?? Pricing);
        Assert.False(result.IsValid, "The document was expected to be refused.");
        return result.Problems;
    }

    public static PolicySubject Discount(double percent, double confidence = 0.9, RiskLevel risk = RiskLevel.Low, double marginFloor = 20, string agent = "pricing") =>
        new(agent, confidence, risk, 10_000m, new JsonObject { ["discountPercent"] = percent },
            new JsonObject { ["quoteValueEur"] = 50_000, ["marginFloorPercent"] = marginFloor, ["segment"] = "SMB" });
}
