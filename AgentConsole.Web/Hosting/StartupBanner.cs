using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace AgentConsole.Web.Hosting;

/// <summary>Tells whoever started the console where to open it and how to sign in.</summary>
internal sealed class StartupBanner(IServer server, IHostApplicationLifetime lifetime, IOptions<DemoOptions> demo, ILogger<StartupBanner> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStarted.Register(() =>
        {
            var urls = server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
            foreach (var url in urls)
            {
                logger.LogInformation("AgentConsole is ready: open {Url}", url);
            }

            if (demo.Value.Enabled)
            {
                logger.LogInformation("Sign in as a demo user (operator, senior, author, board1, auditor, admin, …) with the password '{Password}'", demo.Value.Password);
            }
        });
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
