using System.Text.Json.Nodes;
using AgentConsole.Domain;
using AgentConsole.Domain.Agents;
using AgentConsole.Domain.Decisions;
using AgentConsole.Domain.Queues;
using AgentConsole.Domain.Tenancy;

namespace AgentConsole.Tests.Unit.Decisions;

/// <summary>
/// Four-eyes counts every verdict: all approve → approved, all reject → rejected, they disagree → the next tier decides
/// afresh with both verdicts attached, or in the top tier one senior operator who gave neither decides alone.
/// </summary>
public sealed class FourEyesTests
{
    private static readonly Guid Tenant = Guid.NewGuid();
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);
    private static readonly Actor Olivia = Actor.User(Guid.NewGuid(), "Olivia Operator", Tenant, [Roles.Operator]);
    private static readonly Actor Omar = Actor.User(Guid.NewGuid(), "Omar Operator", Tenant, [Roles.Operator]);
    private static readonly Actor Sam = Actor.User(Guid.NewGuid(), "Sam Senior", Tenant, [Roles.SeniorOperator]);
    private static readonly Actor Sienna = Actor.User(Guid.NewGuid(), "Sienna Senior", Tenant, [Roles.SeniorOperator]);
    private static readonly Actor Helen = Actor.User(Guid.NewGuid(), "Helen Senior", Tenant, [Roles.SeniorOperator]);
    private static readonly Actor Auditor = Actor.User(Guid.NewGuid(), "Avery Auditor", Tenant, [Roles.Auditor]);
    private static readonly Actor System = Actor.System(Tenant, DecisionService.FourEyesActorName);

    private static readonly Agent Pricing = CreateAgent();
    private static readonly ReviewQueue Tier2 = new(Guid.NewGuid(), Tenant, "pricing-t2", "Pricing seniors", UseCase.DynamicPricing, 2, 240, [Roles.SeniorOperator], "");
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

    private static Decision FourEyes()
    {
        var proposal = new AgentProposal(new JsonObject { ["discountPercent"] = 12m }, 0.6, AgentRationale.StatingNothing("because"), [new EvidenceLine("fact", [])], RiskLevel.Critical, 1000m);
        var routing = new RoutingResult(DecisionRoute.Review, Tier1, "test", "policy:DynamicPricing v2", ["risk-above-auto-approval"],
            Guid.NewGuid(), RiskLevel.Critical, new AgentConsole.Domain.Policies.ReviewRequirement(1, Roles.Operator, 2, null));
        return Decision.Propose(Guid.NewGuid(), Guid.NewGuid(), Pricing, Pricing.Versions.Single(), "Discount", new JsonObject(), proposal, routing, Now);
    }

    private static DomainException Refused(Action action) => Assert.Throws<DomainException>(action);

    [Fact]
    public void TwoApprovals_Approve()
    {
        var decision = FourEyes();

        Assert.Equal(VerdictOutcome.Recorded, decision.Approve(Olivia, "Fine", Now));
        Assert.Equal(VerdictOutcome.Resolved, decision.Approve(Omar, "Fine too", Now.AddMinutes(1)));

        Assert.Equal(DecisionStatus.Approved, decision.Status);
        Assert.Equal(decision.ProposalJson, decision.FinalJson);
        Assert.Null(decision.ReviewersDisagreedAt);
    }

    [Fact]
    public void TheFirstRejection_IsOneOfTheVerdicts_AndTwoRejectionsReject()
    {
        var decision = FourEyes();
        decision.Claim(Olivia, Now);

        Assert.Equal(VerdictOutcome.Recorded, decision.Reject(Olivia, "Too deep", Now));
        Assert.Equal(DecisionStatus.Pending, decision.Status);
        Assert.Null(decision.ClaimedById);
        Assert.Equal([Olivia.Id], decision.Rejecters);
        Assert.Equal(1, decision.VerdictsGiven);

        Assert.Equal(VerdictOutcome.Resolved, decision.Reject(Omar, "Agreed, too deep", Now.AddMinutes(1)));
        Assert.Equal(DecisionStatus.Rejected, decision.Status);
        Assert.Equal("Omar Operator", decision.ResolvedByName);
        Assert.Null(decision.FinalJson);
    }

    [Fact]
    public void AReviewer_CannotGiveTwoVerdicts()
    {
        var approved = FourEyes();
        approved.Approve(Olivia, "Fine", Now);
        var rejected = FourEyes();
        rejected.Reject(Olivia, "No", Now);

        var rejectAfterApproving = Refused(() => approved.Reject(Olivia, "Changed my mind", Now));
        var approveAfterRejecting = Refused(() => rejected.Approve(Olivia, "Changed my mind", Now));
        var rejectTwice = Refused(() => rejected.Reject(Olivia, "Still no", Now));

        Assert.Equal(("decision.already-approved", DomainErrorKind.Conflict), (rejectAfterApproving.Code, rejectAfterApproving.Kind));
        Assert.Equal("You already approved this decision; the policy requires 2 different reviewers (four-eyes), so another reviewer must give their verdict.", rejectAfterApproving.Message);
        Assert.Equal("decision.already-rejected", approveAfterRejecting.Code);
        Assert.Equal("decision.already-rejected", rejectTwice.Code);
        Assert.Equal(1, rejected.VerdictsGiven);
    }

    [Fact]
    public void ARejecter_HasGivenTheirVerdict_SoIsNoLongerBlind_WhileOthersStillAre()
    {
        var decision = FourEyes();
        decision.Reject(Olivia, "No", Now);

        Assert.False(decision.HidesVerdictsFrom(Olivia));
        Assert.True(decision.HidesVerdictsFrom(Omar));
        Assert.True(decision.HidesVerdictsFrom(Sam));
        Assert.False(decision.HidesVerdictsFrom(Auditor));
    }

    [Fact]
    public void Disagreement_InTheFirstTier_EscalatesWithBothVerdictsAttached_AndTheNextTierDecidesAfresh()
    {
        var decision = FourEyes();
        decision.Approve(Olivia, "Within the margin floor", Now);
        Assert.Equal(VerdictOutcome.Disagreed, decision.Reject(Omar, "The competitor gap does not justify it", Now.AddMinutes(2)));
        Assert.True(decision.ReviewersDisagree);

        var reason = decision.SettleDisagreement(System, Tier2, Now.AddMinutes(2));

        Assert.Equal(
            "Four-eyes reviewers disagreed: Olivia Operator approved (\"Within the margin floor\"), Omar Operator rejected (\"The competitor gap does not justify it\"). Escalated to Pricing seniors, which decides afresh.",
            reason);
        Assert.Equal((DecisionStatus.Escalated, Tier2.Id, 1), (decision.Status, decision.QueueId, decision.EscalationLevel));
        Assert.Equal(Now.AddMinutes(2), decision.ReviewersDisagreedAt);
        Assert.False(decision.NeedsSeniorDecision);
        Assert.Equal(0, decision.VerdictsGiven);

        var escalation = decision.Reviews.Last();
        Assert.Equal((ReviewAction.Escalated, "system", DecisionService.FourEyesActorName), (escalation.Action, escalation.ActorId, escalation.ActorName));
        var attached = FourEyesDisagreement.Of(escalation)!;
        Assert.Equal((Tier1.Id, Tier2.Id), (attached.FromQueueId, attached.ToQueueId));
        Assert.Collection(attached.Verdicts,
            v => Assert.Equal((Olivia.Id, "Olivia Operator", "approve", "Within the margin floor", Now), (v.ReviewerId, v.Reviewer, v.Verdict, v.Reason, v.At)),
            v => Assert.Equal((Omar.Id, "Omar Operator", "reject", "The competitor gap does not justify it", Now.AddMinutes(2)), (v.ReviewerId, v.Reviewer, v.Verdict, v.Reason, v.At)));

        // The seniors' round is blind again, and needs two of their verdicts.
        Assert.True(decision.HidesVerdictsFrom(Sam));
        Assert.Equal(VerdictOutcome.Recorded, decision.Approve(Sam, "Fine after all", Now.AddMinutes(5)));
        Assert.Equal(DecisionStatus.Escalated, decision.Status);
        Assert.True(decision.HidesVerdictsFrom(Sienna));
        Assert.Equal(VerdictOutcome.Resolved, decision.Approve(Sienna, "Agreed", Now.AddMinutes(6)));
        Assert.Equal(DecisionStatus.Approved, decision.Status);
    }

    [Fact]
    public void Disagreement_InTheTopTier_LeavesItForOneSeniorWhoGaveNeitherVerdict()
    {
        var decision = FourEyes();
        decision.Escalate(Olivia, "A senior should look", Tier2, Now);
        decision.Reject(Sam, "No", Now.AddMinutes(1));
        Assert.Equal(VerdictOutcome.Disagreed, decision.Approve(Sienna, "Yes", Now.AddMinutes(2)));

        var reason = decision.SettleDisagreement(System, null, Now.AddMinutes(2));

        Assert.EndsWith("There is no higher tier: a senior operator who gave neither verdict decides it.", reason, StringComparison.Ordinal);
        Assert.True(decision.NeedsSeniorDecision);
        Assert.Equal((DecisionStatus.Escalated, Tier2.Id), (decision.Status, decision.QueueId));
        var review = decision.Reviews.Last();
        Assert.Equal(ReviewAction.Disagreed, review.Action);
        Assert.False(FourEyesDisagreement.Of(review)!.Escalated);

        // Nothing is hidden any more: the verdicts are the evidence the deciding senior reads.
        Assert.False(decision.HidesVerdictsFrom(Helen));
        Assert.Equal("decision.needs-senior", Refused(() => decision.Approve(Olivia, "ok", Now)).Code);
        Assert.Equal("decision.needs-senior", Refused(() => decision.Claim(Olivia, Now)).Code);
        Assert.Equal("decision.gave-disagreeing-verdict", Refused(() => decision.Approve(Sienna, "Still yes", Now)).Code);
        Assert.Equal("decision.gave-disagreeing-verdict", Refused(() => decision.Reject(Sam, "Still no", Now)).Code);
        Assert.False(decision.MayDecide(Olivia));
        Assert.Equal("its four-eyes reviewers disagreed and it now needs a senior operator's decision", decision.StandingForLoser(justChanged: false));

        Assert.Equal(VerdictOutcome.Resolved, decision.Reject(Helen, "The margin floor wins", Now.AddMinutes(10)));
        Assert.Equal((DecisionStatus.Rejected, "Helen Senior"), (decision.Status, decision.ResolvedByName));
    }

    [Fact]
    public void SettleDisagreement_IsRefused_WhenTheReviewersDidNotDisagree()
    {
        var decision = FourEyes();
        decision.Reject(Olivia, "No", Now);

        Assert.Equal("decision.illegal-transition", Refused(() => decision.SettleDisagreement(System, Tier2, Now)).Code);
    }

    [Fact]
    public void APersonsEscalation_EndsAHalfCollectedRound_AndTheNextTierStartsAfresh()
    {
        var decision = FourEyes();
        decision.Reject(Olivia, "No", Now);

        decision.Escalate(Omar, "Not sure: a senior should decide", Tier2, Now.AddMinutes(1));

        Assert.Equal(0, decision.VerdictsGiven);
        Assert.False(decision.GaveVerdict(Olivia.Id));
        Assert.Null(decision.ReviewersDisagreedAt);
        Assert.Equal(VerdictOutcome.Recorded, decision.Reject(Sam, "No", Now.AddMinutes(2)));
        Assert.Equal(VerdictOutcome.Resolved, decision.Reject(Sienna, "No", Now.AddMinutes(3)));
    }

    [Fact]
    public void TheSlaLadderEscalating_EndsTheRoundToo()
    {
        var decision = FourEyes();
        decision.Approve(Olivia, "Fine", Now);
        decision.Claim(Omar, Now);

        decision.SlaEscalate(Actor.System(Tenant, "SLA ladder"), "escalateAfter passed", Tier2, Now.AddMinutes(30));

        Assert.Equal((DecisionStatus.Escalated, 0, (string?)null), (decision.Status, decision.VerdictsGiven, decision.ClaimedById));
    }

    [Fact]
    public void AReleaseOrALapsedLease_KeepsTheVerdictsGiven()
    {
        var decision = FourEyes();
        decision.Reject(Olivia, "No", Now);
        decision.Claim(Omar, Now.AddMinutes(1));
        decision.Release(Omar, "Back later", Now.AddMinutes(2));
        decision.Claim(Sam, Now.AddMinutes(3));
        decision.ExpireLease(Actor.System(Tenant, "lease"), "no heartbeat", Now.AddMinutes(5));

        Assert.Equal([Olivia.Id], decision.Rejecters);
        Assert.Equal(VerdictOutcome.Disagreed, decision.Approve(Omar, "Fine by me", Now.AddMinutes(6)));
    }

    [Fact]
    public void TheSlaLadder_MayStillDecideAHalfCollectedRound()
    {
        var decision = FourEyes();
        decision.Reject(Olivia, "No", Now);

        decision.SlaAutoDecide(Actor.System(Tenant, "SLA ladder"), approve: true, "autoDecideAfter passed", Now.AddMinutes(40));

        Assert.Equal(DecisionStatus.Approved, decision.Status);
        Assert.Equal("decision.already-resolved", Refused(() => decision.Approve(Omar, "ok", Now)).Code);
    }

    [Fact]
    public void ALongReason_IsShortenedInTheDisagreementsReason_AndKeptWholeInTheVerdicts()
    {
        var decision = FourEyes();
        var longReason = new string('x', 900);
        decision.Approve(Olivia, longReason, Now);
        decision.Reject(Omar, longReason, Now);

        var reason = decision.SettleDisagreement(System, Tier2, Now);

        Assert.True(reason.Length <= 1000, $"{reason.Length} characters");
        Assert.All(FourEyesDisagreement.Of(decision.Reviews.Last())!.Verdicts, v => Assert.Equal(longReason, v.Reason));
    }

    [Fact]
    public void WhoLostARaceToAVerdict_IsToldAVerdictCameIn_NotThatItWasEscalated()
    {
        var decision = FourEyes();
        decision.Escalate(Olivia, "A senior should look", Tier2, Now);
        decision.Approve(Sam, "Fine", Now.AddMinutes(1));

        Assert.Equal("another reviewer gave their verdict a moment ago (1 of 2 given) and it is back in its queue; look at it again",
            decision.StandingForLoser(justChanged: true));
    }
}
