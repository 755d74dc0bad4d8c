using System.Text.Json.Nodes;
using System.Collections.Concurrent;
using AgentConsole.Domain.Agents;
using AgentConsole.Domain.Decisions;
using AgentConsole.Domain.Persistence;
using AgentConsole.Domain.Queues;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace AgentConsole.Domain.Policies;

/// <summary>A compiled policy version with what routing reports about it.</summary>
public sealed record LoadedPolicy(Guid VersionId, int Number, string ScopeKey, CompiledPolicy Policy)
{
    public string RoutedBy => $"policy:{ScopeKey} v{Number}";

    /// <summary>Routes one proposal to a route and, for review, to the queue of its tier (<paramref name="byTier"/> ordered by tier).</summary>
    public RoutingResult Route(string agentKey, AgentProposal proposal, JsonObject inputs, IReadOnlyList<ReviewQueue> byTier)
    {
        var outcome = Policy.Evaluate(new PolicySubject(agentKey, proposal.Confidence, proposal.Risk, proposal.ExposureEur, proposal.Values, inputs));
        var queue = outcome.Route == DecisionRoute.Review ? PolicyDecisionRouter.QueueFor(byTier, outcome.Tier, q => q.Tier) : null;
        return new RoutingResult(outcome.Route, queue, outcome.Reason, RoutedBy, outcome.RulesFired, VersionId, outcome.Risk, outcome.Requirement);
    }
}

/// <summary>
/// Compiled policy versions by id. A version's document never changes once submitted, so an
/// entry never goes stale; drafts are compiled afresh each time. The cache only bounds its size.
/// </summary>
public sealed class PolicyCache
{
    private const int Capacity = 512;
    private readonly ConcurrentDictionary<Guid, LoadedPolicy> _byVersion = new();

    public async Task<LoadedPolicy?> GetAsync(AgentConsoleDbContext db, Guid versionId, CancellationToken cancellationToken)
    {
        if (_byVersion.TryGetValue(versionId, out var cached))
        {
            return cached;
        }

        var version = await db.PolicyVersions.AsNoTracking().SingleOrDefaultAsync(v => v.Id == versionId, cancellationToken);
        if (version is null)
        {
            return null;
        }

        var scope = await db.PolicyScopes.AsNoTracking().SingleAsync(s => s.Id == version.ScopeId, cancellationToken);
        var context = await PolicyContexts.LoadAsync(db, scope, cancellationToken);
        var parsed = PolicyDocumentParser.Parse(version.Document, context);
        if (parsed.Policy is null)
        {
            throw new InvalidOperationException($"Policy {scope.Key} v{version.Number} does not compile: {parsed.Problems[0]}");
        }

        var loaded = new LoadedPolicy(version.Id, version.Number, scope.Key, parsed.Policy);
        if (version.Status == PolicyVersionStatus.Draft)
        {
            // A draft's text still changes; only submitted versions are fixed.
            return loaded;
        }

        if (_byVersion.Count >= Capacity)
        {
            _byVersion.Clear();
        }

        _byVersion[versionId] = loaded;
        return loaded;
    }
}

/// <summary>What a scope's documents are checked against: its use case's agents and queues.</summary>
public static class PolicyContexts
{
    public static async Task<PolicyContext> LoadAsync(AgentConsoleDbContext db, PolicyScope scope, CancellationToken cancellationToken)
    {
        var agents = await db.Agents.AsNoTracking().Where(a => a.TenantId == scope.TenantId && a.UseCase == scope.UseCase)
            .Select(a => a.Key).OrderBy(k => k).ToListAsync(cancellationToken);
        var queues = await db.Queues.AsNoTracking().Where(q => q.TenantId == scope.TenantId && q.UseCase == scope.UseCase)
            .Select(q => new { q.Key, q.Tier, Escalates = q.EscalatesToQueueId != null, q.AllowedRolesCsv }).ToListAsync(cancellationToken);
        return new PolicyContext(scope.UseCase, scope.Kind == PolicyScopeKind.Agent ? scope.Key : null, agents,
            [.. queues.OrderBy(q => q.Tier).Select(q => new PolicyQueue(q.Key, q.Tier, q.Escalates, q.AllowedRolesCsv.Split(',', StringSplitOptions.RemoveEmptyEntries)))]);
    }
}

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
            return NoPolicy(agent.UseCase, candidates);
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
            return new RoutingResult(DecisionRoute.Review, candidates[0],
                "The policy in force could not be loaded; the decision is reviewed.", "policy unavailable", ["policy-unavailable"], versionId);
        }

        return loaded.Route(agent.Key, proposal, inputs ?? [], candidates);
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
