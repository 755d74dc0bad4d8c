using System.Text.Json.Nodes;
using AgentConsole.Domain;
using AgentConsole.Domain.Decisions;
using AgentConsole.Domain.Persistence;
using AgentConsole.Domain.Pipelines;
using AgentConsole.Domain.Tenancy;
using AgentConsole.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace AgentConsole.Bench.Benchmarks;

/// <summary>
/// The Domain on a fresh database of one kind, as a benchmark measures it, working for the demo tenant Contoso: jobs are
/// not run (a case is processed in place, and nothing approved is executed). Disposing deletes the database.
/// </summary>
internal sealed class DomainHost : IAsyncDisposable
{
    private readonly IHost _host;
    private readonly TestDatabase _database;
    private readonly string _directory;

    private DomainHost(IHost host, TestDatabase database, string directory, TestEngine engine)
    {
        _host = host;
        _database = database;
        _directory = directory;
        Engine = engine;
    }

    public TestEngine Engine { get; }

    /// <summary>How the report names the database.</summary>
    public string EngineName => Engine == TestEngine.Sqlite ? "SQLite" : "PostgreSQL";

    public IServiceProvider Services => _host.Services;

    public TestDatabase Database => _database;

    public static async Task<DomainHost> StartAsync(TestEngine engine, string name, IDictionary<string, string?>? settings = null)
    {
        var directory = TestPaths.NewDirectory(name);
        var database = await TestDatabase.CreateAsync(engine, directory);
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Development" });
        builder.Configuration.AddInMemoryCollection(database.Settings);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Audit:CheckpointKey"] = TestKeys.CheckpointKey,
            ["Audit:CheckpointDirectory"] = Path.Combine(directory, "checkpoints"),
            ["Certifications:CodeKeyFile"] = Path.Combine(directory, "certificate-code.key"),
        });
        if (settings is not null)
        {
            builder.Configuration.AddInMemoryCollection(settings);
        }

        builder.AddAgentConsoleDomain();
        builder.Services.AddLogging();
        builder.Services.AddSingleton<IPipelineScheduler, NoScheduler>();
        var host = builder.Build();
        await host.Services.InitializeDatabaseAsync();
        return new DomainHost(host, database, directory, engine);
    }

    /// <summary>A scope working for Contoso, as a request or a job would.</summary>
    public AsyncServiceScope Scope()
    {
        var scope = Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantContext>().Use(DemoData.ContosoId);
        return scope;
    }

    public async Task<T> WithDbAsync<T>(Func<AgentConsoleDbContext, Task<T>> read)
    {
        await using var scope = Scope();
        await using var db = scope.ServiceProvider.GetRequiredService<IAgentConsoleDbFactory>().Create();
        return await read(db);
    }

    public async Task<T> WithAsync<TService, T>(Func<TService, Task<T>> act)
        where TService : notnull
    {
        await using var scope = Scope();
        return await act(scope.ServiceProvider.GetRequiredService<TService>());
    }

    public async Task<Actor> ActorAsync(string userName)
    {
        var found = await Services.GetRequiredService<UserDirectory>().FindAsync(userName) ?? throw new InvalidOperationException($"No demo user {userName}");
        return found.User.ToActor();
    }

    /// <summary>A case sent to the pricing agent and proposed, as the feed and its job would; returns its decision.</summary>
    public async Task<Decision> ProposeAsync((string Subject, JsonObject Inputs, JsonObject Truth) c)
    {
        await using var scope = Scope();
        var pipelines = scope.ServiceProvider.GetRequiredService<PipelineService>();
        var agentId = await WithDbAsync(db => db.Agents.Where(a => a.Key == "pricing").Select(a => a.Id).SingleAsync());
        var runId = await pipelines.StartRunAsync(agentId, c.Subject, c.Inputs, c.Truth, Actor.System(DemoData.ContosoId, "bench feed"));
        await pipelines.ProcessRunAsync(runId);
        return await WithDbAsync(db => db.Decisions.AsNoTracking().SingleAsync(d => d.RunId == runId));
    }

    public async ValueTask DisposeAsync()
    {
        _host.Dispose();
        await _database.DisposeAsync();
        if (Engine == TestEngine.Sqlite)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        }

        TestPaths.TryDelete(_directory);
    }

    private sealed class NoScheduler : IPipelineScheduler
    {
        public void EnqueueRun(Guid tenantId, Guid runId)
        {
        }

        public void EnqueueExecution(Guid tenantId, Guid decisionId)
        {
        }
    }
}
