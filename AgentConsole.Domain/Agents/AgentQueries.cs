using System.Text.Json.Nodes;
using AgentConsole.Domain.Decisions;
using AgentConsole.Domain.Persistence;
using AgentConsole.Domain.Pipelines;
using AgentConsole.Domain.Policies;
using Microsoft.EntityFrameworkCore;

namespace AgentConsole.Domain.Agents;

/// <summary>An agent with its current version, the policy version routing it, and what became of its proposals.</summary>
public sealed record AgentSummary(
    Guid Id, string Key, string Name, UseCase UseCase, string Description, string? RoutingPolicy, bool IsPaused,
    int CurrentVersion, string Implementation, int Proposed, int AutoApproved, int Open, int Approved, int Overridden, int Rejected);

/// <summary>A pipeline run as the runs list shows it; <c>HeldReason</c> says why a held run waits (its agent's pause).</summary>
public sealed record RunListItem(Guid Id, string Subject, string AgentName, RunStatus Status, ExecutionStatus ExecutionStatus, int Attempts, Guid? DecisionId, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, string? LastError, string? HeldReason = null);

/// <summary>Reads the agent catalog and pipeline runs.</summary>
public sealed class AgentQueries(IAgentConsoleDbFactory dbs, CaseMasks masks)
{
    public async Task<IReadOnlyList<AgentSummary>> CatalogAsync(CancellationToken cancellationToken = default)
    {
        await using var db = dbs.Create();
        var agents = await db.Agents.AsNoTracking().Include(a => a.Versions).OrderBy(a => a.Name).ToListAsync(cancellationToken);
        // Gold items (calibration) are not the agents' work: they count in no agent's rates.
        var counts = await db.Decisions.Where(d => !db.GoldItems.Any(g => g.DecisionId == d.Id)).GroupBy(d => new { d.AgentId, d.Status })
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

    /// <summary>The latest runs, their subjects masked for <paramref name="viewerRoles"/> as the decisions they made are.</summary>
    public async Task<IReadOnlyList<RunListItem>> RecentRunsAsync(int take, IReadOnlyCollection<string> viewerRoles, CancellationToken cancellationToken = default)
    {
        await using var db = dbs.Create();
        var rows = await Runs(db, db.Runs.OrderByDescending(r => r.CreatedAt).Take(take)).ToListAsync(cancellationToken);
        return await MaskedAsync(db, [.. rows.OrderByDescending(r => r.Item.CreatedAt)], viewerRoles, cancellationToken);
    }

    /// <summary>One run, its subject masked for <paramref name="viewerRoles"/>; null when it does not exist for this tenant.</summary>
    public async Task<RunListItem?> GetRunAsync(Guid runId, IReadOnlyCollection<string> viewerRoles, CancellationToken cancellationToken = default)
    {
        await using var db = dbs.Create();
        var rows = await Runs(db, db.Runs.Where(r => r.Id == runId)).ToListAsync(cancellationToken);
        return (await MaskedAsync(db, rows, viewerRoles, cancellationToken)).SingleOrDefault();
    }

    /// <summary>A run's subject is free text that often repeats case values: masked by the policy that routed its decision (or the one in force).</summary>
    private async Task<List<RunListItem>> MaskedAsync(AgentConsoleDbContext db, List<RunRow> rows, IReadOnlyCollection<string> viewerRoles, CancellationToken cancellationToken)
    {
        var reader = masks.Open(db);
        var items = new List<RunListItem>(rows.Count);
        foreach (var row in rows)
        {
            var inputs = JsonNode.Parse(row.InputJson)!.AsObject();
            var mask = await reader.ForAsync(row.PolicyVersionId, row.AgentId, row.UseCase, inputs, viewerRoles, cancellationToken);
            items.Add(row.Item with { Subject = DecisionView.SubjectFor(row.Item.Subject, inputs, mask) });
        }

        return items;
    }

    private static IQueryable<RunRow> Runs(AgentConsoleDbContext db, IQueryable<PipelineRun> runs) =>
        from r in runs
        join a in db.Agents on r.AgentId equals a.Id
        join d in db.Decisions on r.DecisionId equals (Guid?)d.Id into made
        from d in made.DefaultIfEmpty()
        select new RunRow(
            new RunListItem(r.Id, r.Subject, a.Name, r.Status, r.ExecutionStatus, r.Attempts, r.DecisionId, r.CreatedAt, r.UpdatedAt, r.LastError, r.HeldReason),
            r.AgentId, r.UseCase, r.InputJson, d == null ? null : d.PolicyVersionId);

    private sealed record RunRow(RunListItem Item, Guid AgentId, UseCase UseCase, string InputJson, Guid? PolicyVersionId);
}
