using System.Text.Json.Nodes;
using AgentConsole.Domain.Agents;
using AgentConsole.Domain.Persistence;
using Microsoft.EntityFrameworkCore;

namespace AgentConsole.Domain.Policies;

/// <summary>
/// Finds what a viewer may not see in a case: the masking rules of the policy version that routed the decision —
/// never the version in force since, so a later version that masks more or less changes nothing for decisions
/// already routed — or, for a case no policy routed, the policy in force for its agent. A version that cannot be
/// read hides every field.
/// </summary>
public sealed class CaseMasks(PolicyCache policies, TimeProvider clock)
{
    /// <summary>A reader over one database context that loads each version's rules once, for pages and lists of many cases.</summary>
    public Reader Open(AgentConsoleDbContext db) => new(db, policies, clock);

    /// <summary>Reads masks for the cases of one request.</summary>
    public sealed class Reader
    {
        private readonly AgentConsoleDbContext _db;
        private readonly PolicyCache _policies;
        private readonly TimeProvider _clock;
        private readonly Dictionary<Guid, Rules> _byVersion = [];
        private readonly Dictionary<Guid, Rules> _inForceByAgent = [];

        internal Reader(AgentConsoleDbContext db, PolicyCache policies, TimeProvider clock)
        {
            _db = db;
            _policies = policies;
            _clock = clock;
        }

        /// <summary>The mask for a viewer with these roles on a case routed by <paramref name="policyVersionId"/> (null: by none).</summary>
        public async Task<CaseMask> ForAsync(
            Guid? policyVersionId, Guid agentId, UseCase useCase, JsonObject inputs, IReadOnlyCollection<string> viewerRoles, CancellationToken cancellationToken)
        {
            var rules = policyVersionId is { } versionId
                ? await VersionAsync(versionId, cancellationToken)
                : await InForceAsync(agentId, useCase, cancellationToken);
            return rules.Unreadable ? CaseMask.Everything(inputs) : CaseMask.For(rules.Masking, viewerRoles);
        }

        /// <summary>
        /// Whether any policy version that routes or has routed the tenant's decisions hides a case field from these
        /// roles, or cannot be read: when none does, nothing of the tenant's cases needs masking for them.
        /// </summary>
        public async Task<bool> MayHideAnythingFromAsync(IReadOnlyCollection<string> viewerRoles, CancellationToken cancellationToken)
        {
            var routing = await _db.PolicyVersions.AsNoTracking()
                .Where(v => v.Status == PolicyVersionStatus.Active || v.Status == PolicyVersionStatus.Superseded)
                .Select(v => v.Id).ToListAsync(cancellationToken);
            foreach (var versionId in routing)
            {
                var rules = await VersionAsync(versionId, cancellationToken);
                if (rules.Unreadable || !CaseMask.For(rules.Masking, viewerRoles).IsEmpty)
                {
                    return true;
                }
            }

            return false;
        }

        private async Task<Rules> VersionAsync(Guid versionId, CancellationToken cancellationToken)
        {
            if (!_byVersion.TryGetValue(versionId, out var rules))
            {
                rules = _byVersion[versionId] = await LoadAsync(versionId, cancellationToken);
            }

            return rules;
        }

        private async Task<Rules> InForceAsync(Guid agentId, UseCase useCase, CancellationToken cancellationToken)
        {
            if (_inForceByAgent.TryGetValue(agentId, out var rules))
            {
                return rules;
            }

            var agentKey = await _db.Agents.AsNoTracking().Where(a => a.Id == agentId).Select(a => a.Key).SingleOrDefaultAsync(cancellationToken);
            var versionId = agentKey is null ? null : await PolicyDecisionRouter.InForceAsync(_db, agentKey, useCase, _clock.GetUtcNow(), cancellationToken);
            rules = versionId is { } id ? await VersionAsync(id, cancellationToken) : Rules.Nothing;
            return _inForceByAgent[agentId] = rules;
        }

        private async Task<Rules> LoadAsync(Guid versionId, CancellationToken cancellationToken)
        {
            try
            {
                return await _policies.GetAsync(_db, versionId, cancellationToken) is { } loaded
                    ? new Rules(loaded.Policy.Document.Masking, false)
                    : Rules.Unread;
            }
            catch (InvalidOperationException)
            {
                // The version no longer compiles against the scope's agents and queues: hide everything rather than nothing.
                return Rules.Unread;
            }
        }
    }

    private sealed record Rules(IReadOnlyList<MaskingRule> Masking, bool Unreadable)
    {
        public static Rules Nothing { get; } = new([], false);

        public static Rules Unread { get; } = new([], true);
    }
}
