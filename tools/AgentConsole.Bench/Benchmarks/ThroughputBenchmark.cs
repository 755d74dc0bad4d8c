using System.Diagnostics;
using AgentConsole.Domain;
using AgentConsole.Domain.Decisions;
using AgentConsole.Domain.Persistence;
using AgentConsole.Domain.Pipelines;
using AgentConsole.Domain.Tenancy;
using AgentConsole.Jobs;
using AgentConsole.Jobs.Hosting;
using AgentConsole.Jobs.Traces;
using AgentConsole.Tests.Infrastructure;
using Hangfire;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AgentConsole.Bench.Benchmarks;

/// <summary>
/// (a) Pipeline throughput: runs proposed per second by the product's job host, against bare
/// no-op Hangfire jobs on a fresh storage of the same kind, same worker count and poll interval.
/// </summary>
internal static class ThroughputBenchmark
{
    private const int Workers = 4;
    private const int PollMilliseconds = 100;

    public static async Task RunAsync(Report report, TestEngine engine, int count)
    {
        Console.WriteLine($"(a) throughput on {engine}: {count} bare jobs, then {count} pipeline runs");
        var bare = await BareHangfireAsync(engine, count);
        var pipeline = await PipelineAsync(engine, count);
        var ratio = pipeline / bare;
        report.Add(new Row("(a) Pipeline throughput", $"{engine}, {Workers} workers, {count} runs", $"{Stats.Fixed(pipeline, "0")} decisions/s",
            $"{Stats.Fixed(bare, "0")} no-op jobs/s", $"{Stats.Fixed(ratio)}×", "≥ 0.5× bare Hangfire", ratio >= 0.5));
    }

    /// <summary>Jobs per second: enqueue <paramref name="count"/> no-op jobs, then wait until all succeeded.</summary>
    private static async Task<double> BareHangfireAsync(TestEngine engine, int count)
    {
        var directory = TestPaths.NewDirectory("bench-bare");
        await using var database = await TestDatabase.CreateAsync(engine, directory);
        var storage = HangfireStorage.Create(JobsFor(engine, directory), new DatabaseOptions { Provider = database.Provider, ConnectionString = database.ConnectionString });
        GlobalConfiguration.Configuration.SetDataCompatibilityLevel(CompatibilityLevel.Version_180).UseSimpleAssemblyNameTypeSerializer().UseRecommendedSerializerSettings();
        var client = new BackgroundJobClient(storage);
        using var server = new BackgroundJobServer(
            new BackgroundJobServerOptions { WorkerCount = Workers, SchedulePollingInterval = TimeSpan.FromSeconds(5), Activator = new JobActivator() }, storage);

        var clock = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            client.Enqueue(() => NoopJob.Run());
        }

        var monitor = storage.GetMonitoringApi();
        var deadline = DateTime.UtcNow.AddMinutes(5);
        while (monitor.SucceededListCount() < count)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Only {monitor.SucceededListCount()} of {count} bare jobs succeeded in 5 min ({monitor.FailedCount()} failed, {monitor.EnqueuedCount("default")} enqueued).");
            }

            await Task.Delay(20);
        }

        clock.Stop();
        TestPaths.TryDelete(directory);
        return count / clock.Elapsed.TotalSeconds;
    }

    /// <summary>
    /// Decisions per second: start <paramref name="count"/> runs of the demo feed's cases and wait until each has its
    /// decision. <paramref name="traced"/>: with the product's tracing, spans kept in its span store unless
    /// <paramref name="stored"/> is false (then made and dropped, as with an OTLP export only).
    /// </summary>
    internal static async Task<double> PipelineAsync(TestEngine engine, int count, bool traced = false, bool stored = true) =>
        (await PipelineCostAsync(engine, count, traced, stored)).PerSecond;

    /// <summary>
    /// As <see cref="PipelineAsync"/>, with this process's CPU time per decision, from the first case until the host
    /// has stopped (its background work, such as spans still queued, included): less sensitive than wall-clock time
    /// to other processes on a shared machine.
    /// </summary>
    internal static async Task<(double PerSecond, double CpuMsPerDecision)> PipelineCostAsync(TestEngine engine, int count, bool traced = false, bool stored = true)
    {
        var directory = TestPaths.NewDirectory("bench-pipeline");
        await using var database = await TestDatabase.CreateAsync(engine, directory);
        var jobs = JobsFor(engine, directory);
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Development" });
        builder.Configuration.AddInMemoryCollection(database.Settings);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Jobs:Storage"] = jobs.Storage,
            ["Jobs:ConnectionString"] = jobs.ConnectionString,
            ["Jobs:WorkerCount"] = Workers.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Jobs:PollIntervalMilliseconds"] = PollMilliseconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Demo:Feed"] = "false",
            ["Demo:HistoryDecisions"] = "0",
            ["Execution:FailureRate"] = "0",
            ["Execution:LostAnswerRate"] = "0",
            ["Execution:RetryDelayMilliseconds"] = "1",
            ["Traces:Store"] = stored ? "true" : "false",
        });
        builder.Services.AddLogging(l => l.SetMinimumLevel(LogLevel.Warning).AddConsole());
        builder.AddAgentConsoleDomain();
        builder.AddAgentConsoleJobs();
        if (traced)
        {
            builder.AddAgentConsoleTelemetry("agentconsole-bench");
        }

        using var host = builder.Build();
        if (!await host.Services.StartupChecksPassAsync())
        {
            throw new InvalidOperationException("The pipeline host did not start.");
        }

        var proposed = 0;
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var subscription = host.Services.GetRequiredService<DecisionEventBus>().Subscribe(e =>
        {
            if (e.Kind is DecisionEventKind.Queued or DecisionEventKind.AutoApproved or DecisionEventKind.Blocked && Interlocked.Increment(ref proposed) == count)
            {
                done.TrySetResult();
            }

            return Task.CompletedTask;
        });
        await host.StartAsync();

        using var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        await using (var scope = host.Services.CreateAsyncScope())
        {
            scope.ServiceProvider.GetRequiredService<TenantContext>().Use(DemoData.ContosoId);
            await scope.ServiceProvider.GetRequiredService<CaseFeed>().FeedAsync(count);
        }

        await done.Task.WaitAsync(TimeSpan.FromMinutes(10));
        clock.Stop();
        await host.StopAsync();
        process.Refresh();
        var cpuMs = (process.TotalProcessorTime - cpu).TotalMilliseconds;
        TestPaths.TryDelete(directory);
        return (count / clock.Elapsed.TotalSeconds, cpuMs / count);
    }

    private static JobsOptions JobsFor(TestEngine engine, string directory) => new()
    {
        Storage = engine == TestEngine.Sqlite ? JobStorages.Sqlite : JobStorages.PostgreSql,
        ConnectionString = engine == TestEngine.Sqlite ? Path.Combine(directory, "hangfire.db") : "",
        WorkerCount = Workers,
        PollIntervalMilliseconds = PollMilliseconds,
    };
}

/// <summary>The bare baseline's job: nothing.</summary>
public static class NoopJob
{
    public static void Run()
    {
    }
}
