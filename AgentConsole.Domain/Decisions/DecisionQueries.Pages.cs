using System.Linq.Expressions;
using AgentConsole.Domain.Persistence;
using Microsoft.EntityFrameworkCore;

namespace AgentConsole.Domain.Decisions;

/// <summary>One page of a queue's open decisions, and how many match in all.</summary>
/// <param name="Offset">How many matching rows come before the first of <see cref="Items"/>.</param>
public sealed record OpenDecisionsPage(IReadOnlyList<DecisionListItem> Items, int Total, int Offset, int Limit)
{
    /// <summary>Whether rows follow this page.</summary>
    public bool HasMore => Offset + Items.Count < Total;
}

/// <summary>
/// A queue read page by page in the database, however long it is: filters and the order are applied by the query, on
/// indexes kept only over open decisions (see <c>DecisionConfiguration</c>), so a page costs the same with 100 or
/// 100,000 decisions waiting.
/// </summary>
public sealed partial class DecisionQueries
{
    /// <summary>The most rows one page may hold.</summary>
    public const int MaxPageSize = 500;

    /// <summary>
    /// The open decisions of a queue matching <paramref name="filter"/>, in its order, from <paramref name="offset"/>, at most
    /// <paramref name="limit"/>, masked for the viewer; with the number matching in all.
    /// </summary>
    public async Task<OpenDecisionsPage> PageOpenAsync(
        Guid queueId, DecisionFilter filter, int offset, int limit, IReadOnlyCollection<string> viewerRoles, CancellationToken cancellationToken = default)
    {
        var errors = new Dictionary<string, string[]>();
        if (offset < 0)
        {
            errors["offset"] = ["Use 0 or more."];
        }

        if (limit is < 1 or > MaxPageSize)
        {
            errors["limit"] = [$"Use 1 to {MaxPageSize}."];
        }

        if (errors.Count > 0)
        {
            throw DomainException.Invalid("query.page", "The page asked for is out of range.", errors);
        }

        await using var db = dbs.Create();
        var open = OpenIn(db, queueId, filter);
        var total = await open.CountAsync(cancellationToken);
        // The page's ids are found in the order's index alone (however far down), then only its rows are read.
        var ids = Sorted(open, filter.Sort).Skip(offset).Take(limit).Select(d => d.Id);
        var rows = total <= offset ? [] : await Project(db, Sorted(db.Decisions.Where(d => ids.Contains(d.Id)), filter.Sort)).ToListAsync(cancellationToken);
        return new OpenDecisionsPage(await MaskedAsync(db, rows, viewerRoles, cancellationToken), total, offset, limit);
    }

    /// <summary>Every open decision of a queue matching the filter, in its order (a short queue, or a test's read).</summary>
    public async Task<IReadOnlyList<DecisionListItem>> ListOpenAsync(Guid queueId, DecisionFilter filter, IReadOnlyCollection<string> viewerRoles, CancellationToken cancellationToken = default)
    {
        await using var db = dbs.Create();
        var rows = await Project(db, Sorted(OpenIn(db, queueId, filter), filter.Sort)).ToListAsync(cancellationToken);
        return await MaskedAsync(db, rows, viewerRoles, cancellationToken);
    }

    /// <summary>
    /// The items before and after a decision in its queue, in the queue's default order (due time), as the viewer may
    /// see them: what J and K open on a decision page. A decision no longer in the queue has no previous; its next is the
    /// queue's first. Reads at most a few rows, by index, however long the queue.
    /// </summary>
    public async Task<(Guid? Previous, Guid? Next)> AroundAsync(Guid queueId, Guid decisionId, CancellationToken cancellationToken = default)
    {
        await using var db = dbs.Create();
        var open = OpenIn(db, queueId, new DecisionFilter()).AsNoTracking();
        var current = await open.Where(d => d.Id == decisionId).Select(d => new { d.DueAt, d.Priority }).SingleOrDefaultAsync(cancellationToken);
        if (current is null)
        {
            return (null, await ByDueTime(open).Select(d => (Guid?)d.Id).FirstOrDefaultAsync(cancellationToken));
        }

        var (due, priority) = (current.DueAt, current.Priority);

        // Items due at the same moment with the same priority are told apart by id, as the list orders them.
        var ties = await ByDueTime(open.Where(d => d.DueAt == due && d.Priority == priority)).Select(d => d.Id).ToListAsync(cancellationToken);
        var at = ties.IndexOf(decisionId);
        var previous = at > 0
            ? ties[at - 1]
            : await open.Where(d => d.DueAt < due || (d.DueAt == due && d.Priority < priority))
                .OrderByDescending(d => d.DueAt).ThenByDescending(d => d.Priority).ThenByDescending(d => d.Id).Select(d => (Guid?)d.Id).FirstOrDefaultAsync(cancellationToken);
        var next = at + 1 < ties.Count
            ? ties[at + 1]
            : await ByDueTime(open.Where(d => d.DueAt > due || (d.DueAt == due && d.Priority > priority))).Select(d => (Guid?)d.Id).FirstOrDefaultAsync(cancellationToken);
        return (previous, next);
    }

    /// <summary>The query behind a page, before its offset and limit (what a query plan is read for).</summary>
    internal static IQueryable<Decision> PageQuery(AgentConsoleDbContext db, Guid queueId, DecisionFilter filter) =>
        Sorted(OpenIn(db, queueId, filter), filter.Sort);

    /// <summary>The open decisions of a queue that match a filter, unordered. The status test is written as the open-decision indexes' filter is, so every provider uses them.</summary>
    private static IQueryable<Decision> OpenIn(AgentConsoleDbContext db, Guid queueId, DecisionFilter filter)
    {
        var open = db.Decisions.Where(d => d.QueueId == queueId
            && (d.Status == DecisionStatus.Pending || d.Status == DecisionStatus.InReview || d.Status == DecisionStatus.Escalated));
        if (filter.AgentId is { } agentId)
        {
            open = open.Where(d => d.AgentId == agentId);
        }

        if (filter.MinRisk is { } minRisk && minRisk > RiskLevel.Low)
        {
            open = open.Where(AtLeast(minRisk));
        }

        if (filter.MinConfidence is { } min)
        {
            open = open.Where(d => d.Confidence >= min);
        }

        if (filter.MaxConfidence is { } max)
        {
            open = open.Where(d => d.Confidence <= max);
        }

        return open;
    }

    /// <summary>Risk is stored by name, so "at least" is the names at or above it.</summary>
    private static Expression<Func<Decision, bool>> AtLeast(RiskLevel minRisk)
    {
        var d = Expression.Parameter(typeof(Decision), "d");
        var risk = Expression.Property(d, nameof(Decision.Risk));
        var any = Enum.GetValues<RiskLevel>().Where(r => r >= minRisk)
            .Select(r => (Expression)Expression.Equal(risk, Expression.Constant(r)))
            .Aggregate(Expression.OrElse);
        return Expression.Lambda<Func<Decision, bool>>(any, d);
    }

    private static IQueryable<Decision> ByDueTime(IQueryable<Decision> open) =>
        open.OrderBy(d => d.DueAt).ThenBy(d => d.Priority).ThenBy(d => d.Id);

    /// <summary>The database order of <see cref="DecisionFilter.Order"/>: each has an index over open decisions.</summary>
    private static IQueryable<Decision> Sorted(IQueryable<Decision> open, DecisionSort sort) => sort switch
    {
        DecisionSort.Priority => open.OrderBy(d => d.Priority).ThenBy(d => d.DueAt).ThenBy(d => d.Id),
        DecisionSort.ConfidenceAscending => open.OrderBy(d => d.Confidence).ThenBy(d => d.DueAt).ThenBy(d => d.Id),
        DecisionSort.Newest => open.OrderByDescending(d => d.CreatedAt).ThenByDescending(d => d.Id),
        DecisionSort.Oldest => open.OrderBy(d => d.CreatedAt).ThenBy(d => d.Id),
        _ => ByDueTime(open),
    };
}
