using System.Data.Common;
using AgentConsole.Domain;
using AgentConsole.Domain.Audit;
using AgentConsole.Domain.Persistence;
using AgentConsole.Domain.Pipelines;
using AgentConsole.Domain.Tenancy;
using AgentConsole.Jobs.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AgentConsole.Jobs.Audit;

/// <summary>
/// <c>verify-audit [--tenant slug]</c>: verifies the audit chains (every tenant's, or one) against their signed
/// checkpoints, for schedulers, with the same settings as the hosts (appsettings.json, environment, command line).
/// Prints one line per tenant that is intact and one line per finding otherwise, keeps each run in the console's
/// verification history, and exits with <see cref="Intact"/>, <see cref="TamperingFound"/> or <see cref="CouldNotVerify"/>.
/// It never migrates the database, seals entries or generates a key.
/// </summary>
public static class VerifyAuditCommand
{
    public const string Name = "verify-audit";

    /// <summary>Every chain checked is intact.</summary>
    public const int Intact = 0;

    /// <summary>At least one finding; each is a line on standard output.</summary>
    public const int TamperingFound = 1;

    /// <summary>Verification could not run (settings, key, database, unknown tenant); the reason is on standard error.</summary>
    public const int CouldNotVerify = 2;

    private const string Usage =
        "Usage: verify-audit [--tenant <slug>] [--Setting:Name=value …]\n"
        + "Verifies the audit chains against their signed checkpoints. Exit code 0: intact; 1: tampering found (one line per finding); 2: could not verify.";

    public static bool Matches(string[] args) => args.Length > 0 && args[0] == Name;

    /// <summary>Runs the command; <paramref name="args"/> are those after <c>verify-audit</c>.</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter? output = null, TextWriter? error = null, CancellationToken cancellationToken = default)
    {
        output ??= Console.Out;
        error ??= Console.Error;
        if (args.Contains("--help") || args.Contains("-h"))
        {
            await output.WriteLineAsync(Usage);
            return Intact;
        }

        var tenantAt = Array.IndexOf(args, "--tenant");
        if (tenantAt >= 0 && tenantAt + 1 >= args.Length)
        {
            await error.WriteLineAsync("verify-audit: --tenant needs a tenant's slug, e.g. --tenant contoso.");
            return CouldNotVerify;
        }

        var slug = tenantAt >= 0 ? args[tenantAt + 1] : null;
        var settings = tenantAt >= 0 ? [.. args[..tenantAt], .. args[(tenantAt + 2)..]] : args;
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = settings });
        builder.Configuration.AddAgentConsoleSettings();
        builder.Logging.ClearProviders().AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace).AddFilter(level => level >= LogLevel.Error);
        builder.AddAgentConsoleDomain();
        builder.Services.AddSingleton<IPipelineScheduler, NoJobs>();
        using var host = builder.Build();
        try
        {
            return await VerifyAsync(host.Services, slug, output, error, cancellationToken);
        }
        catch (OptionsValidationException ex)
        {
            await error.WriteLineAsync($"verify-audit: {string.Join(" ", ex.Failures)}");
        }
        catch (Exception ex) when (ex is DbException or InvalidOperationException { InnerException: DbException } || DatabaseFailures.IsUnavailable(ex))
        {
            var provider = host.Services.GetRequiredService<DatabaseProvider>();
            await error.WriteLineAsync($"verify-audit: cannot read the {provider.Name} database ({provider.Target}): {ex.GetBaseException().Message}");
        }

        return CouldNotVerify;
    }

    private static async Task<int> VerifyAsync(IServiceProvider services, string? slug, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        _ = services.GetRequiredService<IOptions<DatabaseOptions>>().Value;
        _ = services.GetRequiredService<IOptions<AuditOptions>>().Value;
        services.GetRequiredService<CheckpointKeys>().NeverGenerate();
        var provider = services.GetRequiredService<DatabaseProvider>();
        List<(Guid Id, string Slug)> tenants;
        await using (var db = provider.Create(new TenantContext()))
        {
            var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
            if (pending.Count > 0)
            {
                await error.WriteLineAsync($"verify-audit: the {provider.Name} database ({provider.Target}) has a schema older than this version ({pending.Count} migration(s) not applied): start the console once, or apply them.");
                return CouldNotVerify;
            }

            tenants = [.. (await db.Tenants.AsNoTracking().Where(t => slug == null || t.Slug == slug).OrderBy(t => t.Slug).Select(t => new { t.Id, t.Slug }).ToListAsync(cancellationToken))
                .Select(t => (t.Id, t.Slug))];
        }

        if (tenants.Count == 0)
        {
            await error.WriteLineAsync(slug is null ? "verify-audit: the database has no tenants." : $"verify-audit: there is no tenant '{slug}'.");
            return CouldNotVerify;
        }

        var verifier = services.GetRequiredService<AuditVerifier>();
        var exit = Intact;
        foreach (var (id, tenant) in tenants)
        {
            var run = await verifier.VerifyTenantAsync(id, Actor.System(id, "verify-audit command"), cancellationToken);
            switch (run.Outcome)
            {
                case AuditVerificationOutcome.Intact:
                    await output.WriteLineAsync($"{tenant}: intact, {run.EntriesChecked:#,0} entries and {run.CheckpointsChecked:#,0} checkpoints checked");
                    break;
                case AuditVerificationOutcome.Tampered:
                    foreach (var finding in run.Findings)
                    {
                        await output.WriteLineAsync($"{tenant}: {finding.Line}");
                    }

                    if (run.FindingCount > run.Findings.Count)
                    {
                        await output.WriteLineAsync($"{tenant}: … and {run.FindingCount - run.Findings.Count:#,0} more findings");
                    }

                    exit = TamperingFound;
                    break;
                default:
                    await error.WriteLineAsync($"{tenant}: verification stopped: {run.Problem}");
                    exit = exit == TamperingFound ? exit : CouldNotVerify;
                    break;
            }
        }

        return exit;
    }

    /// <summary>The command reads and verifies; it never hands work to the job system.</summary>
    private sealed class NoJobs : IPipelineScheduler
    {
        public void EnqueueRun(Guid tenantId, Guid runId) => throw new InvalidOperationException("The verify-audit command schedules no jobs.");

        public void EnqueueExecution(Guid tenantId, Guid decisionId) => throw new InvalidOperationException("The verify-audit command schedules no jobs.");
    }
}
