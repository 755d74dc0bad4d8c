using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.FileProviders;

namespace AgentConsole.Jobs.Hosting;

/// <summary>Both hosts read the one <c>appsettings.json</c> at the solution root (copied beside each build).</summary>
public static class SharedSettings
{
    /// <summary>
    /// Puts the shared file first, so environment-specific files, environment variables and the
    /// command line still override it.
    /// </summary>
    public static IConfigurationBuilder AddAgentConsoleSettings(this IConfigurationBuilder configuration)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "appsettings.json");
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"The shared settings file is missing beside the build output: {path}");
        }

        configuration.Sources.Insert(0, new JsonConfigurationSource
        {
            Path = "appsettings.json",
            FileProvider = new PhysicalFileProvider(AppContext.BaseDirectory),
            Optional = false,
            ReloadOnChange = false,
        });
        return configuration;
    }
}
