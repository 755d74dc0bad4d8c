using AgentConsole.Domain.Agents;
using AgentConsole.Domain.Decisions;
using AgentConsole.Domain.Persistence;
using Microsoft.EntityFrameworkCore;

namespace AgentConsole.Domain.Queues;

/// <summary>A queue with its live counts.</summary>
public sealed record QueueSummary(
    Guid Id, string Key, string Name, UseCase UseCase, int Tier, int SlaMinutes, IReadOnlyList<string> AllowedRoles, string Description,
    int Pending, int InReview, int Escalated, int Overdue)
{
    public int Open => Pending + InReview + Escalated;
}

/// <summary>Reads queues and their counts.</summary>
public sealed class QueueQueries(IAgentConsoleDbFactory dbs, TimeProvider clock)
{
    public async Task<IReadOnlyList<QueueSummary>> OverviewAsync(CancellationToken cancellationToken = default)
    {
        await using var db = dbs.Create();
        var queues = await db.Queues.AsNoTracking().OrderBy(q => q.UseCase).ThenBy(q => q.Tier).ToListAsync(cancellationToken);
        var now = clock.GetUtcNow();
        var counts = await db.Decisions
            .Where(d => d.QueueId != null && (d.Status == DecisionStatus.Pending || d.Status == DecisionStatus.InReview || d.Status == DecisionStatus.Escalated))
            .GroupBy(d => new { d.QueueId, d.Status })
            .Select(g => new { g.Key.QueueId, g.Key.Status, Count = g.Count(), Overdue = g.Count(d => d.DueAt < now) })
            .ToListAsync(cancellationToken);
        return queues.Select(q =>
        {
            int Count(DecisionStatus s) => counts.Where(c => c.QueueId == q.Id && c.Status == s).Sum(c => c.Count);
            return new QueueSummary(q.Id, q.Key, q.Name, q.UseCase, q.Tier, q.SlaMinutes, q.AllowedRoles, q.Description,
                Count(DecisionStatus.Pending), Count(DecisionStatus.InReview), Count(DecisionStatus.Escalated),
                counts.Where(c => c.QueueId == q.Id).Sum(c => c.Overdue));
        }).ToList();
    }

    public async Task<ReviewQueue?> GetAsync(Guid queueId, CancellationToken cancellationToken = default)
    {
        await using var db = dbs.Create();
        return await db.Queues.AsNoTracking().SingleOrDefaultAsync(q => q.Id == queueId, cancellationToken);
    }

    public async Task<IReadOnlyList<Agent>> AgentsForAsync(UseCase useCase, CancellationToken cancellationToken = default)
    {
        await using var db = dbs.Create();
        return await db.Agents.AsNoTracking().Where(a => a.UseCase == useCase).OrderBy(a => a.Name).ToListAsync(cancellationToken);
    }
}
