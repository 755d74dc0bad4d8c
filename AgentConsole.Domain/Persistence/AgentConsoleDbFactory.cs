using AgentConsole.Domain.Tenancy;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AgentConsole.Domain.Persistence;

/// <summary>
/// Creates a short-lived domain context for the current tenant. Services open one per operation,
/// so long-lived Blazor circuits never hold a stale change tracker.
/// </summary>
public interface IAgentConsoleDbFactory
{
    AgentConsoleDbContext Create();
}

/// <summary>Builds the provider's options once and hands out contexts for the scope's tenant.</summary>
public sealed class DatabaseProvider
{
    private readonly DbContextOptions<SqliteAgentConsoleDbContext> _sqlite;

    public DatabaseProvider(IOptions<DatabaseOptions> options)
    {
        var o = options.Value;
        Name = o.Provider;
        var builder = new SqliteConnectionStringBuilder(o.ConnectionString);
        if (!string.IsNullOrEmpty(builder.DataSource) && builder.DataSource != ":memory:" && Path.GetDirectoryName(Path.GetFullPath(builder.DataSource)) is { } dir)
        {
            Directory.CreateDirectory(dir);
        }

        _sqlite = new DbContextOptionsBuilder<SqliteAgentConsoleDbContext>()
            .UseSqlite(o.ConnectionString, sqlite => sqlite.CommandTimeout(30))
            .AddInterceptors(new SqlitePragmaInterceptor())
            .Options;
    }

    public string Name { get; }

    public AgentConsoleDbContext Create(ITenantContext tenant) => new SqliteAgentConsoleDbContext(_sqlite, tenant);
}

internal sealed class AgentConsoleDbFactory(DatabaseProvider provider, ITenantContext tenant) : IAgentConsoleDbFactory
{
    public AgentConsoleDbContext Create() => provider.Create(tenant);
}
