using System.ComponentModel.DataAnnotations;

namespace AgentConsole.Jobs.ScaleOut;

/// <summary>How nodes of a scaled-out installation reach each other (section <c>ScaleOut</c>).</summary>
public sealed class ScaleOutOptions
{
    public const string Section = "ScaleOut";

    /// <summary>
    /// The Redis connection (StackExchange.Redis syntax, e.g. <c>redis:6379,password=…</c>). Empty for a single node:
    /// events then reach only consoles in the process that committed them.
    /// </summary>
    public string Redis { get; set; } = "";

    /// <summary>Prefixes every Redis channel and key, so several installations can share one Redis (default <c>agentconsole</c>).</summary>
    [Required]
    [RegularExpression("^[A-Za-z0-9_.-]{1,64}$", ErrorMessage = "ScaleOut:ChannelPrefix may use letters, digits, '.', '_' and '-' (at most 64).")]
    public string ChannelPrefix { get; set; } = "agentconsole";

    /// <summary>How long start-up waits for Redis before it gives up (default 10 s).</summary>
    [Range(1, 600)]
    public int StartupTimeoutSeconds { get; set; } = 10;

    public bool Enabled => !string.IsNullOrWhiteSpace(Redis);
}
