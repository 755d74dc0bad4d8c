using AgentConsole.Domain.Persistence;
using AgentConsole.Domain.Tenancy;
using AgentConsole.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.Options;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace AgentConsole.Tests.MultiNode;

/// <summary>A host with a wrong setting stops at start-up with one line that says what is wrong.</summary>
public sealed class StartupCheckTests : IAsyncLifetime
{
    private readonly string _directory = TestPaths.NewDirectory("startup");

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        TestPaths.TryDelete(_directory);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task AWrongDatabasePassword_IsNamed()
    {
        var output = await FailedStartAsync(web: true, new()
        {
            ["Database:Provider"] = "PostgreSql",
            ["Database:ConnectionString"] = "Host=127.0.0.1;Database=postgres;Username=agentconsole;Password=wrong-password",
        });

        Assert.Contains("AgentConsole cannot start: Cannot reach the PostgreSql database (host 127.0.0.1:5432, database postgres, user agentconsole)", output, StringComparison.Ordinal);
        Assert.Contains("password authentication failed", output, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong-password", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnUnreadableConnectionString_IsNamed()
    {
        var output = await FailedStartAsync(web: true, new()
        {
            ["Database:Provider"] = "PostgreSql",
            ["Database:ConnectionString"] = "Hots=localhost;;=x",
        });

        Assert.Contains("AgentConsole cannot start: Database:ConnectionString is not a valid PostgreSql connection string", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnUnreachableRedis_IsNamed_ByTheWorkerToo()
    {
        var output = await FailedStartAsync(web: false, new()
        {
            ["ScaleOut:Redis"] = "127.0.0.1:1",
            ["ScaleOut:StartupTimeoutSeconds"] = "2",
        });

        Assert.Contains("AgentConsole cannot start: Redis at 127.0.0.1:1 is unreachable", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ASchemaOlderThanTheCode_IsNamed_WhenMigrationsAreNotAppliedAtStartUp()
    {
        var connectionString = $"Data Source={Path.Combine(_directory, "old.db")}";
        string latest;
        await using (var db = new DatabaseProvider(Options.Create(new DatabaseOptions { ConnectionString = connectionString })).Create(new TenantContext()))
        {
            var migrations = db.Database.GetMigrations().ToList();
            latest = migrations[^1];
            await db.GetService<IMigrator>().MigrateAsync(migrations[^2]);
        }

        var output = await FailedStartAsync(web: true, new()
        {
            ["Database:ConnectionString"] = connectionString,
            ["Database:MigrateOnStart"] = "false",
        });

        Assert.Contains("has a schema older than this version of AgentConsole: 1 migration(s) not applied", output, StringComparison.Ordinal);
        Assert.Contains(latest, output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Production_WithTheDemoSignIn_RefusesToStart_SayingWhatToSet()
    {
        var output = await FailedStartAsync(web: true, Production(new() { ["Demo:Enabled"] = "false" }));

        Assert.Contains("AgentConsole cannot start: Authentication:Mode is Demo, which Production refuses: set Authentication:Mode to EntraId", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Production_WithSingleSignOnHalfSetUp_NamesWhatIsMissing()
    {
        var output = await FailedStartAsync(web: true, Production(new() { ["Demo:Enabled"] = "false", ["Authentication:Mode"] = "Oidc" }));

        Assert.Contains(
            "AgentConsole cannot start: Authentication:Mode is Oidc, but Authentication:Oidc:Authority, Authentication:Oidc:ClientId, Authentication:Tenants (at least one ProviderTenant and ConsoleTenant) are not set",
            output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Production_WithEntraIdWithoutItsSettings_NamesThem()
    {
        var output = await FailedStartAsync(web: true, Production(new()
        {
            ["Demo:Enabled"] = "false",
            ["Authentication:Mode"] = "EntraId",
            ["Authentication:Tenants:0:ProviderTenant"] = "72f988bf-86f1-41af-91ab-2d7cd011db47",
            ["Authentication:Tenants:0:ConsoleTenant"] = "contoso",
        }));

        Assert.Contains("AgentConsole cannot start: Authentication:Mode is EntraId, but AzureAd:TenantId, AzureAd:ClientId are not set", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Production_WithEntraIdSetUp_Starts_AndOffersMicrosoftSignIn_AndNoDemoUsers()
    {
        var settings = Production(new()
        {
            ["Database:ConnectionString"] = $"Data Source={Path.Combine(_directory, "entra.db")}",
            ["Jobs:ConnectionString"] = Path.Combine(_directory, "entra-hangfire.db"),
            ["Demo:Enabled"] = "false",
            ["Demo:Feed"] = "false",
            ["Authentication:Mode"] = "EntraId",
            ["AzureAd:Instance"] = "https://login.microsoftonline.com/",
            ["AzureAd:TenantId"] = "72f988bf-86f1-41af-91ab-2d7cd011db47",
            ["AzureAd:ClientId"] = "5d6a8f1e-3c2b-4a7d-9e8f-1a2b3c4d5e6f",
            ["AzureAd:ClientSecret"] = "not-a-real-secret",
            ["Authentication:Tenants:0:ProviderTenant"] = "72f988bf-86f1-41af-91ab-2d7cd011db47",
            ["Authentication:Tenants:0:ConsoleTenant"] = "contoso",
            ["Authentication:Tenants:0:Name"] = "Contoso Ltd",
            ["Audit:CheckpointKey"] = TestKeys.CheckpointKey,
            ["Certifications:CodeKey"] = TestKeys.CertificateCodeKey,
        });
        await using var node = NodeProcess.StartWeb("entra", settings);
        await node.WaitUntilReadyAsync(TimeSpan.FromSeconds(60));
        using var http = new HttpClient { BaseAddress = node.Address };

        var page = await http.GetStringAsync(new Uri("/account/login", UriKind.Relative));
        var login = await http.GetAsync(new Uri("/api/queues", UriKind.Relative));

        Assert.Contains("Sign in with Microsoft", page, StringComparison.Ordinal);
        Assert.DoesNotContain("demo-user-operator", page, StringComparison.Ordinal);
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, login.StatusCode);
        Assert.DoesNotContain("not-a-real-secret", node.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Production_WithoutACheckpointKey_RefusesToStart_SayingWhatToSet()
    {
        var output = await FailedStartAsync(web: false, Production(new() { ["Demo:Enabled"] = "false" }));

        Assert.Contains("AgentConsole cannot start: Audit:CheckpointKey is not set: Production signs the audit checkpoints with a key from configuration. Set Audit:CheckpointKey", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AMalformedCheckpointKey_IsNamed()
    {
        var output = await FailedStartAsync(web: false, new() { ["Audit:CheckpointKey"] = "not-a-key" });

        Assert.Contains("AgentConsole cannot start: Audit:CheckpointKey is not an Ed25519 private key", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Production_WithoutACertificateCodeKey_RefusesToStart_SayingWhatToSet()
    {
        var output = await FailedStartAsync(web: false, Production(new() { ["Demo:Enabled"] = "false", ["Audit:CheckpointKey"] = TestKeys.CheckpointKey }));

        Assert.Contains("Certifications:CodeKey is not set: Production derives certificate verification codes with a key from configuration.", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AShortCertificateCodeKey_IsNamed()
    {
        var output = await FailedStartAsync(web: false, new() { ["Certifications:CodeKey"] = Convert.ToBase64String(new byte[16]) });

        Assert.Contains("Certifications:CodeKey is not at least 32 bytes in base64", output, StringComparison.Ordinal);
    }

    private static Dictionary<string, string?> Production(Dictionary<string, string?> settings)
    {
        settings["ASPNETCORE_ENVIRONMENT"] = "Production";
        settings["DOTNET_ENVIRONMENT"] = "Production";
        return settings;
    }

    private async Task<string> FailedStartAsync(bool web, Dictionary<string, string?> settings)
    {
        var all = new Dictionary<string, string?>
        {
            ["Database:ConnectionString"] = $"Data Source={Path.Combine(_directory, "agentconsole.db")}",
            ["Database:StartupTimeoutSeconds"] = "2",
            ["Jobs:ConnectionString"] = Path.Combine(_directory, "hangfire.db"),
            ["Demo:Feed"] = "false",
            ["Demo:HistoryDecisions"] = "0",
            ["Audit:CheckpointDirectory"] = Path.Combine(_directory, "checkpoints"),
            ["Audit:CheckpointKeyFile"] = Path.Combine(_directory, "audit-checkpoint.key"),
        };
        foreach (var (key, value) in settings)
        {
            all[key] = value;
        }

        await using var node = web ? NodeProcess.StartWeb("web", all) : NodeProcess.StartWorker("worker", all);
        var exitCode = await node.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(1, exitCode);
        return node.Output;
    }
}
