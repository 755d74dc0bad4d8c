using System.ComponentModel.DataAnnotations;

namespace AgentConsole.Jobs.Hosting;

/// <summary>Where Hangfire keeps its queues and who processes them (section <c>Jobs</c>).</summary>
public sealed class JobsOptions
{
    public const string Section = "Jobs";

    /// <summary><c>Sqlite</c> (default, a file beside the domain database) or <c>InMemory</c>.</summary>
    [Required]
    [AllowedValues("Sqlite", "InMemory")]
    public string Storage { get; set; } = "Sqlite";

    /// <summary>The Hangfire storage's connection string or file (default <c>data/agentconsole-hangfire.db</c>).</summary>
    public string ConnectionString { get; set; } = "data/agentconsole-hangfire.db";

    /// <summary>Run a Hangfire server in this process (default true; a web node of a scaled-out setup sets false).</summary>
    public bool RunServer { get; set; } = true;

    /// <summary>Concurrent jobs per server (default 4).</summary>
    [Range(1, 256)]
    public int WorkerCount { get; set; } = 4;

    /// <summary>How often an idle worker polls storage for jobs (default 500 ms; Hangfire's own default waits 15 s).</summary>
    [Range(50, 60_000)]
    public int PollIntervalMilliseconds { get; set; } = 500;
}
