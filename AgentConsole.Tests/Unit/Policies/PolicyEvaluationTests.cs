using System.Text.Json.Nodes;
using AgentConsole.Domain.Agents;
using AgentConsole.Domain.Decisions;
using AgentConsole.Domain.Policies;
using static AgentConsole.Tests.Unit.Policies.PolicyFixtures;

namespace AgentConsole.Tests.Unit.Policies;

/// <summary>Each kind of rule a policy holds, evaluated on proposals.</summary>
public sealed class PolicyEvaluationTests
{
    [Fact]
    public void AutoApproval_ConfidentLowRiskWithNoRule_IsApproved()
    {
        var policy = Compile(PricingDocument());

        var outcome = policy.Evaluate(Discount(5, confidence: 0.85));

        Assert.Equal(DecisionRoute.AutoApprove, outcome.Route);
        Assert.Equal(["auto-approve"], outcome.RulesFired);
        Assert.Null(outcome.Requirement);
    }

    [Fact]
    public void AutoApproval_BelowThreshold_GoesToTierOneWithTheLowRiskRequirement()
    {
        var policy = Compile(PricingDocument());

        var outcome = policy.Evaluate(Discount(5, confidence: 0.84));

        Assert.Equal(DecisionRoute.Review, outcome.Route);
        Assert.Equal(1, outcome.Tier);
        Assert.Equal(["confidence-below-threshold"], outcome.RulesFired);
        Assert.Equal(new ReviewRequirement(1, "Operator", 1, null), outcome.Requirement);
        Assert.Contains("confidence 0.84 < 0.85", outcome.Reason, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void AutoApproval_MaxRiskAllowsMediumRisk_ButNotHigh()
    {
        var policy = Compile(PricingDocument().Replace("minConfidence: 0.85", "minConfidence: 0.85\n  maxRisk: medium", StringComparison.Ordinal));

        Assert.Equal(DecisionRoute.AutoApprove, policy.Evaluate(Discount(5, risk: RiskLevel.Medium)).Route);
        var high = policy.Evaluate(Discount(5, risk: RiskLevel.High));
        Assert.Equal(DecisionRoute.Review, high.Route);
        Assert.Equal(2, high.Tier);
        Assert.Contains("risk-above-auto-approval", high.RulesFired);
    }

    [Fact]
    public void AutoApproval_PerAgentThreshold_OverridesTheDefault()
    {
        var policy = Compile(PricingDocument().Replace("minConfidence: 0.85", "minConfidence: 0.85\n  agents:\n    pricing-eu: 0.95", StringComparison.Ordinal));

        Assert.Equal(DecisionRoute.AutoApprove, policy.Evaluate(Discount(5, confidence: 0.9)).Route);
        Assert.Equal(DecisionRoute.Review, policy.Evaluate(Discount(5, confidence: 0.9, agent: "pricing-eu")).Route);
    }

    [Fact]
    public void RiskRule_Review_ForcesReviewAtItsTierAndRaisesTheRisk()
    {
        var policy = Compile(PricingDocument("""
            riskRules:
              - id: large-discount
                description: Discounts above 15 %.
                when: proposal.discountPercent > 15
                then: review
                tier: 2
                raiseRiskTo: critical
            """));

        var small = policy.Evaluate(Discount(15));
        var large = policy.Evaluate(Discount(15.5, confidence: 0.99));

        Assert.Equal(DecisionRoute.AutoApprove, small.Route);
        Assert.Equal(DecisionRoute.Review, large.Route);
        Assert.Equal(2, large.Tier);
        Assert.Equal(RiskLevel.Critical, large.Risk);
        Assert.Equal(["rule:large-discount"], large.RulesFired);
        Assert.Equal(new ReviewRequirement(2, "SeniorOperator", 2, "high-risk-approval"), large.Requirement);
        Assert.Contains("large-discount (Discounts above 15 %)", large.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void RiskRule_ComparesTwoFieldsOfTheCase()
    {
        var policy = Compile(PricingDocument("""
            riskRules:
              - id: below-margin-floor
                when: proposal.discountPercent > inputs.marginFloorPercent
                then: review
            """));

        Assert.Equal(DecisionRoute.AutoApprove, policy.Evaluate(Discount(12, marginFloor: 20)).Route);
        var outcome = policy.Evaluate(Discount(12, marginFloor: 10));
        Assert.Equal(DecisionRoute.Review, outcome.Route);
        Assert.Equal(1, outcome.Tier);
    }

    [Fact]
    public void RiskRule_Block_BlocksEvenAConfidentProposal()
    {
        var policy = Compile("""
            autoApprove: { minConfidence: 0.9 }
            riskRules:
              - id: sanctioned-country
                when: in(inputs.country, 'IR', 'KP', 'SY') and proposal.decision != 'Decline'
                then: block
            """ + "\n" + Requirements, Onboarding);
        static PolicySubject Partner(string country, string decision) => new("onboarding", 0.99, RiskLevel.Low, 0m,
            new JsonObject { ["decision"] = decision, ["creditLimitEur"] = 10_000, ["riskTier"] = "Low" },
            new JsonObject { ["country"] = country });

        var blocked = policy.Evaluate(Partner("KP", "Approve"));

        Assert.Equal(DecisionRoute.Block, blocked.Route);
        Assert.Equal(["rule:sanctioned-country"], blocked.RulesFired);
        Assert.Equal(DecisionRoute.AutoApprove, policy.Evaluate(Partner("KP", "Decline")).Route);
        Assert.Equal(DecisionRoute.AutoApprove, policy.Evaluate(Partner("DE", "Approve")).Route);
    }

    [Fact]
    public void AuthorityLimit_FieldMaximum_BlocksBeyondIt()
    {
        var policy = Compile(PricingDocument("""
            authorityLimits:
              - id: discount-cap
                description: Never above 30 %.
                field: proposal.discountPercent
                max: 30
            """));

        Assert.Equal(DecisionRoute.AutoApprove, policy.Evaluate(Discount(30)).Route);
        var outcome = policy.Evaluate(Discount(30.5, confidence: 0.2));
        Assert.Equal(DecisionRoute.Block, outcome.Route);
        Assert.Equal(["limit:discount-cap"], outcome.RulesFired);
        Assert.Contains("Outside the agent's authority: discount-cap (Never above 30 %)", outcome.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void AuthorityLimit_FieldMinimumAndCondition_BothBlock()
    {
        var policy = Compile(PricingDocument("""
            authorityLimits:
              - id: no-negative
                field: proposal.discountPercent
                min: 0
              - id: big-quote
                when: exposure > 5000 and proposal.discountPercent > 25
            """));

        Assert.Equal(["limit:no-negative"], policy.Evaluate(Discount(-1)).RulesFired);
        Assert.Equal(["limit:big-quote"], policy.Evaluate(Discount(26)).RulesFired);
        Assert.Equal(DecisionRoute.AutoApprove, policy.Evaluate(Discount(25)).Route);
    }

    [Fact]
    public void AuthorityLimit_TakesPrecedenceOverRiskRules()
    {
        var policy = Compile(PricingDocument("""
            riskRules:
              - id: large-discount
                when: proposal.discountPercent > 15
                then: review
                tier: 2
            authorityLimits:
              - id: discount-cap
                field: proposal.discountPercent
                max: 30
            """));

        Assert.Equal(DecisionRoute.Block, policy.Evaluate(Discount(40)).Route);
    }

    [Fact]
    public void ReviewRequirement_FollowsTheRiskLevel()
    {
        var policy = Compile(PricingDocument());

        Assert.Equal(new ReviewRequirement(1, "Operator", 1, null), policy.Evaluate(Discount(5, confidence: 0.5, risk: RiskLevel.Medium)).Requirement);
        Assert.Equal(new ReviewRequirement(2, "SeniorOperator", 1, null), policy.Evaluate(Discount(5, risk: RiskLevel.High)).Requirement);
        Assert.Equal(new ReviewRequirement(2, "SeniorOperator", 2, "high-risk-approval"), policy.Evaluate(Discount(5, risk: RiskLevel.Critical)).Requirement);
    }

    [Fact]
    public void MissingValue_SendsTheProposalToReview_NeverAutoApproves()
    {
        var policy = Compile(PricingDocument("""
            riskRules:
              - id: below-margin-floor
                when: proposal.discountPercent > inputs.marginFloorPercent
                then: review
            """));
        var subject = Discount(5) with { Inputs = [] };

        var outcome = policy.Evaluate(subject);

        Assert.Equal(DecisionRoute.Review, outcome.Route);
        Assert.Contains("unevaluable:below-margin-floor", outcome.RulesFired);
        Assert.Contains("could not be evaluated", outcome.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void SlaLadderAndMasking_AreReadIntoTheDocument()
    {
        var policy = Compile(PricingDocument("""
            slaLadder:
              pricing-t1: { warnAfter: 30m, reassignAfter: 45m, escalateAfter: 1h, autoDecideAfter: 1d, autoDecision: reject }
            masking:
              - field: inputs.marginFloorPercent
                roles: [Trainee, Operator]
                show: last4
            """));

        var ladder = policy.Document.SlaLadder["pricing-t1"];
        Assert.Equal(new SlaLadder(TimeSpan.FromMinutes(30), TimeSpan.FromMinutes(45), TimeSpan.FromHours(1), TimeSpan.FromDays(1), "reject"), ladder);
        var mask = Assert.Single(policy.Document.Masking);
        Assert.Equal("inputs.marginFloorPercent", mask.Field);
        Assert.Equal(["Trainee", "Operator"], mask.Roles);
        Assert.Equal(MaskStyle.Last4, mask.Show);
    }

    [Theory]
    [InlineData(UseCase.PartnerOnboarding)]
    [InlineData(UseCase.DynamicPricing)]
    [InlineData(UseCase.ContractReview)]
    [InlineData(UseCase.InvoicePolicy)]
    public void DefaultPolicies_AreValid(UseCase useCase)
    {
        var key = useCase.ToString().ToLowerInvariant();
        var context = new PolicyContext(useCase, null, [key], [new PolicyQueue(key + "-t1", 1, true), new PolicyQueue(key + "-t2", 2, false)]);

        Compile(DefaultPolicies.For(useCase, key + "-t1", key + "-t2"), context);
    }

    [Fact]
    public void Evaluation_IsThreadSafe()
    {
        var policy = Compile(PricingDocument("""
            riskRules:
              - id: large-discount
                when: proposal.discountPercent > 15
                then: review
                tier: 2
            """));

        var routes = Enumerable.Range(0, 4000).AsParallel().WithDegreeOfParallelism(4)
            .Select(i => (i, policy.Evaluate(Discount(i % 30)).Route)).ToList();

        Assert.All(routes, r => Assert.Equal(r.i % 30 > 15 ? DecisionRoute.Review : DecisionRoute.AutoApprove, r.Route));
    }
}
