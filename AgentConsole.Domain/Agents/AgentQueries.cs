using AgentConsole.Domain.Decisions;
using AgentConsole.Domain.Persistence;
using AgentConsole.Domain.Pipelines;
using Microsoft.EntityFrameworkCore;

namespace AgentConsole.Domain.Agents;

/// <summary>An agent with its current version, the policy version routing it, and what became of its proposals.</summary>
public sealed record AgentSummary(
    Guid Id, string Key, string Name, UseCase UseCase, string Description, string? RoutingPolicy, bool IsPaused,
    int CurrentVersion, string Implementation, int Proposed, int AutoApproved, int Open, int Approved, int Overridden, int Rejected);

/// <summary>A pipeline run as the runs list shows it.</summary>
public sealed record RunListItem(Guid Id, string Subject, string AgentName, RunStatus Status, ExecutionStatus ExecutionStatus, int Attempts, Guid? DecisionId, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, string? LastError);

/// <summary>Reads the agent catalog and pipeline runs.</summary>
public sealed class AgentQueries(IAgentConsoleDbFactory dbs)
{
    public async Task<IReadOnlyList<AgentSummary>> CatalogAsync(CancellationToken cancellationToken = default)
    {
        await using var db = dbs.Create();
        var agents = await db.Agents.AsNoTracking().Include(a => a.Versions).OrderBy(a => a.Name).ToListAsync(cancellationToken);
        var counts = await db.Decisions.GroupBy(d => new { d.AgentId, d.Status })
            .Select(g => new { g.Key.AgentId, g.Key.Status, Count = g.Count() })
            .ToListAsync(cancellationToken);
        var scopes = await db.PolicyScopes.AsNoTracking().Where(s => s.ActiveNumber != null).ToListAsync(cancellationToken);
        string? PolicyOf(Agent a) =>
            scopes.FirstOrDefault(s => s.Kind == Policies.PolicyScopeKind.Agent && s.Key == a.Key) is { } own
                ? $"{own.Name} v{own.ActiveNumber}"
                : scopes.FirstOrDefault(s => s.Kind == Policies.PolicyScopeKind.UseCase && s.UseCase == a.UseCase) is { } shared ? $"{shared.Name} v{shared.ActiveNumber}" : null;
        return agents.Select(a =>
        {
            int Count(params DecisionStatus[] statuses) => counts.Where(c => c.AgentId == a.Id && statuses.Contains(c.Status)).Sum(c => c.Count);
            var current = a.Versions.Single(v => v.Version == a.CurrentVersion);
            return new AgentSummary(a.Id, a.Key, a.Name, a.UseCase, a.Description, PolicyOf(a), a.IsPaused, a.CurrentVersion, current.Implementation,
                counts.Where(c => c.AgentId == a.Id).Sum(c => c.Count), Count(DecisionStatus.AutoApproved),
                Count(DecisionStatus.Pending, DecisionStatus.InReview, DecisionStatus.Escalated),
                Count(DecisionStatus.Approved), Count(DecisionStatus.Overridden), Count(DecisionStatus.Rejected));
        }).ToList();
    }

    public async Task<IReadOnlyList<RunListItem>> RecentRunsAsync(int take, CancellationToken cancellationToken = default)
    {
        await using var db = dbs.Create();
        return await (from r in db.Runs
                      join a in db.Agents on r.AgentId equals a.Id
                      orderby r.CreatedAt descending
                      select new RunListItem(r.Id, r.Subject, a.Name, r.Status, r.ExecutionStatus, r.Attempts, r.DecisionId, r.CreatedAt, r.UpdatedAt, r.LastError))
            .Take(take).ToListAsync(cancellationToken);
    }

    public async Task<RunListItem?> GetRunAsync(Guid runId, CancellationToken cancellationToken = default)
    {
        await using var db = dbs.Create();
        return await (from r in db.Runs
                      join a in db.Agents on r.AgentId equals a.Id
                      where r.Id == runId
                      select new RunListItem(r.Id, r.Subject, a.Name, r.Status, r.ExecutionStatus, r.Attempts, r.DecisionId, r.CreatedAt, r.UpdatedAt, r.LastError))
            .SingleOrDefaultAsync(cancellationToken);
    }
}
