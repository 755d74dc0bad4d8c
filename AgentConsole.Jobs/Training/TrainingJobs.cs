using AgentConsole.Domain.Training.Sessions;
using Hangfire;

namespace AgentConsole.Jobs.Training;

/// <summary>Ends exams whose time ran out, every minute, so a passed exam's certification does not wait for its trainee.</summary>
public sealed class TrainingJobs(ExamTimeouts timeouts)
{
    [Queue(Pipelines.PipelineJobs.MaintenanceQueue)]
    [AutomaticRetry(Attempts = 0)]
    [DisableConcurrentExecution(60)]
    [JobDisplayName("End exams whose time ran out")]
    public Task<int> EndTimedOutExamsAsync(CancellationToken cancellationToken) => timeouts.EndTimedOutAsync(cancellationToken);
}
