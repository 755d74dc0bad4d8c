using AgentConsole.Domain.Decisions;
using AgentConsole.Domain.Persistence;
using AgentConsole.Domain.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace AgentConsole.Domain.Queues;

/// <summary>A queue's filters as a person chose them: agent, lowest risk, confidence band and sort.</summary>
/// <param name="ConfidenceBand"><c>any</c>, <c>low</c> (below 0.60), <c>mid</c> (0.60–0.85) or <c>high</c> (above 0.85).</param>
public sealed record QueueFilterChoice(Guid? AgentId, RiskLevel? MinRisk, string ConfidenceBand, DecisionSort Sort)
{
    public static IReadOnlyList<string> Bands { get; } = ["any", "low", "mid", "high"];
}

/// <summary>A person's named filter on one queue, to pick again later. Nobody else sees it.</summary>
public sealed class SavedFilter : ITenantOwned
{
    public const int MaxNameLength = 60;

    private SavedFilter()
    {
    }

    internal SavedFilter(Guid id, Guid tenantId, string ownerId, Guid queueId, string name, QueueFilterChoice choice, DateTimeOffset createdAt)
    {
        Id = id;
        TenantId = tenantId;
        OwnerId = ownerId;
        QueueId = queueId;
        Name = name;
        AgentId = choice.AgentId;
        MinRisk = choice.MinRisk;
        ConfidenceBand = choice.ConfidenceBand;
        Sort = choice.Sort;
        CreatedAt = createdAt;
    }

    public Guid Id { get; private set; }

    public Guid TenantId { get; private set; }

    public string OwnerId { get; private set; } = "";

    public Guid QueueId { get; private set; }

    public string Name { get; private set; } = "";

    public Guid? AgentId { get; private set; }

    public RiskLevel? MinRisk { get; private set; }

    public string ConfidenceBand { get; private set; } = "any";

    public DecisionSort Sort { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public QueueFilterChoice Choice => new(AgentId, MinRisk, ConfidenceBand, Sort);
}

/// <summary>
/// Each person's saved filters per queue: list, save (a name of 1–60 characters, unique per person and queue, at most
/// <see cref="MaxPerQueue"/> each) and delete. Whoever sees queues may keep them; they are personal and not audited.
/// </summary>
public sealed class SavedFilters(IAgentConsoleDbFactory dbs, TimeProvider clock)
{
    public const int MaxPerQueue = 20;

    public async Task<IReadOnlyList<SavedFilter>> ListAsync(Actor owner, Guid queueId, CancellationToken cancellationToken = default)
    {
        EnsureMayView(owner);
        await using var db = dbs.Create();
        if (!await db.Queues.AnyAsync(q => q.Id == queueId, cancellationToken))
        {
            throw DomainException.NotFound("queue.not-found", "This queue does not exist.");
        }

        var mine = await db.SavedFilters.AsNoTracking().Where(f => f.OwnerId == owner.Id && f.QueueId == queueId).ToListAsync(cancellationToken);
        return [.. mine.OrderBy(f => f.Name, StringComparer.OrdinalIgnoreCase)];
    }

    public async Task<SavedFilter> SaveAsync(Actor owner, Guid queueId, string? name, QueueFilterChoice choice, CancellationToken cancellationToken = default)
    {
        EnsureMayView(owner);
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var trimmed = (name ?? "").Trim();
        if (trimmed.Length == 0)
        {
            errors["name"] = ["Give the filter a name."];
        }
        else if (trimmed.Length > SavedFilter.MaxNameLength)
        {
            errors["name"] = [$"At most {SavedFilter.MaxNameLength} characters."];
        }

        if (!QueueFilterChoice.Bands.Contains(choice.ConfidenceBand))
        {
            errors["confidenceBand"] = ["The confidence band is any, low, mid or high."];
        }

        if (choice.MinRisk is { } risk && !Enum.IsDefined(risk))
        {
            errors["minRisk"] = ["The lowest risk is Low, Medium, High or Critical."];
        }

        if (!Enum.IsDefined(choice.Sort))
        {
            errors["sort"] = ["Sort by DueAt, Priority, ConfidenceAscending, Newest or Oldest."];
        }

        await using var db = dbs.Create();
        if (!await db.Queues.AnyAsync(q => q.Id == queueId, cancellationToken))
        {
            throw DomainException.NotFound("queue.not-found", "This queue does not exist.");
        }

        var mine = await db.SavedFilters.Where(f => f.OwnerId == owner.Id && f.QueueId == queueId).Select(f => f.Name).ToListAsync(cancellationToken);
        if (trimmed.Length > 0 && mine.Contains(trimmed, StringComparer.OrdinalIgnoreCase))
        {
            errors["name"] = [$"You already have a filter named '{trimmed}' on this queue: choose another name, or delete that one first."];
        }
        else if (mine.Count >= MaxPerQueue && errors.Count == 0)
        {
            errors["name"] = [$"You keep at most {MaxPerQueue} filters per queue: delete one first."];
        }

        if (errors.Count > 0)
        {
            throw DomainException.Invalid("queue.filter-invalid", string.Join(" ", errors.SelectMany(e => e.Value)), errors);
        }

        var filter = new SavedFilter(Guid.CreateVersion7(clock.GetUtcNow()), owner.TenantId, owner.Id, queueId, trimmed, choice, clock.GetUtcNow());
        db.SavedFilters.Add(filter);
        await db.SaveChangesAsync(cancellationToken);
        return filter;
    }

    /// <summary>Deletes one of the person's own filters; another's (or none) does not exist for them.</summary>
    public async Task DeleteAsync(Actor owner, Guid filterId, CancellationToken cancellationToken = default)
    {
        EnsureMayView(owner);
        await using var db = dbs.Create();
        var filter = await db.SavedFilters.SingleOrDefaultAsync(f => f.Id == filterId && f.OwnerId == owner.Id, cancellationToken)
            ?? throw DomainException.NotFound("queue.filter-not-found", "This saved filter does not exist.");
        db.SavedFilters.Remove(filter);
        await db.SaveChangesAsync(cancellationToken);
    }

    private static void EnsureMayView(Actor owner)
    {
        if (!owner.Can(Permissions.ViewQueues))
        {
            throw DomainException.Forbidden("queue.role", "Your role does not include review queues.");
        }
    }
}
