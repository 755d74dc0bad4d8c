using AgentConsole.Domain.Decisions;
using AgentConsole.Domain.Policies;
using static AgentConsole.Tests.Unit.Policies.PolicyFixtures;

namespace AgentConsole.Tests.Unit.Policies;

/// <summary>The form view reads and writes the thresholds without touching the rest of the document.</summary>
public sealed class PolicyThresholdFormTests
{
    private const string Document = """
        # Pricing policy.
        autoApprove:
          minConfidence: 0.85   # tuned in October
          agents:
            pricing-eu: 0.9

        # Big discounts need a senior.
        riskRules:
          - { id: large-discount, when: proposal.discountPercent > 15, then: review, tier: 2 }
        """ + "\n" + Requirements;

    [Fact]
    public void Read_GivesTheThresholds()
    {
        var settings = PolicyThresholdForm.Read(Document)!;

        Assert.Equal(0.85, settings.MinConfidence);
        Assert.Equal(RiskLevel.Low, settings.MaxRisk);
        Assert.Equal(0.9, settings.AgentThresholds["pricing-eu"]);
    }

    [Fact]
    public void Write_ReplacesOnlyTheAutoApproveSection()
    {
        var written = PolicyThresholdForm.Write(Document, new ThresholdSettings(0.8, RiskLevel.Medium, new Dictionary<string, double> { ["pricing"] = 0.95 }));

        Assert.StartsWith("# Pricing policy.\nautoApprove:\n  minConfidence: 0.8\n  maxRisk: medium\n  agents:\n    pricing: 0.95\n\n# Big discounts need a senior.\nriskRules:", written, StringComparison.Ordinal);
        Assert.Equal(new ThresholdSettings(0.8, RiskLevel.Medium, new Dictionary<string, double> { ["pricing"] = 0.95 }).MinConfidence, PolicyThresholdForm.Read(written)!.MinConfidence);
        var compiled = Compile(written);
        Assert.Equal(0.95, compiled.Document.AutoApprove.ThresholdFor("pricing"));
        Assert.Single(compiled.Document.RiskRules);
    }

    [Fact]
    public void Write_WorksOnAFlowStyleSection()
    {
        var written = PolicyThresholdForm.Write(PricingDocument().Replace("autoApprove:\n  minConfidence: 0.85", "autoApprove: { minConfidence: 0.85 }", StringComparison.Ordinal),
            new ThresholdSettings(0.9, RiskLevel.Low, new Dictionary<string, double>()));

        Assert.Equal(0.9, Compile(written).Document.AutoApprove.MinConfidence);
    }

    [Fact]
    public void Write_KeepsUntouchedThresholdsExactly()
    {
        var written = PolicyThresholdForm.Write(Document.Replace("0.85", "0.8125", StringComparison.Ordinal), PolicyThresholdForm.Read(Document.Replace("0.85", "0.8125", StringComparison.Ordinal))! with { MaxRisk = RiskLevel.Medium });

        Assert.Contains("minConfidence: 0.8125", written, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_OfAComplexKey_IgnoresIt()
    {
        Assert.Equal(0.9, PolicyThresholdForm.Read("autoApprove:\n  ? [a]\n  : 1\n  minConfidence: 0.9\n")!.MinConfidence);
    }

    [Fact]
    public void Read_OfABrokenDocument_IsNull()
    {
        Assert.Null(PolicyThresholdForm.Read("autoApprove: [\n"));
    }
}
