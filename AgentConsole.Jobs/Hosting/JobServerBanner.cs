using Microsoft.Extensions.Options;

namespace AgentConsole.Jobs.Hosting;

/// <summary>Says, once the host has started, that this process runs jobs, how many at once and from which storage.</summary>
internal sealed class JobServerBanner(IHostApplicationLifetime lifetime, IOptions<JobsOptions> options, ILogger<JobServerBanner> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStarted.Register(() =>
            logger.LogInformation("Job server ready: {Workers} workers on {Storage} storage", options.Value.WorkerCount, options.Value.Storage));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
