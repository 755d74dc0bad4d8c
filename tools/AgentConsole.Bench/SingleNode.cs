using System.Globalization;

namespace AgentConsole.Bench;

/// <summary>The embedded default as a process: one web node on SQLite with its in-process job server, demo tenants, no feed.</summary>
internal static class SingleNode
{
    public static Dictionary<string, string?> Settings(string directory, int workers = 4) => new()
    {
        ["Database:Provider"] = "Sqlite",
        ["Database:ConnectionString"] = $"Data Source={Path.Combine(directory, "agentconsole.db")}",
        ["Jobs:Storage"] = "Sqlite",
        ["Jobs:ConnectionString"] = Path.Combine(directory, "hangfire.db"),
        ["Jobs:WorkerCount"] = workers.ToString(CultureInfo.InvariantCulture),
        ["Jobs:PollIntervalMilliseconds"] = "100",
        ["Demo:Feed"] = "false",
        ["Demo:HistoryDecisions"] = "0",
        ["Execution:FailureRate"] = "0",
        ["Execution:LostAnswerRate"] = "0",
        ["Logging:LogLevel:Default"] = "Warning",

        // The benchmarks sign in hundreds of operators and send API calls as fast as the node takes them, from one
        // address: they measure the console, not its rate limits.
        ["Security:RateLimits:SignInPerMinute"] = "100000",
        ["Security:RateLimits:ApiBurst"] = "100000",
        ["Security:RateLimits:ApiPerSecond"] = "100000",
    };
}
