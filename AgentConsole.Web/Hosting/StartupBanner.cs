using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.HostFiltering;
using Microsoft.Extensions.Options;

namespace AgentConsole.Web.Hosting;

/// <summary>Tells whoever started the console where to open it and how to sign in.</summary>
internal sealed class StartupBanner(
    IServer server, IHostApplicationLifetime lifetime, IOptions<DemoOptions> demo, IOptions<HostFilteringOptions> hosts, ILogger<StartupBanner> logger) : IHostedService
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

            if (AnswersOnlyLoopbackBeyondIt(urls, hosts.Value.AllowedHosts))
            {
                logger.LogWarning(
                    "AgentConsole listens beyond this machine but answers only requests for {AllowedHosts}: set AllowedHosts to the names it is reached under (e.g. AllowedHosts=console.example.com)",
                    string.Join(";", hosts.Value.AllowedHosts));
            }

            if (demo.Value.Enabled)
            {
                logger.LogInformation("Sign in as a demo user (operator, senior, author, board1, auditor, admin, …) with the password '{Password}'", demo.Value.Password);
            }
        });
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Whether the console listens on more than loopback while <c>AllowedHosts</c> names loopback only (the default).</summary>
    internal static bool AnswersOnlyLoopbackBeyondIt(IEnumerable<string> urls, IList<string> allowedHosts) =>
        urls.Any(ListensBeyondLoopback) && allowedHosts.Count > 0 && allowedHosts.All(IsLoopbackName);

    private static bool ListensBeyondLoopback(string url) =>
        BindingAddress.Parse(url) is { IsUnixPipe: false, Host: var host } && !IsLoopbackName(host);

    private static bool IsLoopbackName(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || (IPAddress.TryParse(host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));
}
