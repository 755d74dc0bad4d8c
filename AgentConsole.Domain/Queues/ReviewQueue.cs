using AgentConsole.Domain.Agents;

namespace AgentConsole.Domain.Queues;

/// <summary>A live review queue: one use case at one tier, with its SLA and the roles that may act on it.</summary>
public sealed class ReviewQueue : Tenancy.ITenantOwned
{
    private ReviewQueue()
    {
    }

    public ReviewQueue(Guid id, Guid tenantId, string key, string name, UseCase useCase, int tier, int slaMinutes, IEnumerable<string> allowedRoles, string description)
    {
        if (tier < 1)
        {
            throw DomainException.Invalid("queue.tier", "A queue's tier starts at 1.");
        }

        if (slaMinutes < 1)
        {
            throw DomainException.Invalid("queue.sla", "A queue's SLA must be at least one minute.");
        }

        Id = id;
        TenantId = tenantId;
        Key = key;
        Name = name;
        UseCase = useCase;
        Tier = tier;
        SlaMinutes = slaMinutes;
        AllowedRolesCsv = string.Join(',', allowedRoles);
        Description = description;
    }

    public Guid Id { get; private set; }

    public Guid TenantId { get; private set; }

    public string Key { get; private set; } = "";

    public string Name { get; private set; } = "";

    public UseCase UseCase { get; private set; }

    /// <summary>1 for first-line operators; higher tiers take escalations.</summary>
    public int Tier { get; private set; }

    /// <summary>Minutes from arrival until an item is due.</summary>
    public int SlaMinutes { get; private set; }

    public string AllowedRolesCsv { get; private set; } = "";

    public string Description { get; private set; } = "";

    /// <summary>The queue escalations go to; none at the top tier.</summary>
    public Guid? EscalatesToQueueId { get; private set; }

    public IReadOnlyList<string> AllowedRoles => AllowedRolesCsv.Split(',', StringSplitOptions.RemoveEmptyEntries);

    public void EscalateTo(ReviewQueue next)
    {
        if (next.Tier <= Tier || next.TenantId != TenantId)
        {
            throw DomainException.Invalid("queue.escalation", "Escalations go to a higher tier of the same tenant.");
        }

        EscalatesToQueueId = next.Id;
    }

    /// <summary>Whether this actor holds a role that may work this queue.</summary>
    public bool MayAct(Tenancy.Actor actor) => AllowedRoles.Any(actor.IsInRole);
}
