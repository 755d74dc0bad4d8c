using System.Data.Common;
using AgentConsole.Domain.Tenancy;
using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;

namespace AgentConsole.Domain.Persistence;

/// <summary>The database engines the domain runs on; each has its own context and migrations.</summary>
public static class DatabaseProviders
{
    public const string Sqlite = "Sqlite";
    public const string SqlServer = "SqlServer";
    public const string PostgreSql = "PostgreSql";

    /// <summary>The connection string builder of a provider, so settings can be checked and shown without secrets.</summary>
    public static DbConnectionStringBuilder ParseConnectionString(string provider, string connectionString) => provider switch
    {
        Sqlite => new SqliteConnectionStringBuilder(connectionString),
        SqlServer => new SqlConnectionStringBuilder(connectionString),
        PostgreSql => new NpgsqlConnectionStringBuilder(connectionString),
        _ => throw new ArgumentException($"Unknown database provider '{provider}'; use {Sqlite}, {SqlServer} or {PostgreSql}.", nameof(provider)),
    };

    /// <summary>Where a connection string points, with passwords and keys left out, for logs and errors.</summary>
    public static string Describe(string provider, string connectionString)
    {
        try
        {
            return ParseConnectionString(provider, connectionString) switch
            {
                SqliteConnectionStringBuilder s => $"file {Path.GetFullPath(s.DataSource)}",
                SqlConnectionStringBuilder s => $"server {s.DataSource}, database {s.InitialCatalog}",
                NpgsqlConnectionStringBuilder s => $"host {s.Host}:{s.Port}, database {s.Database}, user {s.Username}",
                _ => provider,
            };
        }
        catch (ArgumentException)
        {
            return "an unreadable connection string";
        }
    }
}

/// <summary>Builds the configured provider's options once and hands out contexts for a tenant.</summary>
public sealed class DatabaseProvider
{
    private readonly Func<ITenantContext, AgentConsoleDbContext> _create;

    public DatabaseProvider(IOptions<DatabaseOptions> options)
    {
        var o = options.Value;
        Name = o.Provider;
        Target = DatabaseProviders.Describe(o.Provider, o.ConnectionString);
        _create = o.Provider switch
        {
            DatabaseProviders.SqlServer => SqlServer(o),
            DatabaseProviders.PostgreSql => PostgreSql(o),
            _ => Sqlite(o),
        };
    }

    /// <summary>The provider's name, as configured.</summary>
    public string Name { get; }

    /// <summary>Where the database is, without secrets.</summary>
    public string Target { get; }

    public AgentConsoleDbContext Create(ITenantContext tenant) => _create(tenant);

    private static Func<ITenantContext, AgentConsoleDbContext> Sqlite(DatabaseOptions o)
    {
        var builder = new SqliteConnectionStringBuilder(o.ConnectionString);
        if (!string.IsNullOrEmpty(builder.DataSource) && builder.DataSource != ":memory:" && Path.GetDirectoryName(Path.GetFullPath(builder.DataSource)) is { } dir)
        {
            Directory.CreateDirectory(dir);
        }

        var options = new DbContextOptionsBuilder<SqliteAgentConsoleDbContext>()
            .UseSqlite(o.ConnectionString, sqlite => sqlite.CommandTimeout(o.CommandTimeoutSeconds))
            .AddInterceptors(new SqlitePragmaInterceptor(), AppendOnlyAudit.BulkChangeGuard.Instance)
            .Options;
        return tenant => new SqliteAgentConsoleDbContext(options, tenant);
    }

    private static Func<ITenantContext, AgentConsoleDbContext> SqlServer(DatabaseOptions o)
    {
        var options = new DbContextOptionsBuilder<SqlServerAgentConsoleDbContext>()
            .UseSqlServer(o.ConnectionString, sql => sql.CommandTimeout(o.CommandTimeoutSeconds))
            .AddInterceptors(AppendOnlyAudit.BulkChangeGuard.Instance)
            .Options;
        return tenant => new SqlServerAgentConsoleDbContext(options, tenant);
    }

    private static Func<ITenantContext, AgentConsoleDbContext> PostgreSql(DatabaseOptions o)
    {
        var options = new DbContextOptionsBuilder<PostgreSqlAgentConsoleDbContext>()
            .UseNpgsql(o.ConnectionString, npgsql => npgsql.CommandTimeout(o.CommandTimeoutSeconds))
            .AddInterceptors(AppendOnlyAudit.BulkChangeGuard.Instance)
            .Options;
        return tenant => new PostgreSqlAgentConsoleDbContext(options, tenant);
    }
}
