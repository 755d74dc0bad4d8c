using AgentConsole.Domain.Audit;
using AgentConsole.Domain.Persistence;
using AgentConsole.Jobs.ScaleOut;
using Hangfire;
using Microsoft.Extensions.Options;

namespace AgentConsole.Jobs.Hosting;

/// <summary>
/// What a host verifies before it serves anything: the audit checkpoint key, the certificate code key, the database (reachable,
/// schema as the code expects, migrated when allowed), the job storage, and Redis when scaled out. A
/// problem stops the host with one line that says what is wrong, instead of failing later.
/// </summary>
public static class StartupChecks
{
    /// <summary>True when the host may start; otherwise the problem has been logged and written to standard error.</summary>
    public static async Task<bool> StartupChecksPassAsync(this IServiceProvider services, CancellationToken cancellationToken = default)
    {
        try
        {
            CheckAuditKey(services);

            // Certificate codes are derived with a key from configuration in Production: validated (and refused in one line) here.
            _ = services.GetRequiredService<IOptions<Domain.Training.Certifications.CertificationOptions>>().Value;
            await services.InitializeDatabaseAsync(cancellationToken);
            CheckJobStorage(services);
            await CheckRedisAsync(services, cancellationToken);
            return true;
        }
        catch (StartupCheckException ex)
        {
            await ReportAsync(services, ex.Message, ex.InnerException);
            return false;
        }
        catch (OptionsValidationException ex)
        {
            await ReportAsync(services, string.Join(" ", ex.Failures), null);
            return false;
        }
    }

    /// <summary>Says in one line, on standard error and in the log, why the host cannot start.</summary>
    public static async Task ReportAsync(IServiceProvider services, string problem, Exception? cause = null)
    {
        services.GetRequiredService<ILoggerFactory>().CreateLogger("AgentConsole.Startup").LogCritical(cause, "AgentConsole cannot start: {Problem}", problem);
        await Console.Error.WriteLineAsync($"AgentConsole cannot start: {problem}");
    }

    /// <summary>Every host may write checkpoints (the recurring job, on demand), so it needs the private key.</summary>
    private static void CheckAuditKey(IServiceProvider services)
    {
        var keys = services.GetRequiredService<CheckpointKeys>();
        try
        {
            if (!keys.CanSign)
            {
                throw new StartupCheckException(
                    "Audit:CheckpointKey is not set: this host writes audit checkpoints, and Audit:CheckpointPublicKey alone only verifies them. Set Audit:CheckpointKey.");
            }
        }
        catch (CheckpointKeyException ex)
        {
            throw new StartupCheckException(ex.Message, ex);
        }
    }

    private static void CheckJobStorage(IServiceProvider services)
    {
        var jobs = services.GetRequiredService<IOptions<JobsOptions>>().Value;
        var database = services.GetRequiredService<IOptions<DatabaseOptions>>().Value;
        try
        {
            using var connection = services.GetRequiredService<JobStorage>().GetConnection();
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            var target = jobs.Storage is JobStorages.SqlServer or JobStorages.PostgreSql
                ? DatabaseProviders.Describe(jobs.Storage, HangfireStorage.ConnectionString(jobs, database))
                : HangfireStorage.ConnectionString(jobs, database);
            throw new StartupCheckException($"Cannot open the {jobs.Storage} job storage ({target}): {ex.Message}", ex);
        }
    }

    private static async Task CheckRedisAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        if (services.GetService<RedisConnection>() is not { } redis)
        {
            return;
        }

        var timeout = TimeSpan.FromSeconds(services.GetRequiredService<IOptions<ScaleOutOptions>>().Value.StartupTimeoutSeconds);
        if (await redis.CheckAsync(timeout, cancellationToken) is { } problem)
        {
            throw new StartupCheckException($"{problem}. Nodes cannot share live updates without it: start Redis or correct ScaleOut:Redis.");
        }
    }
}
