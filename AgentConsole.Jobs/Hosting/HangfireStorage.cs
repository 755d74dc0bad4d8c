using Hangfire;
using Hangfire.InMemory;
using Hangfire.Storage.SQLite;

namespace AgentConsole.Jobs.Hosting;

/// <summary>Builds the Hangfire storage a host's settings name; each host owns its instance.</summary>
internal static class HangfireStorage
{
    public static JobStorage Create(JobsOptions jobs)
    {
        if (jobs.Storage == "InMemory")
        {
            return new InMemoryStorage();
        }

        var file = jobs.ConnectionString;
        if (Path.GetDirectoryName(Path.GetFullPath(file)) is { } dir)
        {
            Directory.CreateDirectory(dir);
        }

        return new SQLiteStorage(file, new SQLiteStorageOptions { QueuePollInterval = TimeSpan.FromMilliseconds(jobs.PollIntervalMilliseconds) });
    }
}
