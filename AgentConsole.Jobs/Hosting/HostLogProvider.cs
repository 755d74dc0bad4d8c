using Hangfire.AspNetCore;
using Hangfire.Logging;

namespace AgentConsole.Jobs.Hosting;

/// <summary>
/// Hangfire's log provider is process-wide; when the host that set it has stopped (several hosts
/// in one process, as in tests), loggers created afterwards stay silent instead of failing.
/// </summary>
internal sealed class HostLogProvider(ILoggerFactory loggerFactory) : ILogProvider
{
    private readonly AspNetCoreLogProvider _inner = new(loggerFactory);

    public ILog GetLogger(string name)
    {
        try
        {
            return _inner.GetLogger(name);
        }
        catch (ObjectDisposedException)
        {
            return Silent.Instance;
        }
    }

    private sealed class Silent : ILog
    {
        public static readonly Silent Instance = new();

        public bool Log(Hangfire.Logging.LogLevel logLevel, Func<string> messageFunc, Exception exception) => false;
    }
}
