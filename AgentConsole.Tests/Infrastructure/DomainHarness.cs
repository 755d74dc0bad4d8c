using System.Text.Json.Nodes;
using AgentConsole.Domain;
using AgentConsole.Domain.Decisions;
using AgentConsole.Domain.Execution;
using AgentConsole.Domain.Persistence;
using AgentConsole.Domain.Pipelines;
using AgentConsole.Domain.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace AgentConsole.Tests.Infrastructure;

/// <summary>
/// The Domain on a fresh database (a SQLite file by default, or PostgreSQL) with the demo tenants seeded; jobs are recorded, not run,
/// so a test calls the services a job would call.
/// </summary>
public sealed class DomainHarness : IAsyncDisposable
{
    private readonly IHost _host;

    private readonly TestDatabase _database;

    private DomainHarness(IHost host, string directory, TestDatabase database)
    {
        _host = host;
        Directory = directory;
        _database = database;
    }

    public string Directory { get; }

    /// <summary>The harness's own database, e.g. for changes no product code path would make.</summary>
    public TestDatabase Database => _database;

    public IServiceProvider Services => _host.Services;

    public RecordingScheduler Scheduler => (RecordingScheduler)Services.GetRequiredService<IPipelineScheduler>();

    public static async Task<DomainHarness> CreateAsync(
        IDictionary<string, string?>? settings = null, Action<IServiceCollection>? configure = null, TestEngine engine = TestEngine.Sqlite)
    {
        var directory = TestPaths.NewDirectory("domain");
        var database = await TestDatabase.CreateAsync(engine, directory);
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Development" });
        builder.Configuration.AddInMemoryCollection(database.Settings);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Execution:FailureRate"] = "0",
            ["Execution:LostAnswerRate"] = "0",
            ["Execution:RetryDelayMilliseconds"] = "1",
            ["Audit:CheckpointDirectory"] = Path.Combine(directory, "checkpoints"),
            ["Audit:CheckpointKeyFile"] = Path.Combine(directory, "audit-checkpoint.key"),
            ["Certifications:CodeKeyFile"] = Path.Combine(directory, "certificate-code.key"),
        });
        if (settings is not null)
        {
            builder.Configuration.AddInMemoryCollection(settings);
        }

        builder.AddAgentConsoleDomain();
        builder.Services.AddLogging();
        builder.Services.AddSingleton<IPipelineScheduler, RecordingScheduler>();
        configure?.Invoke(builder.Services);
        var host = builder.Build();
        await host.Services.InitializeDatabaseAsync();
        return new DomainHarness(host, directory, database);
    }

    /// <summary>A scope working for one tenant, as a request, circuit or job would.</summary>
    public AsyncServiceScope Scope(Guid tenantId)
    {
        var scope = Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantContext>().Use(tenantId);
        return scope;
    }

    /// <summary>Reads the database once, as a tenant (Contoso by default) sees it.</summary>
    public async Task<T> ReadAsync<T>(Func<AgentConsoleDbContext, Task<T>> read, Guid? tenantId = null)
    {
        await using var scope = Scope(tenantId ?? DemoData.ContosoId);
        await using var db = scope.ServiceProvider.GetRequiredService<IAgentConsoleDbFactory>().Create();
        return await read(db);
    }

    public async Task<Actor> ActorAsync(string userName)
    {
        var found = await Services.GetRequiredService<UserDirectory>().FindAsync(userName) ?? throw new InvalidOperationException($"No demo user {userName}");
        return found.User.ToActor();
    }

    /// <summary>Records a run for a case, as the feed or the API would; its job is only recorded.</summary>
    public async Task<Guid> StartRunAsync((string Subject, JsonObject Inputs, JsonObject Truth) c, string agentKey = "pricing", Guid? tenantId = null)
    {
        var tenant = tenantId ?? DemoData.ContosoId;
        await using var scope = Scope(tenant);
        await using var db = scope.ServiceProvider.GetRequiredService<IAgentConsoleDbFactory>().Create();
        var agent = await db.Agents.SingleAsync(a => a.Key == agentKey);
        return await scope.ServiceProvider.GetRequiredService<PipelineService>().StartRunAsync(agent.Id, c.Subject, c.Inputs, c.Truth, Actor.System(tenant, "test feed"));
    }

    /// <summary>Records a run for a case and processes it as its job would; returns the decision.</summary>
    public async Task<Decision> ProposeAsync((string Subject, JsonObject Inputs, JsonObject Truth) c, string agentKey = "pricing", Guid? tenantId = null)
    {
        var tenant = tenantId ?? DemoData.ContosoId;
        var runId = await StartRunAsync(c, agentKey, tenant);
        await using var scope = Scope(tenant);
        await scope.ServiceProvider.GetRequiredService<PipelineService>().ProcessRunAsync(runId);
        return await WithDbAsync(db => db.Decisions.AsNoTracking().SingleAsync(d => d.RunId == runId), tenant);
    }

    /// <summary>Runs every recorded job, and those they record in turn, as Hangfire would: runs are proposed, decisions executed.</summary>
    public async Task RunRecordedJobsAsync()
    {
        while (Scheduler.Jobs.TryDequeue(out var job))
        {
            await using var scope = Scope(job.TenantId);
            if (job.IsExecution)
            {
                await scope.ServiceProvider.GetRequiredService<ExecutionService>().ExecuteAsync(job.Id);
            }
            else
            {
                await scope.ServiceProvider.GetRequiredService<PipelineService>().ProcessRunAsync(job.Id);
            }
        }
    }

    public async Task<T> WithDbAsync<T>(Func<AgentConsoleDbContext, Task<T>> read, Guid? tenantId = null)
    {
        await using var scope = Scope(tenantId ?? DemoData.ContosoId);
        await using var db = scope.ServiceProvider.GetRequiredService<IAgentConsoleDbFactory>().Create();
        return await read(db);
    }

    public async ValueTask DisposeAsync()
    {
        _host.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        await _database.DisposeAsync();
        TestPaths.TryDelete(Directory);
    }
}
