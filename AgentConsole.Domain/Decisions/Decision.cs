using System.Text.Json;
using System.Text.Json.Nodes;
using AgentConsole.Domain.Agents;
using AgentConsole.Domain.Queues;
using AgentConsole.Domain.Tenancy;

namespace AgentConsole.Domain.Decisions;

/// <summary>
/// An agent's proposal and what became of it. The lifecycle is an explicit state machine:
/// every method checks the current state and refuses an illegal move with a <see cref="DomainException"/>.
/// <see cref="Version"/> is the optimistic concurrency token: two reviewers, one winner.
/// </summary>
public sealed partial class Decision : ITenantOwned
{
    private readonly List<DecisionReview> _reviews = [];

    private Decision()
    {
    }

    public Guid Id { get; private set; }

    public Guid TenantId { get; private set; }

    public Guid RunId { get; private set; }

    public Guid AgentId { get; private set; }

    public Guid AgentVersionId { get; private set; }

    /// <summary>The agent version number that proposed it (provenance).</summary>
    public int AgentVersion { get; private set; }

    public UseCase UseCase { get; private set; }

    public string Subject { get; private set; } = "";

    public string InputsJson { get; private set; } = "{}";

    public string ProposalJson { get; private set; } = "{}";

    /// <summary>The values to execute: the proposal, or a reviewer's override.</summary>
    public string? FinalJson { get; private set; }

    public double Confidence { get; private set; }

    public string Rationale { get; private set; } = "";

    /// <summary>The evidence and what the rationale states, as <see cref="AgentExplanation.ToJson"/> writes them (older rows: an array of strings).</summary>
    public string EvidenceJson { get; private set; } = "[]";

    /// <summary>The risk level routing settled on: the agent's, or higher when a policy rule raised it.</summary>
    public RiskLevel Risk { get; private set; }

    /// <summary>The risk level the agent proposed (what a policy simulation replays).</summary>
    public RiskLevel ProposedRisk { get; private set; }

    public decimal ExposureEur { get; private set; }

    public DecisionRoute Route { get; private set; }

    /// <summary>Why routing chose the route, for people.</summary>
    public string RouteReason { get; private set; } = "";

    /// <summary>What routed it, e.g. <c>threshold:pricing@0.85</c>; a policy version later.</summary>
    public string RoutedBy { get; private set; } = "";

    public string RulesFiredJson { get; private set; } = "[]";

    /// <summary>The policy version that routed it; decisions in flight keep it when a new version starts.</summary>
    public Guid? PolicyVersionId { get; private set; }

    /// <summary>The role the routing policy requires of its reviewer (a senior operator may act for an operator).</summary>
    public string? ReviewRole { get; private set; }

    /// <summary>How many distinct reviewers the routing policy requires (2 for four-eyes).</summary>
    public int ReviewersRequired { get; private set; } = 1;

    /// <summary>The certification the routing policy requires of its reviewer.</summary>
    public string? ReviewCertification { get; private set; }

    /// <summary>Who has approved so far in the current four-eyes round, when the policy requires more than one reviewer (comma-separated ids).</summary>
    public string? ApproverIdsCsv { get; private set; }

    /// <summary>Distinct reviewers who approved so far in the current four-eyes round (see <see cref="Rejecters"/>).</summary>
    public IReadOnlyList<string> Approvers => ApproverIdsCsv?.Split(',', StringSplitOptions.RemoveEmptyEntries) ?? [];

    public DecisionStatus Status { get; private set; }

    public Guid? QueueId { get; private set; }

    /// <summary>How many times it was escalated.</summary>
    public int EscalationLevel { get; private set; }

    /// <summary>1 (most urgent) to 4.</summary>
    public int Priority { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset? DueAt { get; private set; }

    public string? ClaimedById { get; private set; }

    public string? ClaimedByName { get; private set; }

    public DateTimeOffset? ClaimedAt { get; private set; }

    public string? ResolvedById { get; private set; }

    public string? ResolvedByName { get; private set; }

    public DateTimeOffset? ResolvedAt { get; private set; }

    /// <summary>Incremented by every change; the concurrency token on every provider.</summary>
    public int Version { get; private set; }

    public IReadOnlyCollection<DecisionReview> Reviews => _reviews;

    /// <summary>The rationale and evidence, each with the case fields it states; read masked through a decision's view, never shown as is.</summary>
    public AgentExplanation Explanation => AgentExplanation.Read(Rationale, EvidenceJson);

    public IReadOnlyList<string> RulesFired => JsonSerializer.Deserialize<string[]>(RulesFiredJson) ?? [];

    public JsonObject Inputs => JsonNode.Parse(InputsJson)!.AsObject();

    public JsonObject Proposal => JsonNode.Parse(ProposalJson)!.AsObject();

    public JsonObject? Final => FinalJson is null ? null : JsonNode.Parse(FinalJson)!.AsObject();

    /// <summary>Creates the decision in the state its route gives: queued, auto-approved or blocked.</summary>
    public static Decision Propose(
        Guid id, Guid runId, Agent agent, AgentVersion version, string subject, JsonObject inputs,
        AgentProposal proposal, RoutingResult routing, DateTimeOffset now)
    {
        if (routing.Route == DecisionRoute.Review && routing.Queue is null)
        {
            throw DomainException.Invalid("decision.queue-missing", "A decision routed to review needs a queue.");
        }

        var decision = new Decision
        {
            Id = id,
            TenantId = agent.TenantId,
            RunId = runId,
            AgentId = agent.Id,
            AgentVersionId = version.Id,
            AgentVersion = version.Version,
            UseCase = agent.UseCase,
            Subject = subject,
            InputsJson = inputs.ToJsonString(),
            ProposalJson = proposal.Values.ToJsonString(),
            Confidence = proposal.Confidence,
            Rationale = proposal.Rationale.Text,
            EvidenceJson = proposal.Explanation.ToJson(),
            Risk = routing.Risk ?? proposal.Risk,
            ProposedRisk = proposal.Risk,
            ExposureEur = proposal.ExposureEur,
            Route = routing.Route,
            RouteReason = routing.Reason,
            RoutedBy = routing.RoutedBy,
            RulesFiredJson = JsonSerializer.Serialize(routing.RulesFired),
            PolicyVersionId = routing.PolicyVersionId,
            ReviewRole = routing.Requirement?.Role,
            ReviewersRequired = routing.Requirement?.Reviewers ?? 1,
            ReviewCertification = routing.Requirement?.Certification,
            Priority = 4 - (int)(routing.Risk ?? proposal.Risk),
            CreatedAt = now,
            Version = 1,
        };

        switch (routing.Route)
        {
            case DecisionRoute.AutoApprove:
                decision.Status = DecisionStatus.AutoApproved;
                decision.FinalJson = decision.ProposalJson;
                decision.ResolvedAt = now;
                decision.ResolvedByName = "auto-approval";
                break;
            case DecisionRoute.Block:
                decision.Status = DecisionStatus.Blocked;
                decision.ResolvedAt = now;
                decision.ResolvedByName = "blocked by routing";
                break;
            default:
                decision.Status = DecisionStatus.Pending;
                decision.QueueId = routing.Queue!.Id;
                decision.DueAt = now.AddMinutes(routing.Queue.SlaMinutes);
                decision.EnterSlaClock(now);
                break;
        }

        return decision;
    }

    /// <summary>Takes the item so nobody else works it. Claiming one's own claim again changes nothing.</summary>
    public bool Claim(Actor actor, DateTimeOffset now)
    {
        if (Status == DecisionStatus.InReview && ClaimedById == actor.Id)
        {
            return false;
        }

        EnsureOpenFor(actor, "claim");
        EnsureNotAssignedToOther(actor);
        EnsureMayTakeSeniorDecision(actor, "claim");
        Status = DecisionStatus.InReview;
        ClaimedById = actor.Id;
        ClaimedByName = actor.Name;
        ClaimedAt = now;
        LeaseRenewedAt = now;
        LeaseLapsedFromId = null;
        AddReview(ReviewAction.Claimed, actor, null, null, now);
        return true;
    }

    /// <summary>Puts a claimed item back in the queue. Only the claimer, or a senior operator, may release it.</summary>
    public void Release(Actor actor, string? reason, DateTimeOffset now)
    {
        if (Status != DecisionStatus.InReview)
        {
            throw Illegal("release", "only a claimed decision can be released");
        }

        if (ClaimedById != actor.Id && !actor.IsInRole(Roles.SeniorOperator))
        {
            throw DomainException.Forbidden("decision.not-claimer", $"{ClaimedByName} is working on this decision; only they or a senior operator can release it.");
        }

        Status = EscalationLevel > 0 ? DecisionStatus.Escalated : DecisionStatus.Pending;
        ClearClaim();
        AddReview(ReviewAction.Released, actor, reason, null, now);
    }

    /// <summary>
    /// Approves. When the routing policy requires several distinct reviewers (four-eyes), the approval is one of the
    /// verdicts needed (see <see cref="GiveVerdict"/>); returns what became of it.
    /// </summary>
    public VerdictOutcome Approve(Actor actor, string reason, DateTimeOffset now)
    {
        if (ReviewersRequired > 1)
        {
            return GiveVerdict(actor, reason, now, approve: true);
        }

        Resolve(actor, reason, now, "approve", DecisionStatus.Approved, ReviewAction.Approved);
        FinalJson = ProposalJson;
        return VerdictOutcome.Resolved;
    }

    /// <summary>Approves with edited values (already validated against the use case's schema).</summary>
    public void Override(Actor actor, JsonObject values, string reason, DateTimeOffset now)
    {
        if (JsonNode.DeepEquals(values, Proposal))
        {
            throw DomainException.Invalid("decision.override-unchanged", "The override changes none of the proposed values; approve the decision instead.");
        }

        if (ReviewersRequired > 1)
        {
            throw DomainException.Conflict("decision.override-four-eyes",
                $"The policy requires {ReviewersRequired} different reviewers (four-eyes) for this decision, so one person cannot change its values: approve it, reject it, or escalate it.");
        }

        Resolve(actor, reason, now, "override", DecisionStatus.Overridden, ReviewAction.Overridden, values.ToJsonString());
        FinalJson = values.ToJsonString();
    }

    /// <summary>
    /// Rejects. When the routing policy requires several distinct reviewers (four-eyes), the rejection is one of the
    /// verdicts needed (see <see cref="GiveVerdict"/>), not the end of it; returns what became of it.
    /// </summary>
    public VerdictOutcome Reject(Actor actor, string reason, DateTimeOffset now)
    {
        if (ReviewersRequired > 1)
        {
            return GiveVerdict(actor, reason, now, approve: false);
        }

        Resolve(actor, reason, now, "reject", DecisionStatus.Rejected, ReviewAction.Rejected);
        return VerdictOutcome.Resolved;
    }

    /// <summary>
    /// Moves the decision to the next tier's queue, where it waits as <see cref="DecisionStatus.Escalated"/>. Under
    /// four-eyes the next tier decides afresh: the verdicts given so far stay in the history, and a new round starts.
    /// </summary>
    public void Escalate(Actor actor, string reason, ReviewQueue? next, DateTimeOffset now) =>
        Escalate(actor, reason, next, now, verdicts: null);

    private void Escalate(Actor actor, string reason, ReviewQueue? next, DateTimeOffset now, IReadOnlyList<FourEyesVerdict>? verdicts)
    {
        RequireReason(reason);
        EnsureOpenFor(actor, "escalate");
        if (next is null)
        {
            throw DomainException.Conflict("decision.top-tier", "This decision is already in the highest tier's queue; approve, override or reject it instead.");
        }

        Status = DecisionStatus.Escalated;
        EscalationLevel++;
        var from = QueueId;
        QueueId = next.Id;
        DueAt = now.AddMinutes(next.SlaMinutes);
        Priority = Math.Max(1, Priority - 1);
        ClearClaim();
        EnterSlaClock(now);
        StartNewRound();
        AddReview(ReviewAction.Escalated, actor, reason, verdicts is null
            ? JsonSerializer.Serialize(new { fromQueueId = from, toQueueId = next.Id })
            : FourEyesDisagreement.ValuesJson(from, next.Id, verdicts), now);
    }

    /// <summary>The SLA ladder gave up waiting: the decision leaves the queue unresolved by a person.</summary>
    public void Expire(Actor actor, string reason, DateTimeOffset now)
    {
        RequireReason(reason);
        if (!Status.IsOpen())
        {
            throw Illegal("expire", "it is no longer waiting for review");
        }

        Status = DecisionStatus.Expired;
        ResolvedById = actor.Id;
        ResolvedByName = actor.Name;
        ResolvedAt = now;
        ClearClaim();
        AddReview(ReviewAction.Expired, actor, reason, null, now);
    }

    private void Resolve(Actor actor, string reason, DateTimeOffset now, string verb, DecisionStatus to, ReviewAction action, string? values = null)
    {
        RequireReason(reason);
        EnsureOpenFor(actor, verb);
        EnsureReviewRole(actor, verb);
        Status = to;
        ResolvedById = actor.Id;
        ResolvedByName = actor.Name;
        ResolvedAt = now;
        AddReview(action, actor, reason, values, now);
    }

    /// <summary>Whether a person holding <paramref name="role"/> meets the routing policy's review requirement (a senior operator may act for an operator).</summary>
    public bool RoleMayDecide(string role) =>
        ReviewRole is null || role == ReviewRole || (ReviewRole == Roles.Operator && role == Roles.SeniorOperator);

    /// <summary>The roles that may decide it in <paramref name="queue"/>: the queue's roles that meet the review requirement.</summary>
    public IReadOnlyList<string> DecidersIn(ReviewQueue queue) => queue.AllowedRoles.Where(RoleMayDecide).ToList();

    /// <summary>What a person's attempt to <paramref name="verb"/> is called when it could not be saved, e.g. "approval".</summary>
    public static string ActionNoun(string verb) => verb switch
    {
        "approve" => "approval",
        "reject" => "rejection",
        "escalate" => "escalation",
        "expire" => "expiry",
        _ => verb,
    };

    /// <summary>
    /// How it stands now, as the loser of a race reads it, e.g. "this decision was approved by Sam Senior a moment ago";
    /// <paramref name="justChanged"/> when it changed after the loser last read it.
    /// </summary>
    public string StandingForLoser(bool justChanged)
    {
        var when = justChanged ? " a moment ago" : "";
        return Status switch
        {
            DecisionStatus.InReview => justChanged ? $"{ClaimedByName} claimed this decision a moment ago" : $"{ClaimedByName} is working on this decision",
            _ when NeedsSeniorDecision && Status != DecisionStatus.InReview => $"its four-eyes reviewers disagreed{when} and it now needs a senior operator's decision",
            // A four-eyes verdict came in: the round (cleared by any escalation) has verdicts, so it was not escalated since.
            DecisionStatus.Pending or DecisionStatus.Escalated when justChanged && ReviewersRequired > 1 && VerdictsGiven > 0 =>
                $"another reviewer gave their verdict a moment ago ({VerdictsGiven} of {ReviewersRequired} given) and it is back in its queue; look at it again",
            DecisionStatus.Pending => "this decision changed a moment ago and is back in its queue; look at it again",
            DecisionStatus.Escalated => $"this decision was escalated to the next tier{when}",
            _ => $"this decision was {(justChanged ? "" : "already ")}{Status.Label().ToLowerInvariant()}{(ResolvedByName is null ? "" : $" by {ResolvedByName}")}{when}",
        };
    }

    private void EnsureOpenFor(Actor actor, string verb)
    {
        if (!Status.IsOpen())
        {
            throw DomainException.Conflict("decision.already-resolved", $"Your {ActionNoun(verb)} was not saved: {StandingForLoser(justChanged: false)}.");
        }

        if (Status == DecisionStatus.InReview && ClaimedById != actor.Id)
        {
            throw DomainException.Conflict("decision.claimed-by-other", $"Your {ActionNoun(verb)} was not saved: {StandingForLoser(justChanged: false)}.");
        }
    }

    /// <summary>
    /// Four-eyes is blind: while a decision needing several reviewers is open, someone who may review it and has not given
    /// their own verdict sees nothing of the others' (page, API, live messages, history, lineage).
    /// </summary>
    /// <remarks>
    /// Only the current round is blind: verdicts of a round that ended (the tier before an escalation, or reviewers who
    /// disagreed in the top tier) are the evidence the next reviewers decide on, and are shown to them.
    /// </remarks>
    public bool HidesVerdictsFrom(Actor viewer) =>
        ReviewersRequired > 1 && Status.IsOpen() && !NeedsSeniorDecision && viewer.Can(Permissions.ActOnDecisions) && !GaveVerdict(viewer.Id);

    /// <summary>
    /// Whether the routing policy's review requirement lets this actor decide it: a senior operator may always act for an
    /// operator; once four-eyes reviewers disagreed in the top tier, only a senior operator may.
    /// </summary>
    public bool MayDecide(Actor actor) => actor.Roles.Any(RoleMayDecide) && (!NeedsSeniorDecision || actor.IsInRole(Roles.SeniorOperator));

    private void EnsureReviewRole(Actor actor, string verb)
    {
        EnsureMayTakeSeniorDecision(actor, verb);
        if (!MayDecide(actor))
        {
            throw DomainException.Forbidden("decision.review-role",
                $"Cannot {verb}: the policy that routed this decision requires {Roles.WithArticle(ReviewRole!)} to decide it; escalate it instead.");
        }
    }

    /// <summary>The one message for a missing reason, wherever it is checked.</summary>
    public const string ReasonRequired = "A reason is required.";

    private static void RequireReason(string? reason)
    {
        if (string.IsNullOrWhiteSpace(reason))
        {
            throw DomainException.Invalid("decision.reason-required", ReasonRequired, new Dictionary<string, string[]> { ["reason"] = [ReasonRequired] });
        }

        if (reason.Length > 1000)
        {
            throw DomainException.Invalid("decision.reason-too-long", "The reason must be at most 1000 characters.", new Dictionary<string, string[]> { ["reason"] = ["At most 1000 characters."] });
        }
    }

    private DomainException Illegal(string verb, string why) =>
        DomainException.Conflict("decision.illegal-transition", $"Cannot {verb} a decision that is {Status.Label().ToLowerInvariant()}: {why}.");

    private void ClearClaim()
    {
        ClaimedById = null;
        ClaimedByName = null;
        ClaimedAt = null;
        LeaseRenewedAt = null;
    }

    private void AddReview(ReviewAction action, Actor actor, string? reason, string? valuesJson, DateTimeOffset now)
    {
        _reviews.Add(new DecisionReview(Guid.NewGuid(), TenantId, Id, action, actor.Id, actor.Name, reason?.Trim(), valuesJson, now));
        Version++;
    }
}

/// <summary>One step a person (or the SLA ladder) took on a decision.</summary>
public sealed class DecisionReview : ITenantOwned
{
    private DecisionReview()
    {
    }

    internal DecisionReview(Guid id, Guid tenantId, Guid decisionId, ReviewAction action, string actorId, string actorName, string? reason, string? valuesJson, DateTimeOffset at)
    {
        Id = id;
        TenantId = tenantId;
        DecisionId = decisionId;
        Action = action;
        ActorId = actorId;
        ActorName = actorName;
        Reason = reason;
        ValuesJson = valuesJson;
        At = at;
    }

    public Guid Id { get; private set; }

    public Guid TenantId { get; private set; }

    public Guid DecisionId { get; private set; }

    public ReviewAction Action { get; private set; }

    public string ActorId { get; private set; } = "";

    public string ActorName { get; private set; } = "";

    public string? Reason { get; private set; }

    public string? ValuesJson { get; private set; }

    public DateTimeOffset At { get; private set; }
}
