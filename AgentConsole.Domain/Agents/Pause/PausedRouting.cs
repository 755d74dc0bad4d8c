using AgentConsole.Domain.Decisions;
using AgentConsole.Domain.Policies;
using AgentConsole.Domain.Queues;

namespace AgentConsole.Domain.Agents.Pause;

/// <summary>
/// What a paused agent's proposal becomes: routed to review at the tier its risk's review requirement names (never
/// auto-approved), or held until the agent is resumed, as the policy's <c>agentPause</c> section says (review by default).
/// A block stays a block: pausing never lets through what the policy refuses.
/// </summary>
public static class PausedRouting
{
    public const string RuleId = "agent-paused";

    /// <param name="document">The policy routing the agent; null when none is in force (every proposal is reviewed anyway).</param>
    /// <param name="byTier">The use case's queues, ordered by tier.</param>
    public static RoutingResult Apply(RoutingResult routed, Agent agent, PolicyDocument? document, IReadOnlyList<ReviewQueue> byTier)
    {
        if (!agent.IsPaused)
        {
            return routed;
        }

        var paused = $"{agent.Name} is paused by {agent.PausedByName} ({agent.PauseReason?.TrimEnd('.')})";
        if (document?.PauseOrDefault.WhilePaused == WhilePaused.Hold)
        {
            return routed with { Held = true, Reason = $"{paused}: the proposal is held until the agent is resumed." };
        }

        switch (routed.Route)
        {
            case DecisionRoute.Block:
                return routed;
            case DecisionRoute.Review:
                return routed with { Reason = $"{paused}. {routed.Reason}", RulesFired = [RuleId, .. routed.RulesFired] };
        }

        // Would have been auto-approved: reviewed as the policy requires for its risk.
        var risk = routed.Risk ?? RiskLevel.Low;
        var requirement = document!.ReviewRequirements[risk];
        var queue = PolicyDecisionRouter.QueueFor(byTier, requirement.Tier, q => q.Tier);
        return routed with
        {
            Route = DecisionRoute.Review,
            Queue = queue,
            Requirement = requirement,
            RulesFired = [RuleId],
            Reason = $"{paused}: every proposal is reviewed; review at tier {requirement.Tier} by {requirement.Describe()}.",
        };
    }
}
