namespace AgentConsole.Domain.Tenancy;

/// <summary>Whether a person, an agent or the system itself acted.</summary>
public enum ActorKind
{
    User,
    Agent,
    System,
}

/// <summary>Who performs an operation: recorded on every audit entry and review.</summary>
public sealed record Actor(ActorKind Kind, string Id, string Name, Guid TenantId, IReadOnlySet<string> Roles)
{
    public static Actor User(Guid userId, string name, Guid tenantId, IEnumerable<string> roles) =>
        new(ActorKind.User, userId.ToString(), name, tenantId, new HashSet<string>(roles, StringComparer.Ordinal));

    public static Actor System(Guid tenantId, string name = "system") =>
        new(ActorKind.System, "system", name, tenantId, new HashSet<string>(StringComparer.Ordinal));

    public static Actor Agent(Guid tenantId, string agentKey, string agentName) =>
        new(ActorKind.Agent, "agent:" + agentKey, agentName, tenantId, new HashSet<string>(StringComparer.Ordinal));

    public bool IsInRole(string role) => Roles.Contains(role);

    public bool Can(string permission) => Permissions.Allows(permission, Roles);
}
