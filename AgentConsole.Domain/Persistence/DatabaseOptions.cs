using System.ComponentModel.DataAnnotations;

namespace AgentConsole.Domain.Persistence;

/// <summary>Which database holds the domain data (section <c>Database</c>).</summary>
public sealed class DatabaseOptions
{
    public const string Section = "Database";

    /// <summary><c>Sqlite</c> (default, embedded).</summary>
    [Required]
    [AllowedValues("Sqlite")]
    public string Provider { get; set; } = "Sqlite";

    /// <summary>The provider's connection string (default <c>Data Source=data/agentconsole.db</c>).</summary>
    [Required]
    public string ConnectionString { get; set; } = "Data Source=data/agentconsole.db";

    /// <summary>Apply pending migrations at start-up (default true).</summary>
    public bool MigrateOnStart { get; set; } = true;
}
