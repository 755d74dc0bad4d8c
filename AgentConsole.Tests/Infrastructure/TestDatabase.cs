using AgentConsole.Domain.Persistence;
using Npgsql;

namespace AgentConsole.Tests.Infrastructure;

/// <summary>The engines the persistence, concurrency and pipeline tests run against.</summary>
public enum TestEngine
{
    Sqlite,
    PostgreSql,
}

/// <summary>A fresh, empty database for one test: a SQLite file, or a new database on the local PostgreSQL server.</summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private TestDatabase(TestEngine engine, string provider, string connectionString, string? postgresName)
    {
        Engine = engine;
        Provider = provider;
        ConnectionString = connectionString;
        PostgresName = postgresName;
    }

    public TestEngine Engine { get; }

    public string Provider { get; }

    public string ConnectionString { get; }

    private string? PostgresName { get; }

    /// <summary>The settings that point a host at this database.</summary>
    public Dictionary<string, string?> Settings => new()
    {
        ["Database:Provider"] = Provider,
        ["Database:ConnectionString"] = ConnectionString,
    };

    public static async Task<TestDatabase> CreateAsync(TestEngine engine, string directory)
    {
        if (engine == TestEngine.Sqlite)
        {
            return new TestDatabase(engine, DatabaseProviders.Sqlite, $"Data Source={Path.Combine(directory, "agentconsole.db")}", null);
        }

        var name = $"ac_test_{Guid.NewGuid():N}";
        await PostgresServer.ExecuteAsync($"CREATE DATABASE {name}");
        var connectionString = new NpgsqlConnectionStringBuilder(PostgresServer.ConnectionString) { Database = name, Pooling = true }.ConnectionString;
        return new TestDatabase(engine, DatabaseProviders.PostgreSql, connectionString, name);
    }

    public async ValueTask DisposeAsync()
    {
        if (PostgresName is { } name)
        {
            NpgsqlConnection.ClearAllPools();
            await PostgresServer.ExecuteAsync($"DROP DATABASE IF EXISTS {name} WITH (FORCE)");
        }
    }
}

/// <summary>
/// The local PostgreSQL server the test command starts (scripts/servers.sh). Its address comes from
/// <c>AGENTCONSOLE_TEST_POSTGRES</c>, by default the <c>agentconsole</c> role on 127.0.0.1:5432.
/// </summary>
public static class PostgresServer
{
    public static string ConnectionString { get; } =
        Environment.GetEnvironmentVariable("AGENTCONSOLE_TEST_POSTGRES") is { Length: > 0 } configured
            ? configured
            : "Host=127.0.0.1;Port=5432;Username=agentconsole;Password=agentconsole;Database=postgres;Pooling=false";

    public static async Task ExecuteAsync(string sql)
    {
        try
        {
            await using var connection = new NpgsqlConnection(ConnectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand(sql, connection);
            await command.ExecuteNonQueryAsync();
        }
        catch (Exception ex) when (ex is NpgsqlException or System.Net.Sockets.SocketException)
        {
            throw new InvalidOperationException(
                $"The PostgreSQL test server is not reachable ({ex.Message}). Start it with `bash scripts/servers.sh start` or set AGENTCONSOLE_TEST_POSTGRES.", ex);
        }
    }
}
