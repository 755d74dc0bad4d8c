using AgentConsole.Domain.Agents;
using AgentConsole.Domain.Queues;

namespace AgentConsole.Domain.Decisions;

/// <summary>What routing is asked: which agent proposed what on which inputs, and which queues could take it.</summary>
public sealed record RoutingRequest(Agent Agent, AgentProposal Proposal, IReadOnlyList<ReviewQueue> Queues, System.Text.Json.Nodes.JsonObject? Inputs = null);

/// <summary>What routing decided, and why.</summary>
/// <param name="RoutedBy">What routed it, e.g. <c>policy:DynamicPricing v3</c>.</param>
/// <param name="PolicyVersionId">The policy version that routed it, if a policy did.</param>
/// <param name="Risk">The risk level after the policy's rules (they may raise it).</param>
/// <param name="Requirement">Who must review it, for a decision routed to review.</param>
/// <param name="Held">The agent is paused and its policy holds proposals: no decision yet, the run waits until the agent is resumed.</param>
public sealed record RoutingResult(
    DecisionRoute Route, ReviewQueue? Queue, string Reason, string RoutedBy, IReadOnlyList<string> RulesFired,
    Guid? PolicyVersionId = null, RiskLevel? Risk = null, Policies.ReviewRequirement? Requirement = null, bool Held = false);

/// <summary>Decides what happens to a proposal: the policy engine.</summary>
public interface IDecisionRouter
{
    /// <param name="db">The proposal's own context: routing reads what it needs in the same unit of work.</param>
    Task<RoutingResult> RouteAsync(Persistence.AgentConsoleDbContext db, RoutingRequest request, CancellationToken cancellationToken);
}
