using System.Text.Json.Nodes;
using AgentConsole.Domain.Agents;
using AgentConsole.Domain.Tenancy;

namespace AgentConsole.Tests.Unit.Tenancy;

public sealed class DemoReviewerTests
{
    /// <summary>A reviewer who notices every mistake (draws 0.0) or none (draws 0.99).</summary>
    private sealed class Fixed(double draw) : Random
    {
        protected override double Sample() => draw;
    }

    private static readonly Random Attentive = new Fixed(0.0);

    [Fact]
    public void Judge_Approves_WhenTheAgentMatchesTheTruth()
    {
        var verdict = DemoReviewer.Judge(UseCase.InvoicePolicy, new JsonObject { ["action"] = "Pay" }, new JsonObject { ["action"] = "Pay" }, 1, Attentive);

        Assert.Equal(DemoVerdictKind.Approve, verdict.Kind);
    }

    [Fact]
    public void Judge_OverridesToTheTrueOutcome_WithTheWordsTheNewOutcomeNeeds()
    {
        var verdict = DemoReviewer.Judge(UseCase.InvoicePolicy, new JsonObject { ["action"] = "Pay" }, new JsonObject { ["action"] = "Hold", ["latentScore"] = 0.5 }, 1, Attentive);

        Assert.Equal(DemoVerdictKind.Override, verdict.Kind);
        Assert.Empty(ProposalSchema.InvoicePolicy.TryParse(verdict.Values!, out var values));
        Assert.Equal("Hold", values!["action"]!.GetValue<string>());
        Assert.False(string.IsNullOrWhiteSpace(values["holdReason"]!.GetValue<string>()));
    }

    [Fact]
    public void Judge_OverridesADiscount_InStepsOfHalfAPoint()
    {
        var verdict = DemoReviewer.Judge(UseCase.DynamicPricing, new JsonObject { ["discountPercent"] = 2m }, new JsonObject { ["discountPercent"] = 12.3m }, 1, Attentive);

        Assert.Equal(DemoVerdictKind.Override, verdict.Kind);
        Assert.Equal("12.5", verdict.Values!["discountPercent"]);
    }

    [Fact]
    public void Judge_Rejects_WhenFourEyesForbidOneReviewerToChangeTheValues()
    {
        var verdict = DemoReviewer.Judge(UseCase.DynamicPricing, new JsonObject { ["discountPercent"] = 2m }, new JsonObject { ["discountPercent"] = 12m }, 2, Attentive);

        Assert.Equal(DemoVerdictKind.Reject, verdict.Kind);
    }

    [Fact]
    public void Judge_SometimesMissesAMistake()
    {
        var verdict = DemoReviewer.Judge(UseCase.DynamicPricing, new JsonObject { ["discountPercent"] = 2m }, new JsonObject { ["discountPercent"] = 12m }, 1, new Fixed(0.99));

        Assert.Equal(DemoVerdictKind.Approve, verdict.Kind);
    }

    [Fact]
    public void Judge_Approves_WhenTheCaseHasNoHiddenAnswer()
    {
        var verdict = DemoReviewer.Judge(UseCase.ContractReview, new JsonObject { ["verdict"] = "Accept" }, [], 1, Attentive);

        Assert.Equal(DemoVerdictKind.Approve, verdict.Kind);
    }
}
