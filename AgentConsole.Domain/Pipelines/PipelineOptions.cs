using System.ComponentModel.DataAnnotations;

namespace AgentConsole.Domain.Pipelines;

/// <summary>How pipeline runs are retried and re-driven (section <c>Pipelines</c>).</summary>
public sealed class PipelineOptions
{
    public const string Section = "Pipelines";

    /// <summary>A run not updated for this long is considered stalled and re-driven (default 120 s).</summary>
    [Range(5, 86_400)]
    public int StallAfterSeconds { get; set; } = 120;

    /// <summary>Job attempts on one run before it is marked failed (default 5).</summary>
    [Range(1, 100)]
    public int MaxAttempts { get; set; } = 5;
}
