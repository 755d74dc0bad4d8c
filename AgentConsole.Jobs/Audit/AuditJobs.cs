using AgentConsole.Domain.Audit;
using Hangfire;

namespace AgentConsole.Jobs.Audit;

/// <summary>Writes a signed checkpoint of every tenant's audit chain that grew since its last one (<c>Audit:CheckpointEveryMinutes</c>).</summary>
public sealed class AuditJobs(AuditCheckpoints checkpoints)
{
    [Queue(Pipelines.PipelineJobs.MaintenanceQueue)]
    [AutomaticRetry(Attempts = 0)]
    [DisableConcurrentExecution(60)]
    [JobDisplayName("Write audit checkpoints")]
    public Task WriteCheckpointsAsync(CancellationToken cancellationToken) => checkpoints.WriteDueAsync(cancellationToken);

    /// <summary>The recurring schedule of <see cref="WriteCheckpointsAsync"/> for an interval the options allow.</summary>
    public static string Schedule(int everyMinutes) => everyMinutes switch
    {
        1 => Cron.Minutely(),
        < 60 => $"*/{everyMinutes} * * * *",
        60 => Cron.Hourly(),
        _ => $"0 */{everyMinutes / 60} * * *",
    };
}
