using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace AgentConsole.Jobs.ScaleOut;

/// <summary>
/// This node's one connection to Redis, shared by the event fan-out and the SignalR backplane.
/// It reconnects on its own after an outage; <see cref="Restored"/> tells followers to resync.
/// </summary>
public sealed class RedisConnection : IAsyncDisposable
{
    private readonly ScaleOutOptions _options;
    private readonly ILogger<RedisConnection> _logger;
    private readonly SemaphoreSlim _connecting = new(1, 1);
    private ConnectionMultiplexer? _multiplexer;
    private string? _lastFailure;

    public RedisConnection(IOptions<ScaleOutOptions> options, ILogger<RedisConnection> logger)
    {
        _options = options.Value;
        _logger = logger;
        NodeId = $"{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid():N}";
        Target = Describe(_options.Redis);
    }

    /// <summary>Identifies this process among the nodes.</summary>
    public string NodeId { get; }

    /// <summary>Where Redis is, without the password.</summary>
    public string Target { get; }

    /// <summary>Raised when the connection came back after a failure.</summary>
    public event Action? Restored;

    public async Task<IConnectionMultiplexer> GetAsync()
    {
        if (_multiplexer is { } ready)
        {
            return ready;
        }

        await _connecting.WaitAsync();
        try
        {
            if (_multiplexer is null)
            {
                var config = ConfigurationOptions.Parse(_options.Redis);
                config.AbortOnConnectFail = false;
                config.ClientName ??= $"agentconsole-{Environment.MachineName}-{Environment.ProcessId}";
                var multiplexer = await ConnectionMultiplexer.ConnectAsync(config);
                multiplexer.ConnectionFailed += (_, e) =>
                {
                    _lastFailure = e.Exception?.GetBaseException().Message is { Length: > 0 } m && m.Length < 200 ? $"{e.FailureType}: {m}" : e.FailureType.ToString();
                    _logger.LogWarning("Redis connection to {Target} lost ({Failure}): live updates from other nodes pause until it returns", Target, _lastFailure);
                };
                multiplexer.ConnectionRestored += (_, e) =>
                {
                    _logger.LogInformation("Redis connection to {Target} restored; open consoles reload", Target);
                    Restored?.Invoke();
                };
                _multiplexer = multiplexer;
            }

            return _multiplexer;
        }
        finally
        {
            _connecting.Release();
        }
    }

    /// <summary>Waits until Redis answers a PING, or says exactly why it does not.</summary>
    public async Task<string?> CheckAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            string problem;
            try
            {
                var multiplexer = await GetAsync();
                if (multiplexer.IsConnected)
                {
                    await multiplexer.GetDatabase().PingAsync();
                    return null;
                }

                problem = $"Redis at {Target} is unreachable ({_lastFailure ?? "no connection could be made"})";
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException or ArgumentException)
            {
                problem = $"Redis at {Target} does not answer ({ex.GetBaseException().Message})";
            }

            if (DateTime.UtcNow >= deadline)
            {
                return problem;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(500), cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_multiplexer is { } multiplexer)
        {
            await multiplexer.CloseAsync(allowCommandsToComplete: false);
            multiplexer.Dispose();
        }

        _connecting.Dispose();
    }

    private static string Describe(string configuration)
    {
        try
        {
            var parsed = ConfigurationOptions.Parse(configuration);
            return string.Join(", ", parsed.EndPoints.Select(e => e.ToString()));
        }
        catch (ArgumentException)
        {
            return "an unreadable ScaleOut:Redis setting";
        }
    }
}
