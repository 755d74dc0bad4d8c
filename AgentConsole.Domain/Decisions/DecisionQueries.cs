using AgentConsole.Domain.Agents;
using AgentConsole.Domain.Audit;
using AgentConsole.Domain.Persistence;
using AgentConsole.Domain.Pipelines;
using Microsoft.EntityFrameworkCore;

namespace AgentConsole.Domain.Decisions;

/// <summary>How a queue's list is ordered.</summary>
public enum DecisionSort
{
    DueAt,
    Priority,
    ConfidenceAscending,
    Newest,
}

/// <summary>Narrows a queue's list. Empty means everything open in the queue.</summary>
public sealed record DecisionFilter(Guid? AgentId = null, RiskLevel? MinRisk = null, double? MinConfidence = null, double? MaxConfidence = null, DecisionSort Sort = DecisionSort.DueAt)
{
    public bool Matches(DecisionListItem item) =>
        (AgentId is null || item.AgentId == AgentId)
        && (MinRisk is null || item.Risk >= MinRisk)
        && (MinConfidence is null || item.Confidence >= MinConfidence)
        && (MaxConfidence is null || item.Confidence <= MaxConfidence);

    public IEnumerable<DecisionListItem> Order(IEnumerable<DecisionListItem> items) => Sort switch
    {
        DecisionSort.Priority => items.OrderBy(i => i.Priority).ThenBy(i => i.DueAt),
        DecisionSort.ConfidenceAscending => items.OrderBy(i => i.Confidence).ThenBy(i => i.DueAt),
        DecisionSort.Newest => items.OrderByDescending(i => i.CreatedAt),
        _ => items.OrderBy(i => i.DueAt).ThenBy(i => i.Priority),
    };
}

/// <summary>One row of a queue's list.</summary>
public sealed record DecisionListItem(
    Guid Id, Guid QueueId, string Subject, Guid AgentId, string AgentName, UseCase UseCase, double Confidence, RiskLevel Risk,
    DecisionStatus Status, int Priority, DateTimeOffset CreatedAt, DateTimeOffset? DueAt, string? ClaimedByName, int Version);

/// <summary>Everything the decision page shows.</summary>
public sealed record DecisionDetail(
    Decision Decision,
    string AgentName,
    string? QueueName,
    int? QueueTier,
    IReadOnlyList<DecisionReview> Reviews,
    IReadOnlyList<AuditEntry> Audit,
    PipelineRun? Run);

/// <summary>Reads decisions for queues and pages; never changes anything.</summary>
public sealed class DecisionQueries(IAgentConsoleDbFactory dbs)
{
    public async Task<IReadOnlyList<DecisionListItem>> ListOpenAsync(Guid queueId, DecisionFilter filter, CancellationToken cancellationToken = default)
    {
        await using var db = dbs.Create();
        var query = Project(db, db.Decisions.Where(d => d.QueueId == queueId
            && (d.Status == DecisionStatus.Pending || d.Status == DecisionStatus.InReview || d.Status == DecisionStatus.Escalated)));
        if (filter.AgentId is { } agentId)
        {
            query = query.Where(i => i.AgentId == agentId);
        }

        if (filter.MinConfidence is { } min)
        {
            query = query.Where(i => i.Confidence >= min);
        }

        if (filter.MaxConfidence is { } max)
        {
            query = query.Where(i => i.Confidence <= max);
        }

        var items = await query.ToListAsync(cancellationToken);
        return filter.Order(items.Where(filter.Matches)).ToList();
    }

    /// <summary>One row, for live updates of a list; null when it no longer exists for this tenant.</summary>
    public async Task<DecisionListItem?> GetListItemAsync(Guid decisionId, CancellationToken cancellationToken = default)
    {
        await using var db = dbs.Create();
        return await Project(db, db.Decisions.Where(d => d.Id == decisionId)).SingleOrDefaultAsync(cancellationToken);
    }

    public async Task<DecisionDetail?> GetAsync(Guid decisionId, CancellationToken cancellationToken = default)
    {
        await using var db = dbs.Create();
        var decision = await db.Decisions.AsNoTracking().Include(d => d.Reviews).SingleOrDefaultAsync(d => d.Id == decisionId, cancellationToken);
        if (decision is null)
        {
            return null;
        }

        var agent = await db.Agents.AsNoTracking().Where(a => a.Id == decision.AgentId).Select(a => a.Name).SingleAsync(cancellationToken);
        var queue = decision.QueueId is { } queueId
            ? await db.Queues.AsNoTracking().SingleOrDefaultAsync(q => q.Id == queueId, cancellationToken)
            : null;
        var id = decision.Id.ToString();
        var audit = await db.AuditEntries.AsNoTracking().Where(a => a.EntityType == "decision" && a.EntityId == id).OrderBy(a => a.Id).ToListAsync(cancellationToken);
        var run = await db.Runs.AsNoTracking().Include(r => r.Steps).SingleOrDefaultAsync(r => r.Id == decision.RunId, cancellationToken);
        return new DecisionDetail(decision, agent, queue?.Name, queue?.Tier, decision.Reviews.OrderBy(r => r.At).ToList(), audit, run);
    }

    /// <summary>The most recent decisions of the tenant, whatever their route, for the activity feed.</summary>
    public async Task<IReadOnlyList<DecisionListItem>> RecentAsync(int take, CancellationToken cancellationToken = default)
    {
        await using var db = dbs.Create();
        var items = await Project(db, db.Decisions).OrderByDescending(i => i.CreatedAt).Take(take).ToListAsync(cancellationToken);
        return items;
    }

    private static IQueryable<DecisionListItem> Project(AgentConsoleDbContext db, IQueryable<Decision> decisions) =>
        from d in decisions
        join a in db.Agents on d.AgentId equals a.Id
        select new DecisionListItem(d.Id, d.QueueId ?? Guid.Empty, d.Subject, d.AgentId, a.Name, d.UseCase, d.Confidence, d.Risk, d.Status,
            d.Priority, d.CreatedAt, d.DueAt, d.ClaimedByName, d.Version);
}
