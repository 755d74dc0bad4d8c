using AgentConsole.Domain.Tenancy;
using Microsoft.Extensions.Options;

namespace AgentConsole.Jobs.Tenancy;

/// <summary>
/// Keeps the embedded default's demo alive (<see cref="LiveDemo"/>) while <c>Demo:Enabled</c> and <c>Demo:Feed</c>
/// are on: the first tick at start, so the first decisions appear within seconds, then one every
/// <see cref="DemoOptions.FeedEverySeconds"/> on the host's clock.
/// </summary>
internal sealed class LiveDemoService(LiveDemo demo, TimeProvider clock, IOptions<DemoOptions> options, ILogger<LiveDemoService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        if (!o.Enabled || !o.Feed)
        {
            return;
        }

        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(o.FeedEverySeconds), clock);
        do
        {
            try
            {
                await demo.TickAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning(ex, "The demo skipped a tick");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
