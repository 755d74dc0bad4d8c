using System.Net;
using System.Text.Json.Nodes;
using AgentConsole.Domain.Decisions;
using AgentConsole.Domain.Persistence;
using AgentConsole.Domain.Pipelines;
using AgentConsole.Domain.Tenancy;
using AgentConsole.Web.Queues;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.AspNetCore.TestHost;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AgentConsole.Tests.Infrastructure;

/// <summary>
/// The real web host on a fresh SQLite database with its in-process Hangfire server; the demo
/// feed is off so tests decide what arrives. With <see cref="Kestrel"/>, it listens on a real port for browsers.
/// </summary>
public sealed class ConsoleFactory : WebApplicationFactory<Program>
{
    private readonly string _directory = TestPaths.NewDirectory("web");

    public bool Kestrel { get; init; }

    /// <summary>The host environment: Development by default (as <c>dotnet run</c>); Production turns the demo off.</summary>
    public string Environment { get; init; } = "Development";

    /// <summary>Requests sign in from the <see cref="HeaderSignIn.Header"/> header instead of the demo sign-in cookie.</summary>
    public bool HeaderSignIn { get; init; }

    /// <summary>Changes to the host's services after its own registrations, e.g. a failing dependency.</summary>
    public Action<IServiceCollection>? ReplaceServices { get; init; }

    /// <summary>Settings over the test defaults, e.g. a lower rate limit or <c>Authentication:Mode</c>; the host's registrations see them.</summary>
    public IDictionary<string, string?> Settings { get; init; } = new Dictionary<string, string?>();

    /// <summary>What the host logged, at the levels its settings let through (Warning and up by default).</summary>
    public LogCollector Logs { get; } = new();

    public Uri ServerAddress
    {
        get
        {
            var address = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            return new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal));
        }
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(Environment);
        var settings = new Dictionary<string, string?>
        {
            // The host is served in memory or on a port Kestrel picks; it never takes the console's default address.
            ["urls"] = "http://127.0.0.1:0",
            ["Demo:Enabled"] = Environment == "Production" ? "false" : "true",
            ["Database:ConnectionString"] = $"Data Source={Path.Combine(_directory, "agentconsole.db")}",
            ["Jobs:ConnectionString"] = Path.Combine(_directory, "hangfire.db"),
            ["Jobs:PollIntervalMilliseconds"] = "100",
            ["Audit:CheckpointDirectory"] = Path.Combine(_directory, "checkpoints"),
            ["Audit:CheckpointKeyFile"] = Path.Combine(_directory, "audit-checkpoint.key"),
            ["Certifications:CodeKeyFile"] = Path.Combine(_directory, "certificate-code.key"),
            ["Demo:Feed"] = "false",
            ["Calibration:SeedGoldItems"] = "false",
            ["Demo:HistoryDecisions"] = "0",
            ["Execution:FailureRate"] = "0",
            ["Execution:LostAnswerRate"] = "0",
            ["Logging:LogLevel:Default"] = "Warning",

            // The tests sign in dozens of demo users from one address within a minute, and call the API as fast as they can
            // (the rate limit tests set their own limits).
            ["Security:RateLimits:SignInPerMinute"] = "1000",
            ["Security:RateLimits:ApiBurst"] = "100000",
            ["Security:RateLimits:ApiPerSecond"] = "10000",
        };
        if (Environment == "Production")
        {
            // Production refuses the demo sign-in: a provider that is never asked (requests sign in by header or not at all).
            settings["Authentication:Mode"] = "Oidc";
            settings["Authentication:Oidc:Authority"] = "https://login.example.com/realms/agentconsole-tests";
            settings["Authentication:Oidc:ClientId"] = "agentconsole";
            settings["Authentication:Tenants:0:ProviderTenant"] = "contoso";
            settings["Authentication:Tenants:0:ConsoleTenant"] = "contoso";

            // Production signs audit checkpoints with a key from configuration.
            settings["Audit:CheckpointKey"] = TestKeys.CheckpointKey;
            settings["Certifications:CodeKey"] = TestKeys.CertificateCodeKey;
        }

        foreach (var (key, value) in Settings)
        {
            settings[key] = value;
        }

        // As host settings, so the host's registrations already see them (sign-in registers the chosen mode's handlers).
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureLogging(logging => logging.AddProvider(Logs));
        builder.ConfigureTestServices(services =>
        {
            if (HeaderSignIn)
            {
                services.AddAuthentication().AddScheme<AuthenticationSchemeOptions, HeaderSignIn>(Infrastructure.HeaderSignIn.SchemeName, _ => { });
                services.PostConfigure<AuthenticationOptions>(o => o.DefaultAuthenticateScheme = o.DefaultChallengeScheme = Infrastructure.HeaderSignIn.SchemeName);
            }

            ReplaceServices?.Invoke(services);
        });
        if (Kestrel)
        {
            UseKestrel(0);
        }
    }

    /// <summary>Starts the host (and, with Kestrel, its port).</summary>
    public ConsoleFactory Start()
    {
        if (Kestrel)
        {
            StartServer();
        }
        else
        {
            _ = Server;
        }

        return this;
    }

    /// <summary>Signs in through the real sign-in form; the client carries the auth cookie from then on.</summary>
    public async Task<HttpClient> SignInAsync(string userName, string password = "demo")
    {
        var (client, response) = await PostSignInAsync(userName, password);
        if (response.StatusCode != HttpStatusCode.Redirect || response.Headers.Location?.OriginalString != "/")
        {
            throw new InvalidOperationException($"Sign-in as {userName} failed: {response.StatusCode} {response.Headers.Location}");
        }

        return client;
    }

    public async Task<(HttpClient Client, HttpResponseMessage Response)> PostSignInAsync(string userName, string password)
    {
        var client = CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        return (client, await DemoSignIn.PostAsync(client, userName, password));
    }

    /// <summary>The auth cookie of a signed-in user, for SignalR clients and browsers.</summary>
    public Task<string> AuthCookieAsync(string userName) =>
        DemoSignIn.AuthCookieAsync(CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false }), userName);

    /// <summary>A .NET SignalR client of the queue hub (long polling through the test server), signed in as a demo user and started.</summary>
    public async Task<HubConnection> ConnectToQueueHubAsync(string userName)
    {
        var cookie = await AuthCookieAsync(userName);
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(Server.BaseAddress, QueueHub.Path), options =>
            {
                options.HttpMessageHandlerFactory = _ => Server.CreateHandler();
                options.Transports = HttpTransportType.LongPolling;
                options.Headers["Cookie"] = cookie;
            })
            .Build();
        await connection.StartAsync();
        return connection;
    }

    /// <summary>Feeds one case through the real pipeline (Hangfire job included) and waits for its decision.</summary>
    public async Task<Decision> ProposeAsync((string Subject, JsonObject Inputs, JsonObject Truth) c, string agentKey = "pricing", Guid? tenantId = null)
    {
        var tenant = tenantId ?? DemoData.ContosoId;
        Guid runId;
        await using (var scope = Services.CreateAsyncScope())
        {
            scope.ServiceProvider.GetRequiredService<TenantContext>().Use(tenant);
            await using var db = scope.ServiceProvider.GetRequiredService<IAgentConsoleDbFactory>().Create();
            var agentId = await db.Agents.Where(a => a.Key == agentKey).Select(a => a.Id).SingleAsync();
            runId = await scope.ServiceProvider.GetRequiredService<PipelineService>().StartRunAsync(agentId, c.Subject, c.Inputs, c.Truth, Actor.System(tenant, "test feed"));
        }

        return await WaitForAsync(db => db.Decisions.AsNoTracking().SingleOrDefaultAsync(d => d.RunId == runId), tenant);
    }

    /// <summary>Reads the domain database once, as a tenant (Contoso by default) sees it.</summary>
    public async Task<T> ReadAsync<T>(Func<AgentConsoleDbContext, Task<T>> read, Guid? tenantId = null)
    {
        await using var scope = Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantContext>().Use(tenantId ?? DemoData.ContosoId);
        await using var db = scope.ServiceProvider.GetRequiredService<IAgentConsoleDbFactory>().Create();
        return await read(db);
    }

    public async Task<T> WaitForAsync<T>(Func<AgentConsoleDbContext, Task<T?>> read, Guid? tenantId = null, int seconds = 20)
        where T : class
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            await using (var scope = Services.CreateAsyncScope())
            {
                scope.ServiceProvider.GetRequiredService<TenantContext>().Use(tenantId ?? DemoData.ContosoId);
                await using var db = scope.ServiceProvider.GetRequiredService<IAgentConsoleDbFactory>().Create();
                if (await read(db) is { } found)
                {
                    return found;
                }
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("The pipeline did not produce the expected state in time.");
            }

            await Task.Delay(100);
        }
    }

    /// <summary>The id of a seeded queue, e.g. <c>pricing-t1</c>.</summary>
    public static Guid QueueId(string key, Guid? tenantId = null) => DemoData.QueueId(tenantId ?? DemoData.ContosoId, key);

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        TestPaths.TryDelete(_directory);
    }
}
