namespace AgentConsole.Domain.Pipelines;

/// <summary>How a run's status and its execution read for people.</summary>
public static class RunStatusLabels
{
    public static string Label(this RunStatus status) => status switch
    {
        RunStatus.Pending => "Waiting to start",
        RunStatus.Running => "Proposing",
        RunStatus.AwaitingReview => "Waiting for review",
        RunStatus.Executing => "Being carried out",
        RunStatus.Completed => "Completed",
        RunStatus.Failed => "Failed",
        RunStatus.Held => "Held: agent paused",
        _ => status.ToString(),
    };

    /// <summary>The execution in words; before anyone has decided, it is "after approval", not "not required".</summary>
    public static string ExecutionLabel(this RunStatus status, ExecutionStatus execution) => execution switch
    {
        ExecutionStatus.NotRequired when status is RunStatus.Pending or RunStatus.Running or RunStatus.AwaitingReview or RunStatus.Held => "After approval",
        ExecutionStatus.NotRequired => "Nothing to carry out",
        ExecutionStatus.Pending => "In progress",
        ExecutionStatus.Succeeded => "Carried out",
        ExecutionStatus.Compensated => "Reversed",
        ExecutionStatus.Failed => "Failed",
        _ => execution.ToString(),
    };
}
