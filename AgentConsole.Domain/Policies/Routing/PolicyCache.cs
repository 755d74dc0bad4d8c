using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using AgentConsole.Domain.Agents;
using AgentConsole.Domain.Decisions;
using AgentConsole.Domain.Persistence;
using AgentConsole.Domain.Queues;
using Microsoft.EntityFrameworkCore;

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
