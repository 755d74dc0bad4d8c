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
}

/// <summary>An entity that belongs to one tenant; the data layer filters it by the current tenant.</summary>
public interface ITenantOwned
{
    Guid TenantId { get; }
}
