using AgentConsole.Domain.Agents;
using AgentConsole.Domain.Tenancy;

namespace AgentConsole.Domain.Policies;

/// <summary>What a policy governs: every agent of a use case, or one agent (which then takes precedence).</summary>
public enum PolicyScopeKind
{
    UseCase,
    Agent,
}

/// <summary>
/// The head of one scope's policy history: which version is active, which one is scheduled to
/// follow it, and the last version number. Every activation changes this row, so its
/// <see cref="Version"/> token lets exactly one of two racing activations win.
/// </summary>
public sealed class PolicyScope : ITenantOwned
{
    private PolicyScope()
    {
    }

    public PolicyScope(Guid id, Guid tenantId, PolicyScopeKind kind, string key, UseCase useCase, string name)
    {
        Id = id;
        TenantId = tenantId;
        Kind = kind;
        Key = key;
        UseCase = useCase;
        Name = name;
        Version = 1;
    }

    public Guid Id { get; private set; }

    public Guid TenantId { get; private set; }

    public PolicyScopeKind Kind { get; private set; }

    /// <summary>The use case's name (e.g. <c>DynamicPricing</c>) or the agent's key (e.g. <c>pricing</c>).</summary>
    public string Key { get; private set; } = "";

    /// <summary>The use case whose decisions it routes (an agent's own use case for an agent scope).</summary>
    public UseCase UseCase { get; private set; }

    public string Name { get; private set; } = "";

    public Guid? ActiveVersionId { get; private set; }

    public int? ActiveNumber { get; private set; }

    /// <summary>An approved version waiting for its start time.</summary>
    public Guid? ScheduledVersionId { get; private set; }

    public DateTimeOffset? ScheduledFrom { get; private set; }

    public int LastNumber { get; private set; }

    /// <summary>Incremented by every change; the concurrency token on every provider.</summary>
    public int Version { get; private set; }

    /// <summary>The version that routes decisions at <paramref name="now"/>: a scheduled one once its time has come.</summary>
    public Guid? EffectiveVersionId(DateTimeOffset now) =>
        ScheduledVersionId is { } scheduled && ScheduledFrom <= now ? scheduled : ActiveVersionId;

    public static string UseCaseKey(UseCase useCase) => useCase.ToString();

    internal int NextNumber()
    {
        LastNumber++;
        Version++;
        return LastNumber;
    }

    internal void Activated(PolicyVersion version)
    {
        ActiveVersionId = version.Id;
        ActiveNumber = version.Number;
        if (ScheduledVersionId == version.Id)
        {
            ScheduledVersionId = null;
            ScheduledFrom = null;
        }

        Version++;
    }

    internal void Scheduled(PolicyVersion version, DateTimeOffset from)
    {
        if (ScheduledVersionId is not null && ScheduledVersionId != version.Id)
        {
            throw DomainException.Conflict("policy.already-scheduled",
                $"Another version of this policy is already scheduled to start at {ScheduledFrom:yyyy-MM-dd HH:mm} UTC; withdraw it first, or let it start.");
        }

        ScheduledVersionId = version.Id;
        ScheduledFrom = from;
        Version++;
    }

    /// <summary>A reviewer approved a version against the one in force: a concurrent activation now conflicts with the approval.</summary>
    internal void ReviewedAgainstActive() => Version++;

    internal void ScheduleCancelled(PolicyVersion version)
    {
        if (ScheduledVersionId == version.Id)
        {
            ScheduledVersionId = null;
            ScheduledFrom = null;
            Version++;
        }
    }
}
