using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using AgentConsole.Domain;
using AgentConsole.Domain.Persistence;
using AgentConsole.Domain.Pipelines;
using AgentConsole.Domain.Telemetry;
using AgentConsole.Domain.Tenancy;
using AgentConsole.Jobs.Traces;
using AgentConsole.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace AgentConsole.Tests.Integration.Traces;

/// <summary>
/// When the span store cannot write (its table locked on a real PostgreSQL), pipelines run on at their pace: spans
/// beyond the queue's capacity are dropped and counted, the queue never holds more than its capacity, and the store
/// catches up once the database lets it.
/// </summary>
public sealed class SpanStoreBackPressureTests : IAsyncLifetime
{
    private const int Capacity = 20;
    private readonly string _directory = TestPaths.NewDirectory("span-store");
    private TestDatabase _database = default!;
    private IHost _host = default!;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync(TestEngine.PostgreSql, _directory);
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Development" });
        builder.Configuration.AddInMemoryCollection(_database.Settings);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Traces:QueueCapacity"] = Capacity.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Traces:BatchSize"] = "5",
            ["Traces:FlushIntervalMilliseconds"] = "0",
            ["Database:CommandTimeoutSeconds"] = "3",
            ["Execution:FailureRate"] = "0",
            ["Execution:LostAnswerRate"] = "0",
        });
        builder.AddAgentConsoleDomain();
        builder.AddAgentConsoleTelemetry("agentconsole-backpressure");
        builder.Services.AddSingleton<LogCollector>();
        builder.Services.AddLogging(l => l.Services.AddSingleton<ILoggerProvider>(sp => sp.GetRequiredService<LogCollector>()));
        builder.Services.AddSingleton<IPipelineScheduler, RecordingScheduler>();
        _host = builder.Build();
        await _host.Services.InitializeDatabaseAsync();
        await _host.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
        await _database.DisposeAsync();
        TestPaths.TryDelete(_directory);
    }

    [Fact]
    public async Task WhileTheStoreCannotWrite_PipelinesRunOn_SpansBeyondTheQueueAreDroppedAndCounted_AndTheStoreCatchesUpAfter()
    {
        var store = _host.Services.GetRequiredService<SpanStore>();
        var dropped = new ConcurrentBag<string>();
        using var meter = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == AgentConsoleTelemetry.Name && instrument.Name == "agentconsole.traces.spans_dropped")
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        meter.SetMeasurementEventCallback<long>((_, _, tags, _) => dropped.Add(tags.ToArray().Single(t => t.Key == "reason").Value as string ?? ""));
        meter.Start();

        var peak = 0;
        using var watching = new CancellationTokenSource();
        var watcher = Task.Run(async () =>
        {
            while (!watching.IsCancellationRequested)
            {
                peak = Math.Max(peak, store.Queued);
                await Task.Delay(5);
            }
        });

        await using (var blocker = new NpgsqlConnection(_database.ConnectionString))
        {
            await blocker.OpenAsync();
            await using var transaction = await blocker.BeginTransactionAsync();
            await using (var lockTable = new NpgsqlCommand("LOCK TABLE \"StoredSpans\" IN ACCESS EXCLUSIVE MODE", blocker, transaction))
            {
                await lockTable.ExecuteNonQueryAsync();
            }

            // 25 runs of about 8 spans each, while no span can be written.
            var clock = Stopwatch.StartNew();
            for (var i = 0; i < 25; i++)
            {
                await ProposeAsync($"Back Pressure {i} AB");
            }

            clock.Stop();
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"25 runs took {clock.Elapsed.TotalSeconds:0.0} s while the store was blocked.");
            Assert.True(store.Dropped > 0, "Spans beyond the queue's capacity are dropped.");
            Assert.Contains("queue_full", dropped);
            await transaction.RollbackAsync();
        }

        await watching.CancelAsync();
        await watcher;
        Assert.InRange(peak, 1, Capacity);

        // The database answers again: a new run's spans are stored.
        var decision = await ProposeAsync("Back Pressure After AB");
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!await StoredAsync(decision.Id))
        {
            Assert.True(DateTime.UtcNow < deadline, "The store did not catch up after the database answered again.");
            await Task.Delay(100);
        }

        Assert.True(store.Stored > 0);

        // An operator reading the log learns of the drops, how many, and what to change.
        var warning = Assert.Single(_host.Services.GetRequiredService<LogCollector>().Of("AgentConsole.Jobs.Traces.SpanWriter"), e => e.Message.StartsWith("The span store fell behind", StringComparison.Ordinal));
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.True(long.Parse(warning.Fields["Dropped"]!, System.Globalization.CultureInfo.InvariantCulture) > 0);
        Assert.Contains("Traces:QueueCapacity", warning.Message, StringComparison.Ordinal);
    }

    private async Task<Domain.Decisions.Decision> ProposeAsync(string customer)
    {
        await using var scope = _host.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantContext>().Use(DemoData.ContosoId);
        await using var db = scope.ServiceProvider.GetRequiredService<IAgentConsoleDbFactory>().Create();
        var agent = await db.Agents.SingleAsync(a => a.Key == "pricing");
        var c = TestCases.UncertainPricing(customer);
        var pipelines = scope.ServiceProvider.GetRequiredService<PipelineService>();
        var runId = await pipelines.StartRunAsync(agent.Id, c.Subject, c.Inputs, c.Truth, Actor.System(DemoData.ContosoId, "test feed"));
        await pipelines.ProcessRunAsync(runId);
        return await db.Decisions.AsNoTracking().SingleAsync(d => d.RunId == runId);
    }

    private async Task<bool> StoredAsync(Guid decisionId)
    {
        await using var scope = _host.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantContext>().Use(DemoData.ContosoId);
        await using var db = scope.ServiceProvider.GetRequiredService<IAgentConsoleDbFactory>().Create();
        return await db.StoredSpans.AnyAsync(s => s.DecisionId == decisionId && s.Name == "pipeline run");
    }
}
