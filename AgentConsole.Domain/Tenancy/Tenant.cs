namespace AgentConsole.Domain.Tenancy;

/// <summary>A customer organisation. Everything it owns carries its id.</summary>
public sealed class Tenant
{
    private Tenant()
    {
    }

    public Tenant(Guid id, string name, string slug, DateTimeOffset createdAt)
    {
        Id = id;
        Name = name;
        Slug = slug;
        CreatedAt = createdAt;
    }

    public Guid Id { get; private set; }

    public string Name { get; private set; } = "";

    public string Slug { get; private set; } = "";

    public DateTimeOffset CreatedAt { get; private set; }

    /// <summary>How many distinct governance board members must approve a policy version.</summary>
    public int PolicyApprovalsRequired { get; private set; } = 2;

    public void RequirePolicyApprovals(int count)
    {
        if (count is < 1 or > 5)
        {
            throw DomainException.Invalid("tenant.policy-approvals", "A policy version needs between 1 and 5 board approvals.",
                new Dictionary<string, string[]> { ["policyApprovalsRequired"] = ["Between 1 and 5."] });
        }

        PolicyApprovalsRequired = count;
    }
}

/// <summary>An entity that belongs to one tenant; the data layer filters it by the current tenant.</summary>
public interface ITenantOwned
{
    Guid TenantId { get; }
}
