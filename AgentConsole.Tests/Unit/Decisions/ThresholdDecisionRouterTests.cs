using System.Text.Json.Nodes;
using AgentConsole.Domain.Agents;
using AgentConsole.Domain.Decisions;
using AgentConsole.Domain.Queues;
using AgentConsole.Domain.Tenancy;

namespace AgentConsole.Tests.Unit.Decisions;

public sealed class ThresholdDecisionRouterTests
{
    private static readonly Guid Tenant = Guid.NewGuid();
    private static readonly Agent Agent = new(Guid.NewGuid(), Tenant, "pricing", "Pricing", UseCase.DynamicPricing, "", 0.85, DateTimeOffset.UnixEpoch);
    private static readonly ReviewQueue Tier1 = new(Guid.NewGuid(), Tenant, "t1", "Tier 1", UseCase.DynamicPricing, 1, 60, [Roles.Operator], "");
    private static readonly ReviewQueue Tier2 = new(Guid.NewGuid(), Tenant, "t2", "Tier 2", UseCase.DynamicPricing, 2, 60, [Roles.SeniorOperator], "");

    private static Task<RoutingResult> Route(double confidence, RiskLevel risk) =>
        new ThresholdDecisionRouter().RouteAsync(
            new RoutingRequest(Agent, new AgentProposal(new JsonObject(), confidence, "", [], risk, 0), [Tier2, Tier1]), CancellationToken.None);

    [Fact]
    public async Task ConfidentLowRisk_IsAutoApproved()
    {
        var result = await Route(0.85, RiskLevel.Low);

        Assert.Equal(DecisionRoute.AutoApprove, result.Route);
        Assert.Null(result.Queue);
    }

    [Fact]
    public async Task BelowThreshold_GoesToTheFirstTier()
    {
        var result = await Route(0.84, RiskLevel.Low);

        Assert.Equal(DecisionRoute.Review, result.Route);
        Assert.Same(Tier1, result.Queue);
        Assert.Contains("confidence-below-threshold", result.RulesFired);
    }

    [Fact]
    public async Task ConfidentButMediumRisk_IsReviewed()
    {
        var result = await Route(0.99, RiskLevel.Medium);

        Assert.Equal(DecisionRoute.Review, result.Route);
        Assert.Same(Tier1, result.Queue);
    }

    [Theory]
    [InlineData(RiskLevel.High)]
    [InlineData(RiskLevel.Critical)]
    public async Task HighRisk_GoesToTheSeniorTier(RiskLevel risk)
    {
        var result = await Route(0.99, risk);

        Assert.Same(Tier2, result.Queue);
        Assert.Contains("high-risk-to-senior-tier", result.RulesFired);
    }
}
