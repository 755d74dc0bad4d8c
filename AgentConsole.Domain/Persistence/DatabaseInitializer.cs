using AgentConsole.Domain.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AgentConsole.Domain.Persistence;

/// <summary>Creates and migrates the database at start-up and seeds the demo tenants when enabled.</summary>
public static class DatabaseInitializer
{
    public static async Task InitializeDatabaseAsync(this IServiceProvider services, CancellationToken cancellationToken = default)
    {
        var provider = services.GetRequiredService<DatabaseProvider>();
        var options = services.GetRequiredService<IOptions<DatabaseOptions>>().Value;
        var demo = services.GetRequiredService<IOptions<DemoOptions>>().Value;
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(DatabaseInitializer));
        await using var db = provider.Create(new TenantContext());
        if (options.MigrateOnStart)
        {
            var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
            if (pending.Count > 0)
            {
                logger.LogInformation("Applying {Count} migrations to the {Provider} database: {Migrations}", pending.Count, provider.Name, string.Join(", ", pending));
                await db.Database.MigrateAsync(cancellationToken);
            }
        }

        if (demo.Enabled)
        {
            await DemoData.SeedAsync(db, services.GetRequiredService<TimeProvider>(), cancellationToken);
        }
    }
}
