using System.Diagnostics;
using AgentConsole.Jobs.Pipelines;
using Hangfire;
using Hangfire.InMemory;
using Microsoft.Extensions.Logging.Abstractions;

namespace AgentConsole.Tests.Integration.Pipelines;

/// <summary>Pipeline jobs are enqueued off the caller's path: in order, in the caller's trace, all of them by the time the host stops.</summary>
public sealed class JobHandoffTests
{
    [Fact]
    public async Task PostedJobs_AreEnqueuedInOrder_InTheTraceTheyWereRecordedIn_AndAllOfThemBeforeTheHostStops()
    {
        using var storage = new InMemoryStorage();
        var client = new BackgroundJobClient(storage);
        var handoff = new JobHandoff(client, NullLogger<JobHandoff>.Instance);
        // Hangfire keeps filters process-wide: the trace filter is registered once, as the job host registers it.
        lock (GlobalJobFilters.Filters)
        {
            if (!GlobalJobFilters.Filters.Any(f => f.Instance is AgentConsole.Jobs.Traces.TraceContextJobFilter))
            {
                GlobalJobFilters.Filters.Add(new AgentConsole.Jobs.Traces.TraceContextJobFilter());
            }
        }

        await handoff.StartAsync(CancellationToken.None);
        using var source = new ActivitySource("handoff-test");
        using var listener = new ActivityListener { ShouldListenTo = s => s.Name == "handoff-test", Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData };
        ActivitySource.AddActivityListener(listener);
        string recordedIn;
        using (var request = source.StartActivity("approve"))
        {
            recordedIn = request!.Id!;
            for (var i = 0; i < 20; i++)
            {
                var n = i;
                handoff.Post(jobs => jobs.Enqueue(() => Console.WriteLine(n)));
            }
        }

        await handoff.StopAsync(CancellationToken.None);

        var enqueued = storage.GetMonitoringApi().EnqueuedJobs("default", 0, 100);
        Assert.Equal(20, enqueued.Count);
        Assert.Equal(Enumerable.Range(0, 20), enqueued.Select(j => (int)j.Value.Job.Args[0]));
        using var connection = storage.GetConnection();
        Assert.All(enqueued, j => Assert.Equal(recordedIn, Hangfire.Common.SerializationHelper.Deserialize<string>(connection.GetJobParameter(j.Key, "traceparent"))));

        // After the host stopped, a job is still enqueued: in place.
        handoff.Post(jobs => jobs.Enqueue(() => Console.WriteLine(20)));
        Assert.Equal(21, storage.GetMonitoringApi().EnqueuedCount("default"));
    }
}
