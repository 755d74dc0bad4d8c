using System.Net;
using System.Net.Sockets;
using AgentConsole.Jobs.Hosting;
using Microsoft.AspNetCore.Connections;

namespace AgentConsole.Web.Hosting;

/// <summary>
/// Where the console listens. The usual ASP.NET Core settings choose it — <c>--urls</c>,
/// <c>ASPNETCORE_URLS</c>, <c>Urls</c>, <c>ASPNETCORE_HTTP_PORTS</c> or <c>Kestrel:Endpoints</c> —
/// and without any of them it is <see cref="Default"/>. An address another program already holds
/// stops the console with one line that says so.
/// </summary>
public static class ListenAddresses
{
    /// <summary>The address when nothing else is configured: loopback only, plain http.</summary>
    public const string Default = "http://127.0.0.1:5080";

    /// <summary>Listens on <see cref="Default"/> unless the configuration names an address.</summary>
    public static WebApplicationBuilder UseDefaultListenAddress(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var chosen = !string.IsNullOrEmpty(configuration[WebHostDefaults.ServerUrlsKey])
            || !string.IsNullOrEmpty(configuration[WebHostDefaults.HttpPortsKey])
            || !string.IsNullOrEmpty(configuration[WebHostDefaults.HttpsPortsKey])
            || configuration.GetSection("Kestrel:Endpoints").Exists();
        if (!chosen)
        {
            builder.WebHost.UseUrls(Default);
        }

        return builder;
    }

    /// <summary>
    /// The host's checks before it serves anything: its addresses are free, its sign-in settings usable, then the
    /// shared checks (database, job storage, Redis), and the tenants the sign-in settings map to exist. False when a
    /// problem was reported.
    /// </summary>
    public static async Task<bool> StartupChecksPassAsync(this WebApplication app)
    {
        if (FirstTaken(app.Configuration) is { } taken)
        {
            await StartupChecks.ReportAsync(app.Services, InUseMessage(taken));
            return false;
        }

        try
        {
            app.Services.CheckSignInSettings();
        }
        catch (Microsoft.Extensions.Options.OptionsValidationException ex)
        {
            await StartupChecks.ReportAsync(app.Services, string.Join(" ", ex.Failures));
            return false;
        }

        if (!await app.Services.StartupChecksPassAsync())
        {
            return false;
        }

        await app.Services.EnsureMappedTenantsAsync();
        return true;
    }

    /// <summary>
    /// Runs the console until it is stopped. An address taken between the check and the start
    /// (another program was quicker) is reported in the same one line.
    /// </summary>
    public static async Task<int> RunConsoleAsync(this WebApplication app)
    {
        try
        {
            await app.StartAsync();
        }
        catch (IOException ex) when (ex.InnerException is AddressInUseException)
        {
            await StartupChecks.ReportAsync(app.Services, InUseMessage(app.Configuration[WebHostDefaults.ServerUrlsKey] ?? Default));
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await app.StopAsync(timeout.Token);
            return 1;
        }

        await app.WaitForShutdownAsync();
        return 0;
    }

    private static string InUseMessage(string address) =>
        $"{address} is already in use by another program (another AgentConsole?). Choose another address, e.g. "
        + "dotnet run --project AgentConsole.Web --urls http://127.0.0.1:5081 (or set ASPNETCORE_URLS).";

    /// <summary>The first configured address that another program already listens on.</summary>
    internal static string? FirstTaken(IConfiguration configuration)
    {
        // Kestrel:Endpoints wins over the urls setting; Kestrel itself then says what it cannot bind.
        var urls = configuration[WebHostDefaults.ServerUrlsKey];
        if (string.IsNullOrEmpty(urls) || configuration.GetSection("Kestrel:Endpoints").Exists())
        {
            return null;
        }

        foreach (var url in urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (IsTaken(url))
            {
                return url;
            }
        }

        return null;
    }

    private static bool IsTaken(string url)
    {
        BindingAddress address;
        try
        {
            address = BindingAddress.Parse(url);
        }
        catch (FormatException)
        {
            return false; // Kestrel reports an address it cannot read.
        }

        if (address.IsUnixPipe || address.Port == 0)
        {
            return false;
        }

        var ip = address.Host switch
        {
            "localhost" => IPAddress.Loopback,
            "*" or "+" => IPAddress.Any,
            _ => IPAddress.TryParse(address.Host.Trim('[', ']'), out var parsed) ? parsed : IPAddress.Any,
        };
        var probe = new TcpListener(ip, address.Port);
        try
        {
            probe.Start();
            return false;
        }
        catch (SocketException ex) when (ex.SocketErrorCode == SocketError.AddressAlreadyInUse)
        {
            return true;
        }
        catch (SocketException)
        {
            return false; // Not ours to judge (e.g. an address this machine does not have): Kestrel says why.
        }
        finally
        {
            probe.Stop();
        }
    }
}
