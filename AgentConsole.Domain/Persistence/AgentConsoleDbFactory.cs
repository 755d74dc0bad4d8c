using AgentConsole.Domain.Tenancy;

namespace AgentConsole.Domain.Persistence;

/// <summary>
/// Creates a short-lived domain context for the current tenant. Services open one per operation,
/// so long-lived Blazor circuits never hold a stale change tracker.
/// </summary>
public interface IAgentConsoleDbFactory
{
    AgentConsoleDbContext Create();
}

internal sealed class AgentConsoleDbFactory(DatabaseProvider provider, ITenantContext tenant) : IAgentConsoleDbFactory
{
    public AgentConsoleDbContext Create() => provider.Create(tenant);
}
