using AgentConsole.Domain.Agents;
using AgentConsole.Domain.Agents.Pause;
using AgentConsole.Domain.Decisions;
using AgentConsole.Domain.Persistence;
using AgentConsole.Domain.Queues;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace AgentConsole.Domain.Policies;

/// <summary>
/// Routes proposals by the policy in force for the agent: its own scope's version if it has one,
/// else its use case's. Without any, every proposal goes to review, so nothing passes unchecked.
/// </summary>
public sealed class PolicyDecisionRouter(PolicyCache cache, TimeProvider clock, ILogger<PolicyDecisionRouter> logger) : IDecisionRouter
{
    public async Task<RoutingResult> RouteAsync(AgentConsoleDbContext db, RoutingRequest request, CancellationToken cancellationToken)
    {
        var (agent, proposal, queues, inputs) = request;
        var versionId = await InForceAsync(db, agent.Key, agent.UseCase, clock.GetUtcNow(), cancellationToken);
        var candidates = queues.Where(q => q.UseCase == agent.UseCase).OrderBy(q => q.Tier).ToList();
        if (candidates.Count == 0)
        {
            throw DomainException.Invalid("routing.no-queue", $"No review queue exists for {agent.UseCase.Label()}.");
        }

        if (versionId is null)
        {
            return PausedRouting.Apply(NoPolicy(agent.UseCase, candidates), agent, null, candidates);
        }

        LoadedPolicy? loaded;
        try
        {
            loaded = await cache.GetAsync(db, versionId.Value, cancellationToken);
        }
        catch (InvalidOperationException ex)
        {
            logger.LogError(ex, "The policy routing agent {Agent} could not be loaded; its proposals go to review", agent.Key);
            loaded = null;
        }

        if (loaded is null)
        {
            return PausedRouting.Apply(new RoutingResult(DecisionRoute.Review, candidates[0],
                "The policy in force could not be loaded; the decision is reviewed.", "policy unavailable", ["policy-unavailable"], versionId), agent, null, candidates);
        }

        // A paused agent's proposal is routed as the policy says, then sent to review or held as its agentPause section says.
        return PausedRouting.Apply(loaded.Route(agent.Key, proposal, inputs ?? [], candidates), agent, loaded.Policy.Document, candidates);
    }

    /// <summary>Without a policy in force, every proposal goes to the first tier's review, so nothing passes unchecked.</summary>
    public static RoutingResult NoPolicy(UseCase useCase, IReadOnlyList<ReviewQueue> byTier) =>
        new(DecisionRoute.Review, byTier[0], $"No active policy governs {useCase.Label().ToLowerInvariant()}; every decision is reviewed.", "no policy", ["no-active-policy"]);

    /// <summary>The version in force for an agent at <paramref name="now"/>: its own scope's if it has one, else its use case's.</summary>
    public static async Task<Guid?> InForceAsync(AgentConsoleDbContext db, string agentKey, UseCase useCase, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var useCaseKey = PolicyScope.UseCaseKey(useCase);
        var scopes = await db.PolicyScopes.AsNoTracking()
            .Where(s => s.UseCase == useCase && ((s.Kind == PolicyScopeKind.Agent && s.Key == agentKey) || (s.Kind == PolicyScopeKind.UseCase && s.Key == useCaseKey)))
            .ToListAsync(cancellationToken);
        return scopes.Where(s => s.Kind == PolicyScopeKind.Agent).Select(s => s.EffectiveVersionId(now)).FirstOrDefault(v => v is not null)
            ?? scopes.Where(s => s.Kind == PolicyScopeKind.UseCase).Select(s => s.EffectiveVersionId(now)).FirstOrDefault(v => v is not null);
    }

    /// <summary>
    /// What routes a scope's decisions at <paramref name="now"/>: for an agent's own policy, its
    /// version in force, else its use case's (as for routing); for a use case, its version in force.
    /// </summary>
    public static Task<Guid?> InForceAsync(AgentConsoleDbContext db, PolicyScope scope, DateTimeOffset now, CancellationToken cancellationToken) =>
        scope.Kind == PolicyScopeKind.Agent
            ? InForceAsync(db, scope.Key, scope.UseCase, now, cancellationToken)
            : Task.FromResult(scope.EffectiveVersionId(now));

    /// <summary>The queue of the tier, else the nearest higher tier, else the highest there is (<paramref name="byTier"/> ordered by tier).</summary>
    public static T QueueFor<T>(IReadOnlyList<T> byTier, int tier, Func<T, int> tierOf)
    {
        foreach (var queue in byTier)
        {
            if (tierOf(queue) >= tier)
            {
                return queue;
            }
        }

        return byTier[^1];
    }
}
