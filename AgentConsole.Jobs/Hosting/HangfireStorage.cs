using AgentConsole.Domain.Persistence;
using Hangfire;
using Hangfire.InMemory;
using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;
using Hangfire.SqlServer;
using Hangfire.Storage.SQLite;

namespace AgentConsole.Jobs.Hosting;

/// <summary>Builds the Hangfire storage a host's settings name; each host owns its instance.</summary>
public static class HangfireStorage
{
    public static JobStorage Create(JobsOptions jobs, DatabaseOptions database)
    {
        var connectionString = ConnectionString(jobs, database);
        var poll = TimeSpan.FromMilliseconds(jobs.PollIntervalMilliseconds);
        var invisibility = TimeSpan.FromSeconds(jobs.InvisibilityTimeoutSeconds);
        switch (jobs.Storage)
        {
            case JobStorages.InMemory:
                return new InMemoryStorage();

            case JobStorages.SqlServer:
                return new SqlServerStorage(connectionString, new SqlServerStorageOptions
                {
                    SchemaName = "hangfire",
                    QueuePollInterval = poll,
                    SlidingInvisibilityTimeout = invisibility,
                    CommandBatchMaxTimeout = TimeSpan.FromMinutes(5),
                    UseRecommendedIsolationLevel = true,
                    DisableGlobalLocks = true,
                });

            case JobStorages.PostgreSql:
                var options = new PostgreSqlStorageOptions
                {
                    SchemaName = "hangfire",
                    QueuePollInterval = poll,
                    InvisibilityTimeout = invisibility,
                    UseSlidingInvisibilityTimeout = true,
                    PrepareSchemaIfNecessary = true,
                };
                return new PostgreSqlStorage(new NpgsqlConnectionFactory(connectionString, options), options);

            default:
                if (Path.GetDirectoryName(Path.GetFullPath(connectionString)) is { } dir)
                {
                    Directory.CreateDirectory(dir);
                }

                return new SQLiteStorage(connectionString, new SQLiteStorageOptions { QueuePollInterval = poll, InvisibilityTimeout = invisibility });
        }
    }

    /// <summary>The storage's own connection string, or for a server storage left empty, the domain database's.</summary>
    public static string ConnectionString(JobsOptions jobs, DatabaseOptions database) =>
        string.IsNullOrWhiteSpace(jobs.ConnectionString) && jobs.Storage is JobStorages.SqlServer or JobStorages.PostgreSql
            ? database.ConnectionString
            : jobs.ConnectionString;
}
