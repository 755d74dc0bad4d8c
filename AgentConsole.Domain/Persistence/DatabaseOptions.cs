using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace AgentConsole.Domain.Persistence;

/// <summary>Which database holds the domain data (section <c>Database</c>).</summary>
public sealed class DatabaseOptions
{
    public const string Section = "Database";

    /// <summary><c>Sqlite</c> (default, embedded), <c>SqlServer</c> or <c>PostgreSql</c>.</summary>
    [Required]
    [AllowedValues(DatabaseProviders.Sqlite, DatabaseProviders.SqlServer, DatabaseProviders.PostgreSql)]
    public string Provider { get; set; } = DatabaseProviders.Sqlite;

    /// <summary>The provider's connection string (default <c>Data Source=data/agentconsole.db</c>).</summary>
    [Required]
    public string ConnectionString { get; set; } = "Data Source=data/agentconsole.db";

    /// <summary>Apply pending migrations at start-up (default true). When false, a schema older than the code stops the host at start-up.</summary>
    public bool MigrateOnStart { get; set; } = true;

    /// <summary>How long start-up waits for an unreachable database before it gives up (default 15 s).</summary>
    [Range(0, 600)]
    public int StartupTimeoutSeconds { get; set; } = 15;

    /// <summary>Seconds a single command may run (default 30).</summary>
    [Range(1, 3600)]
    public int CommandTimeoutSeconds { get; set; } = 30;
}

/// <summary>Refuses a connection string the chosen provider cannot read, naming the setting.</summary>
internal sealed class DatabaseOptionsValidator : IValidateOptions<DatabaseOptions>
{
    public ValidateOptionsResult Validate(string? name, DatabaseOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            return ValidateOptionsResult.Skip;
        }

        try
        {
            _ = DatabaseProviders.ParseConnectionString(options.Provider, options.ConnectionString);
            return ValidateOptionsResult.Success;
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or KeyNotFoundException or InvalidOperationException)
        {
            return ValidateOptionsResult.Fail($"Database:ConnectionString is not a valid {options.Provider} connection string: {ex.Message}");
        }
    }
}
