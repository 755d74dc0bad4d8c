using System.ComponentModel.DataAnnotations;

namespace AgentConsole.Domain.Execution;

/// <summary>Settings of the simulated ERP/CRM (section <c>Execution</c>).</summary>
public sealed class ExecutionOptions
{
    public const string Section = "Execution";

    /// <summary>Share of calls that fail before applying anything (default 0.02).</summary>
    [Range(0.0, 1.0)]
    public double FailureRate { get; set; } = 0.02;

    /// <summary>Share of calls that apply but lose the answer, as a timeout would (default 0.01).</summary>
    [Range(0.0, 1.0)]
    public double LostAnswerRate { get; set; } = 0.01;

    /// <summary>Attempts per execution before giving up and compensating (default 4).</summary>
    [Range(1, 20)]
    public int MaxAttempts { get; set; } = 4;

    /// <summary>Delay before the first retry, doubled each time (default 200 ms).</summary>
    [Range(0, 60_000)]
    public int RetryDelayMilliseconds { get; set; } = 200;
}
