using System.ComponentModel.DataAnnotations;

namespace AgentConsole.Jobs.Hosting;

/// <summary>Where Hangfire keeps its queues and who processes them (section <c>Jobs</c>).</summary>
public sealed class JobsOptions
{
    public const string Section = "Jobs";

    /// <summary><c>Sqlite</c> (default, a file beside the domain database), <c>SqlServer</c>, <c>PostgreSql</c> or <c>InMemory</c>.</summary>
    [Required]
    [AllowedValues(JobStorages.Sqlite, JobStorages.SqlServer, JobStorages.PostgreSql, JobStorages.InMemory)]
    public string Storage { get; set; } = JobStorages.Sqlite;

    /// <summary>
    /// The Hangfire storage's file (SQLite, default <c>data/agentconsole-hangfire.db</c>) or connection string.
    /// Empty for SQL Server or PostgreSQL: the domain database's, with Hangfire in its own <c>hangfire</c> schema.
    /// </summary>
    public string ConnectionString { get; set; } = "data/agentconsole-hangfire.db";

    /// <summary>
    /// How long a fetched job stays invisible to other servers (default 300 s). Server storages extend it
    /// while the job runs, so a killed worker's jobs return to the queue this long after it stopped.
    /// </summary>
    [Range(10, 86_400)]
    public int InvisibilityTimeoutSeconds { get; set; } = 300;

    /// <summary>Run a Hangfire server in this process (default true; a web node of a scaled-out setup sets false).</summary>
    public bool RunServer { get; set; } = true;

    /// <summary>Concurrent jobs per server (default 4).</summary>
    [Range(1, 256)]
    public int WorkerCount { get; set; } = 4;

    /// <summary>How often an idle worker polls storage for jobs (default 500 ms; Hangfire's own default waits 15 s).</summary>
    [Range(50, 60_000)]
    public int PollIntervalMilliseconds { get; set; } = 500;
}

/// <summary>The Hangfire storages a host can use.</summary>
public static class JobStorages
{
    public const string Sqlite = "Sqlite";
    public const string SqlServer = "SqlServer";
    public const string PostgreSql = "PostgreSql";
    public const string InMemory = "InMemory";
}
