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

    /// <summary>
    /// A paused agent still proposes, but none of its proposals passes unchecked: each goes to review or is held,
    /// as the policy routing it says (<c>agentPause</c>).
    /// </summary>
    public bool IsPaused { get; private set; }

    /// <summary>When the agent was paused; null while it runs.</summary>
    public DateTimeOffset? PausedAt { get; private set; }

    /// <summary>Who paused it: a senior operator's id, or <c>circuit-breaker</c>.</summary>
    public string? PausedById { get; private set; }

    public string? PausedByName { get; private set; }

    /// <summary>Why it was paused, as the person (or the breaker, with its figures) wrote it.</summary>
    public string? PauseReason { get; private set; }

    /// <summary>True when the circuit breaker paused it: the seniors are alerted until one of them resumes it.</summary>
    public bool PausedByBreaker { get; private set; }

    /// <summary>Counts pauses and resumes; a concurrency token, so two seniors (or a senior and the breaker) acting at once cannot both win.</summary>
    public int PauseVersion { get; private set; }

    public int CurrentVersion { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public IReadOnlyCollection<AgentVersion> Versions => _versions;

    /// <summary>Pauses the agent; refuses when it is already paused.</summary>
    public void Pause(Tenancy.Actor actor, string reason, bool byBreaker, DateTimeOffset now)
    {
        if (IsPaused)
        {
            throw DomainException.Conflict("agent.already-paused",
                $"{Name} is already paused (by {PausedByName}, {PausedAt:yyyy-MM-dd HH:mm} UTC: {PauseReason}).");
        }

        IsPaused = true;
        PausedAt = now;
        PausedById = actor.Id;
        PausedByName = actor.Name;
        PauseReason = reason;
        PausedByBreaker = byBreaker;
        PauseVersion++;
    }

    /// <summary>Resumes the agent; refuses when it is running.</summary>
    public void Resume()
    {
        if (!IsPaused)
        {
            throw DomainException.Conflict("agent.not-paused", $"{Name} is not paused; there is nothing to resume.");
        }

        IsPaused = false;
        PausedAt = null;
        PausedById = null;
        PausedByName = null;
        PauseReason = null;
        PausedByBreaker = false;
        PauseVersion++;
    }

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
