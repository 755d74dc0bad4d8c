using AgentConsole.Domain.Decisions;
using AgentConsole.Domain.Persistence;
using AgentConsole.Tests.Infrastructure;
using AgentConsole.Web.Components;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace AgentConsole.Tests.Integration.Web;

public sealed class DatabaseWatchTests
{
    [Fact]
    public async Task ADatabaseThatStopsAnswering_PausesLiveUpdates_AndItsReturnResyncsTheConsoles()
    {
        var directory = TestPaths.NewDirectory("watch");
        await using var database = await TestDatabase.CreateAsync(TestEngine.PostgreSql, directory);
        var name = new NpgsqlConnectionStringBuilder(database.ConnectionString).Database!;
        var provider = new DatabaseProvider(Options.Create(new DatabaseOptions { Provider = database.Provider, ConnectionString = database.ConnectionString }));
        var events = new DecisionEventBus(NullLogger<DecisionEventBus>.Instance);
        var resyncs = 0;
        using var subscription = events.SubscribeResync(() =>
        {
            Interlocked.Increment(ref resyncs);
            return Task.CompletedTask;
        });
        using var watch = new DatabaseWatch(provider, events, NullLogger<DatabaseWatch>.Instance);
        await watch.StartAsync(CancellationToken.None);

        NpgsqlConnection.ClearAllPools();
        await PostgresServer.ExecuteAsync($"DROP DATABASE {name} WITH (FORCE)");
        await WaitForAsync(() => !watch.Available);
        await PostgresServer.ExecuteAsync($"CREATE DATABASE {name}");
        await WaitForAsync(() => watch.Available);

        Assert.Equal(1, Volatile.Read(ref resyncs));
        await watch.StopAsync(CancellationToken.None);
        TestPaths.TryDelete(directory);
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "The watch did not notice within 10 s.");
            await Task.Delay(100);
        }
    }
}
