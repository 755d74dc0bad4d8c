using AgentConsole.Domain.Persistence;
using AgentConsole.Domain.Tenancy;
using AgentConsole.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AgentConsole.Tests.Integration.Persistence;

public sealed class SqliteConcurrentStartTests() : ConcurrentStartTests(TestEngine.Sqlite);

public sealed class PostgreSqlConcurrentStartTests() : ConcurrentStartTests(TestEngine.PostgreSql);

/// <summary>Nodes of one installation start together: each migrates and seeds the same database.</summary>
public abstract class ConcurrentStartTests(TestEngine engine)
{
    [Fact]
    public async Task NodesStartingTogether_MigrateAndSeedOnce()
    {
        var directory = TestPaths.NewDirectory("concurrent-start");
        await using var database = await TestDatabase.CreateAsync(engine, directory);
        var provider = new DatabaseProvider(Options.Create(new DatabaseOptions { Provider = database.Provider, ConnectionString = database.ConnectionString }));

        await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => Task.Run(async () =>
        {
            await using var db = provider.Create(new TenantContext());
            await DatabaseInitializer.MigrateAsync(db);
            await DemoData.SeedAsync(db, TimeProvider.System, CancellationToken.None);
        })));

        await using var check = provider.Create(new TenantContext());
        Assert.Equal(2, await check.Tenants.CountAsync());
        Assert.Empty(await check.Database.GetPendingMigrationsAsync());
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        TestPaths.TryDelete(directory);
    }
}
