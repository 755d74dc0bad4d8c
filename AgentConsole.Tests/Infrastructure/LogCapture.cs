using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace AgentConsole.Tests.Infrastructure;

/// <summary>One log entry as a host wrote it: its category, event name, message and structured values.</summary>
public sealed record CapturedLog(string Category, string EventName, string Message, IReadOnlyDictionary<string, object?> Values);

/// <summary>Keeps the entries a host logs under one category, for tests that assert what was logged (and what never was).</summary>
public sealed class LogCapture(string category) : ILoggerProvider
{
    private readonly ConcurrentQueue<CapturedLog> _entries = new();

    public string Category { get; } = category;

    public IReadOnlyList<CapturedLog> Entries => [.. _entries];

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(LogCapture capture, string categoryName) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => categoryName == capture.Category;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
            {
                return;
            }

            var values = state as IEnumerable<KeyValuePair<string, object?>> ?? [];
            capture._entries.Enqueue(new CapturedLog(categoryName, eventId.Name ?? "", formatter(state, exception), values.ToDictionary(v => v.Key, v => v.Value)));
        }
    }
}
