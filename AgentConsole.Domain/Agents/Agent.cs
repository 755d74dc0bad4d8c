namespace AgentConsole.Domain.Agents;

/// <summary>A catalog entry for an agent. Each change of its implementation is a new <see cref="AgentVersion"/> row.</summary>
public sealed class Agent : Tenancy.ITenantOwned
{
    private readonly List<AgentVersion> _versions = [];

    private Agent()
    {
    }

    public Agent(Guid id, Guid tenantId, string key, string name, UseCase useCase, string description, DateTimeOffset createdAt)
    {
        Id = id;
        TenantId = tenantId;
        Key = key;
        Name = name;
        UseCase = useCase;
        Description = description;
        CreatedAt = createdAt;
    }

    public Guid Id { get; private set; }

    public Guid TenantId { get; private set; }

    /// <summary>Stable key, unique per tenant, e.g. <c>pricing</c>.</summary>
    public string Key { get; private set; } = "";

    public string Name { get; private set; } = "";

    public UseCase UseCase { get; private set; }

    public string Description { get; private set; } = "";

    /// <summary>A paused agent proposes nothing; its cases wait.</summary>
    public bool IsPaused { get; private set; }

    public int CurrentVersion { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public IReadOnlyCollection<AgentVersion> Versions => _versions;

    public AgentVersion AddVersion(Guid id, string implementation, string notes, DateTimeOffset at)
    {
        CurrentVersion++;
        var version = new AgentVersion(id, TenantId, Id, CurrentVersion, implementation, notes, at);
        _versions.Add(version);
        return version;
    }
}

/// <summary>One version of an agent. Decisions point at the version that proposed them.</summary>
public sealed class AgentVersion : Tenancy.ITenantOwned
{
    private AgentVersion()
    {
    }

    internal AgentVersion(Guid id, Guid tenantId, Guid agentId, int version, string implementation, string notes, DateTimeOffset createdAt)
    {
        Id = id;
        TenantId = tenantId;
        AgentId = agentId;
        Version = version;
        Implementation = implementation;
        Notes = notes;
        CreatedAt = createdAt;
    }

    public Guid Id { get; private set; }

    public Guid TenantId { get; private set; }

    public Guid AgentId { get; private set; }

    public int Version { get; private set; }

    /// <summary>What runs, e.g. <c>builtin:pricing/1</c> or <c>chat:gpt-4o</c>.</summary>
    public string Implementation { get; private set; } = "";

    public string Notes { get; private set; } = "";

    public DateTimeOffset CreatedAt { get; private set; }
}
