using System.Text.Json.Nodes;
using AgentConsole.Domain;
using AgentConsole.Domain.Agents;
using AgentConsole.Domain.Decisions;
using AgentConsole.Domain.Queues;
using AgentConsole.Domain.Tenancy;

namespace AgentConsole.Tests.Unit.Decisions;

public sealed class DecisionLifecycleTests
{
    private static readonly Guid Tenant = Guid.NewGuid();
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 9, 0, 0, TimeSpan.Zero);
    private static readonly Actor Olivia = Actor.User(Guid.NewGuid(), "Olivia", Tenant, [Roles.Operator]);
    private static readonly Actor Omar = Actor.User(Guid.NewGuid(), "Omar", Tenant, [Roles.Operator]);
    private static readonly Actor Sam = Actor.User(Guid.NewGuid(), "Sam", Tenant, [Roles.SeniorOperator]);

    private static readonly Agent Pricing = CreateAgent();
    private static readonly ReviewQueue Tier2 = new(Guid.NewGuid(), Tenant, "pricing-t2", "Pricing senior", UseCase.DynamicPricing, 2, 240, [Roles.SeniorOperator], "");
    private static readonly ReviewQueue Tier1 = CreateTier1();

    private static Agent CreateAgent()
    {
        var agent = new Agent(Guid.NewGuid(), Tenant, "pricing", "Pricing", UseCase.DynamicPricing, "", Now);
        agent.AddVersion(Guid.NewGuid(), "builtin:pricing/1", "", Now);
        return agent;
    }

    private static ReviewQueue CreateTier1()
    {
        var queue = new ReviewQueue(Guid.NewGuid(), Tenant, "pricing-t1", "Pricing", UseCase.DynamicPricing, 1, 60, [Roles.Operator, Roles.SeniorOperator], "");
        queue.EscalateTo(Tier2);
        return queue;
    }

    private static Decision Pending(DecisionRoute route = DecisionRoute.Review)
    {
        var proposal = new AgentProposal(new JsonObject { ["discountPercent"] = 12m }, 0.6, AgentRationale.StatingNothing("because"), [new EvidenceLine("fact", [])], RiskLevel.Medium, 1000m);
        var routing = new RoutingResult(route, route == DecisionRoute.Review ? Tier1 : null, "test", "test", []);
        return Decision.Propose(Guid.NewGuid(), Guid.NewGuid(), Pricing, Pricing.Versions.Single(), "Discount", new JsonObject(), proposal, routing, Now);
    }

    private static DomainException Refused(Action action) => Assert.Throws<DomainException>(action);

    [Theory]
    [InlineData(DecisionRoute.Review, DecisionStatus.Pending)]
    [InlineData(DecisionRoute.AutoApprove, DecisionStatus.AutoApproved)]
    [InlineData(DecisionRoute.Block, DecisionStatus.Blocked)]
    public void Propose_StartsInTheStateItsRouteGives(DecisionRoute route, DecisionStatus expected)
    {
        var decision = Pending(route);

        Assert.Equal(expected, decision.Status);
        Assert.Equal(route == DecisionRoute.Review ? Tier1.Id : null, decision.QueueId);
        Assert.Equal(route == DecisionRoute.Review ? Now.AddMinutes(60) : null, decision.DueAt);
    }

    [Fact]
    public void Claim_MovesPendingToInReview_AndRecordsTheClaimer()
    {
        var decision = Pending();

        Assert.True(decision.Claim(Olivia, Now));

        Assert.Equal(DecisionStatus.InReview, decision.Status);
        Assert.Equal("Olivia", decision.ClaimedByName);
        Assert.Equal(ReviewAction.Claimed, decision.Reviews.Single().Action);
    }

    [Fact]
    public void Claim_ChangesNothing_WhenTheClaimerClaimsAgain()
    {
        var decision = Pending();
        decision.Claim(Olivia, Now);
        var version = decision.Version;

        Assert.False(decision.Claim(Olivia, Now));
        Assert.Equal(version, decision.Version);
    }

    [Fact]
    public void Claim_IsRefused_WhenSomeoneElseHoldsTheClaim()
    {
        var decision = Pending();
        decision.Claim(Olivia, Now);

        var error = Refused(() => decision.Claim(Omar, Now));

        Assert.Equal("decision.claimed-by-other", error.Code);
        Assert.Contains("Olivia", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Release_ReturnsTheItemToPending()
    {
        var decision = Pending();
        decision.Claim(Olivia, Now);

        decision.Release(Olivia, null, Now);

        Assert.Equal(DecisionStatus.Pending, decision.Status);
        Assert.Null(decision.ClaimedById);
    }

    [Fact]
    public void Release_ByAnotherOperator_IsForbidden_ButASeniorMayReleaseIt()
    {
        var decision = Pending();
        decision.Claim(Olivia, Now);

        Assert.Equal(DomainErrorKind.Forbidden, Refused(() => decision.Release(Omar, null, Now)).Kind);
        decision.Release(Sam, "Olivia is out", Now);
        Assert.Equal(DecisionStatus.Pending, decision.Status);
    }

    [Fact]
    public void Release_IsRefused_WhenNotClaimed() =>
        Assert.Equal("decision.illegal-transition", Refused(() => Pending().Release(Olivia, null, Now)).Code);

    [Fact]
    public void Approve_ResolvesAndKeepsTheProposalAsFinal()
    {
        var decision = Pending();

        decision.Approve(Olivia, "Looks right", Now);

        Assert.Equal(DecisionStatus.Approved, decision.Status);
        Assert.Equal(decision.ProposalJson, decision.FinalJson);
        Assert.Equal("Olivia", decision.ResolvedByName);
        Assert.Equal("Looks right", decision.Reviews.Single().Reason);
    }

    [Fact]
    public void Override_ResolvesWithTheEditedValues()
    {
        var decision = Pending();

        decision.Override(Olivia, new JsonObject { ["discountPercent"] = 8m }, "Margin too thin", Now);

        Assert.Equal(DecisionStatus.Overridden, decision.Status);
        Assert.Equal(8m, decision.Final!["discountPercent"]!.GetValue<decimal>());
    }

    [Fact]
    public void Override_IsRefused_WhenNothingChanged() =>
        Assert.Equal("decision.override-unchanged",
            Refused(() => Pending().Override(Olivia, new JsonObject { ["discountPercent"] = 12m }, "same", Now)).Code);

    [Fact]
    public void Reject_Resolves()
    {
        var decision = Pending();

        decision.Reject(Olivia, "Customer is in arrears", Now);

        Assert.Equal(DecisionStatus.Rejected, decision.Status);
        Assert.Null(decision.FinalJson);
    }

    [Fact]
    public void Escalate_MovesToTheNextTierQueue_AsEscalated()
    {
        var decision = Pending();
        decision.Claim(Olivia, Now);

        decision.Escalate(Olivia, "Needs a senior", Tier2, Now);

        Assert.Equal(DecisionStatus.Escalated, decision.Status);
        Assert.Equal(Tier2.Id, decision.QueueId);
        Assert.Equal(1, decision.EscalationLevel);
        Assert.Null(decision.ClaimedById);
        Assert.Equal(Now.AddMinutes(240), decision.DueAt);
    }

    [Fact]
    public void Escalated_CanBeClaimedAndReleasedBackToEscalated()
    {
        var decision = Pending();
        decision.Escalate(Olivia, "Needs a senior", Tier2, Now);

        decision.Claim(Sam, Now);
        Assert.Equal(DecisionStatus.InReview, decision.Status);
        decision.Release(Sam, null, Now);

        Assert.Equal(DecisionStatus.Escalated, decision.Status);
    }

    [Fact]
    public void Escalate_IsRefused_AtTheTopTier()
    {
        var decision = Pending();
        decision.Escalate(Olivia, "Needs a senior", Tier2, Now);

        Assert.Equal("decision.top-tier", Refused(() => decision.Escalate(Sam, "again", null, Now)).Code);
    }

    [Fact]
    public void Expire_ClosesAnOpenDecision()
    {
        var decision = Pending();

        decision.Expire(Actor.System(Tenant, "SLA ladder"), "SLA breached", Now);

        Assert.Equal(DecisionStatus.Expired, decision.Status);
        Assert.Equal(ReviewAction.Expired, decision.Reviews.Single().Action);
    }

    [Theory]
    [InlineData("approve")]
    [InlineData("override")]
    [InlineData("reject")]
    [InlineData("escalate")]
    public void Resolving_IsRefused_WithoutAReason(string verb)
    {
        var decision = Pending();

        var error = Refused(() => Act(decision, verb, Olivia, "  "));

        Assert.Equal("decision.reason-required", error.Code);
        Assert.True(error.FieldErrors.ContainsKey("reason"));
        Assert.Equal(DecisionStatus.Pending, decision.Status);
        Assert.Empty(decision.Reviews);
    }

    [Theory]
    [InlineData("approve")]
    [InlineData("override")]
    [InlineData("reject")]
    [InlineData("escalate")]
    [InlineData("claim")]
    [InlineData("expire")]
    public void EveryAction_IsRefused_OnAResolvedDecision(string verb)
    {
        var decision = Pending();
        decision.Approve(Omar, "done", Now);
        var version = decision.Version;

        var error = Refused(() => Act(decision, verb, Olivia, "late"));

        Assert.Equal(DomainErrorKind.Conflict, error.Kind);
        Assert.Equal(version, decision.Version);
        Assert.Equal(DecisionStatus.Approved, decision.Status);
    }

    [Theory]
    [InlineData(DecisionRoute.AutoApprove)]
    [InlineData(DecisionRoute.Block)]
    public void EveryAction_IsRefused_OnARoutedDecision(DecisionRoute route)
    {
        foreach (var verb in new[] { "approve", "override", "reject", "escalate", "claim", "expire" })
        {
            Assert.Equal(DomainErrorKind.Conflict, Refused(() => Act(Pending(route), verb, Olivia, "why")).Kind);
        }
    }

    [Theory]
    [InlineData("approve")]
    [InlineData("override")]
    [InlineData("reject")]
    [InlineData("escalate")]
    public void Resolving_IsRefused_WhileAnotherReviewerHoldsTheClaim(string verb)
    {
        var decision = Pending();
        decision.Claim(Olivia, Now);

        Assert.Equal("decision.claimed-by-other", Refused(() => Act(decision, verb, Omar, "mine")).Code);
        Assert.Equal(DecisionStatus.InReview, decision.Status);
    }

    [Fact]
    public void EveryChange_IncrementsTheVersion()
    {
        var decision = Pending();
        var versions = new List<int> { decision.Version };
        decision.Claim(Olivia, Now);
        versions.Add(decision.Version);
        decision.Release(Olivia, null, Now);
        versions.Add(decision.Version);
        decision.Approve(Omar, "ok", Now);
        versions.Add(decision.Version);

        Assert.Equal([1, 2, 3, 4], versions);
    }

    private static void Act(Decision decision, string verb, Actor actor, string reason)
    {
        switch (verb)
        {
            case "approve": decision.Approve(actor, reason, Now); break;
            case "override": decision.Override(actor, new JsonObject { ["discountPercent"] = 3m }, reason, Now); break;
            case "reject": decision.Reject(actor, reason, Now); break;
            case "escalate": decision.Escalate(actor, reason, Tier2, Now); break;
            case "claim": decision.Claim(actor, Now); break;
            case "expire": decision.Expire(actor, reason, Now); break;
            default: throw new ArgumentOutOfRangeException(nameof(verb));
        }
    }

    private static Decision RequiringReview(ReviewRequirementCase requirement)
    {
        var proposal = new AgentProposal(new JsonObject { ["discountPercent"] = 12m }, 0.6, AgentRationale.StatingNothing("because"), [new EvidenceLine("fact", [])], RiskLevel.Critical, 1000m);
        var routing = new RoutingResult(DecisionRoute.Review, Tier1, "test", "policy:DynamicPricing v2", ["risk-above-auto-approval"],
            Guid.NewGuid(), RiskLevel.Critical, new AgentConsole.Domain.Policies.ReviewRequirement(1, requirement.Role, requirement.Reviewers, null));
        return Decision.Propose(Guid.NewGuid(), Guid.NewGuid(), Pricing, Pricing.Versions.Single(), "Discount", new JsonObject(), proposal, routing, Now);
    }

    public sealed record ReviewRequirementCase(string Role, int Reviewers);

    [Fact]
    public void FourEyes_TheFirstApprovalReturnsItToTheQueue_TheSecondDistinctOneResolvesIt()
    {
        var decision = RequiringReview(new(Roles.Operator, 2));

        decision.Claim(Olivia, Now);
        Assert.Equal(VerdictOutcome.Recorded, decision.Approve(Olivia, "Fine by me", Now));
        Assert.Equal(DecisionStatus.Pending, decision.Status);
        Assert.Null(decision.ClaimedById);
        Assert.Null(decision.FinalJson);

        var again = Refused(() => decision.Approve(Olivia, "Still fine", Now));
        Assert.Equal("decision.already-approved", again.Code);
        Assert.Contains("requires 2 different reviewers (four-eyes)", again.Message, StringComparison.Ordinal);

        Assert.Equal(VerdictOutcome.Resolved, decision.Approve(Omar, "Agreed", Now));
        Assert.Equal(DecisionStatus.Approved, decision.Status);
        Assert.Equal([Olivia.Id, Omar.Id], decision.Approvers);
        Assert.Equal("Omar", decision.ResolvedByName);
    }

    [Fact]
    public void FourEyes_OneReviewerCannotOverride_AndTheirRejectionIsOneOfTheVerdictsNeeded()
    {
        var decision = RequiringReview(new(Roles.Operator, 2));

        var error = Refused(() => decision.Override(Olivia, new JsonObject { ["discountPercent"] = 3m }, "smaller", Now));
        Assert.Equal(VerdictOutcome.Recorded, decision.Reject(Olivia, "No", Now));

        Assert.Equal("decision.override-four-eyes", error.Code);
        Assert.Equal(DecisionStatus.Pending, decision.Status);
        Assert.Equal(VerdictOutcome.Resolved, decision.Reject(Omar, "No either", Now));
        Assert.Equal(DecisionStatus.Rejected, decision.Status);
    }

    [Fact]
    public void ReviewRole_FromThePolicy_IsEnforced_AndASeniorMayActForAnOperator()
    {
        var senior = RequiringReview(new(Roles.SeniorOperator, 1));
        var operatorLevel = RequiringReview(new(Roles.Operator, 1));

        var error = Refused(() => senior.Approve(Olivia, "ok", Now));
        operatorLevel.Approve(Sam, "ok", Now);

        Assert.Equal("decision.review-role", error.Code);
        Assert.Equal("Cannot approve: the policy that routed this decision requires a senior operator to decide it; escalate it instead.", error.Message);
        Assert.Equal(DecisionStatus.Approved, operatorLevel.Status);
        Assert.Equal(VerdictOutcome.Resolved, senior.Approve(Sam, "ok", Now));
    }
}
