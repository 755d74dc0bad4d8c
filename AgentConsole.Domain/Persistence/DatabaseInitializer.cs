using System.Data.Common;
using AgentConsole.Domain.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AgentConsole.Domain.Persistence;

/// <summary>A dependency the host cannot start without is missing or wrong; the message says which and what to do.</summary>
public sealed class StartupCheckException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// Checks the database at start-up, migrates it when allowed, seals audit entries written before the audit chain
/// existed, and seeds the demo tenants when enabled.
/// </summary>
public static class DatabaseInitializer
{
    public static async Task InitializeDatabaseAsync(this IServiceProvider services, CancellationToken cancellationToken = default)
    {
        var provider = services.GetRequiredService<DatabaseProvider>();
        var options = services.GetRequiredService<IOptions<DatabaseOptions>>().Value;
        var demo = services.GetRequiredService<IOptions<DemoOptions>>().Value;
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(DatabaseInitializer));
        await using var db = provider.Create(new TenantContext());

        await WaitUntilReachableAsync(db, provider, TimeSpan.FromSeconds(options.StartupTimeoutSeconds), logger, cancellationToken);
        var known = db.Database.GetMigrations().ToHashSet(StringComparer.Ordinal);
        var applied = (await db.Database.GetAppliedMigrationsAsync(cancellationToken)).ToList();
        if (applied.FirstOrDefault(m => !known.Contains(m)) is { } unknown)
        {
            throw new StartupCheckException(
                $"The {provider.Name} database ({provider.Target}) has a newer schema than this version of AgentConsole: migration {unknown} is unknown here. Run the version that matches the database.");
        }

        var pending = known.Except(applied, StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        if (pending.Count > 0 && !options.MigrateOnStart)
        {
            throw new StartupCheckException(
                $"The {provider.Name} database ({provider.Target}) has a schema older than this version of AgentConsole: {pending.Count} migration(s) not applied ({string.Join(", ", pending)}). " +
                "Apply them (for SQL Server: deploy/sqlserver/AgentConsole.sql) or set Database:MigrateOnStart=true.");
        }

        if (pending.Count > 0)
        {
            logger.LogInformation("Applying {Count} migrations to the {Provider} database: {Migrations}", pending.Count, provider.Name, string.Join(", ", pending));
            await MigrateAsync(db, cancellationToken);
        }

        // Entries written before the audit chain existed are sealed before anything writes a new one.
        await Audit.AuditBackfill.SealAsync(provider, logger, cancellationToken);

        if (demo.Enabled)
        {
            await DemoData.SeedAsync(db, services.GetRequiredService<TimeProvider>(), cancellationToken);
            await Training.Certifications.DemoCertifications.SeedAsync(db, services.GetRequiredService<Training.Certifications.CertificateCodes>(), services.GetRequiredService<TimeProvider>(), cancellationToken);
        }

        await Policies.DefaultPolicies.InstallMissingAsync(db, services.GetRequiredService<TimeProvider>(), cancellationToken);
        if (demo.Enabled)
        {
            await SeedTrainingAsync(services, cancellationToken);
        }

        if (demo.Enabled && demo.HistoryDecisions > 0)
        {
            await SeedHistoryAsync(services, demo, logger, cancellationToken);
        }
    }

    private static async Task SeedTrainingAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        foreach (var tenantId in new[] { DemoData.ContosoId, DemoData.FabrikamId })
        {
            var tenant = new TenantContext();
            tenant.Use(tenantId);
            await using var tenantDb = services.GetRequiredService<DatabaseProvider>().Create(tenant);
            try
            {
                await Training.Tracks.DemoTracks.SeedAsync(tenantDb, services.GetRequiredService<Agents.AgentRegistry>(), tenantId,
                    services.GetRequiredService<TimeProvider>().GetUtcNow(), cancellationToken);
            }
            catch (DbUpdateException)
            {
                // Another node starting at the same moment seeded them first (the ids are deterministic).
                tenantDb.ChangeTracker.Clear();
            }
        }

        try
        {
            await Training.Sessions.DemoSessions.SeedAsync(services, DemoData.ContosoId, cancellationToken);
        }
        catch (DomainException)
        {
            // Another node starting at the same moment is seeding them.
        }
    }

    private static async Task SeedHistoryAsync(IServiceProvider services, DemoOptions demo, ILogger logger, CancellationToken cancellationToken)
    {
        // The history is the demo tenant's own: read and written through its tenant filter.
        var tenant = new TenantContext();
        tenant.Use(DemoData.ContosoId);
        await using var tenantDb = services.GetRequiredService<DatabaseProvider>().Create(tenant);
        try
        {
            var added = await DemoHistory.SeedAsync(tenantDb, services.GetRequiredService<Agents.AgentRegistry>(), services.GetRequiredService<Policies.PolicyCache>(),
                DemoData.ContosoId, demo.HistoryDecisions, demo.HistoryDays, services.GetRequiredService<TimeProvider>(), seed: 20261124, cancellationToken);
            if (added > 0)
            {
                logger.LogInformation("Added {Count} past decisions over {Days} days to the demo tenant", added, demo.HistoryDays);
            }

            // The demo's past has gold answers too (calibration), answered through the same path as live ones.
            var gold = await Training.Calibration.DemoCalibration.SeedAsync(services, DemoData.ContosoId, Math.Min(demo.HistoryDays, 14), cancellationToken);
            if (gold > 0)
            {
                logger.LogInformation("Answered {Count} past gold items in the demo tenant", gold);
            }
        }
        catch (DbUpdateException)
        {
            // Another node starting at the same moment added them first (the ids are deterministic).
            tenantDb.ChangeTracker.Clear();
        }
    }

    /// <summary>
    /// Applies pending migrations, one node at a time. EF's own migration lock on PostgreSQL lasts
    /// one migration's transaction, so two nodes could apply the second of two pending migrations
    /// together; a session-level advisory lock held across the whole run keeps them apart.
    /// </summary>
    public static async Task MigrateAsync(AgentConsoleDbContext db, CancellationToken cancellationToken = default)
    {
        if (!db.Database.IsNpgsql())
        {
            await db.Database.MigrateAsync(cancellationToken);
            return;
        }

        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await db.Database.ExecuteSqlRawAsync("SELECT pg_advisory_lock(7410230911)", cancellationToken);
            try
            {
                await db.Database.MigrateAsync(cancellationToken);
            }
            finally
            {
                await db.Database.ExecuteSqlRawAsync("SELECT pg_advisory_unlock(7410230911)", CancellationToken.None);
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private static async Task WaitUntilReachableAsync(AgentConsoleDbContext db, DatabaseProvider provider, TimeSpan timeout, ILogger logger, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + timeout;
        var attempt = 0;
        while (true)
        {
            try
            {
                await db.Database.OpenConnectionAsync(cancellationToken);
                await db.Database.CloseConnectionAsync();
                return;
            }
            catch (Exception ex) when (ex is DbException or InvalidOperationException or TimeoutException)
            {
                if (DateTime.UtcNow >= deadline || !IsTransient(ex))
                {
                    throw new StartupCheckException($"Cannot reach the {provider.Name} database ({provider.Target}): {ex.GetBaseException().Message}", ex);
                }

                if (attempt++ == 0)
                {
                    logger.LogWarning("The {Provider} database ({Target}) does not answer yet ({Message}); retrying for up to {Seconds} s", provider.Name, provider.Target, ex.Message, timeout.TotalSeconds);
                }

                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
            }
        }
    }

    // A refused connection may be a server still starting; bad credentials or a missing database are not.
    private static bool IsTransient(Exception ex) =>
        ex is TimeoutException || ex.InnerException is System.Net.Sockets.SocketException || (ex is DbException db && db.IsTransient) ||
        ex.Message.Contains("Connection refused", StringComparison.OrdinalIgnoreCase) ||
        ex.Message.Contains("starting up", StringComparison.OrdinalIgnoreCase);
}
