using AgentConsole.Domain.Agents;
using AgentConsole.Domain.Queues;

namespace AgentConsole.Domain.Decisions;

/// <summary>What routing is asked: which agent proposed what, and which queues could take it.</summary>
public sealed record RoutingRequest(Agent Agent, AgentProposal Proposal, IReadOnlyList<ReviewQueue> Queues);

/// <summary>What routing decided, and why.</summary>
public sealed record RoutingResult(DecisionRoute Route, ReviewQueue? Queue, string Reason, string RoutedBy, IReadOnlyList<string> RulesFired);

/// <summary>Decides what happens to a proposal. The policy engine replaces the threshold router.</summary>
public interface IDecisionRouter
{
    Task<RoutingResult> RouteAsync(RoutingRequest request, CancellationToken cancellationToken);
}

/// <summary>
/// Routes by the agent's confidence threshold: confident and low-risk proposals are approved
/// automatically; the rest go to the first-tier queue, high and critical risk to the second tier.
/// </summary>
public sealed class ThresholdDecisionRouter : IDecisionRouter
{
    public Task<RoutingResult> RouteAsync(RoutingRequest request, CancellationToken cancellationToken)
    {
        var (agent, proposal, queues) = request;
        var routedBy = $"threshold:{agent.Key}@{agent.AutoApproveThreshold:0.00}";
        var confident = proposal.Confidence >= agent.AutoApproveThreshold;
        if (confident && proposal.Risk == RiskLevel.Low)
        {
            return Task.FromResult(new RoutingResult(DecisionRoute.AutoApprove, null,
                $"Confidence {proposal.Confidence:0.00} ≥ threshold {agent.AutoApproveThreshold:0.00} and low risk.",
                routedBy, ["confidence-at-or-above-threshold", "risk-low"]));
        }

        var rules = new List<string>();
        var reasons = new List<string>();
        if (!confident)
        {
            rules.Add("confidence-below-threshold");
            reasons.Add($"confidence {proposal.Confidence:0.00} < threshold {agent.AutoApproveThreshold:0.00}");
        }

        if (proposal.Risk != RiskLevel.Low)
        {
            rules.Add($"risk-{proposal.Risk.ToString().ToLowerInvariant()}");
            reasons.Add($"{proposal.Risk.ToString().ToLowerInvariant()} risk");
        }

        var candidates = queues.Where(q => q.UseCase == agent.UseCase).OrderBy(q => q.Tier).ToList();
        var queue = proposal.Risk >= RiskLevel.High ? candidates.LastOrDefault() : candidates.FirstOrDefault();
        if (queue is null)
        {
            throw DomainException.Invalid("routing.no-queue", $"No review queue exists for {agent.UseCase.Label()}.");
        }

        if (queue.Tier > 1)
        {
            rules.Add("high-risk-to-senior-tier");
        }

        var reason = char.ToUpperInvariant(reasons[0][0]) + string.Join("; ", reasons)[1..] + $": review in {queue.Name}.";
        return Task.FromResult(new RoutingResult(DecisionRoute.Review, queue, reason, routedBy, rules));
    }
}
