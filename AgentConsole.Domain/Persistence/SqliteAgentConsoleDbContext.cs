using AgentConsole.Domain.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace AgentConsole.Domain.Persistence;

/// <summary>The SQLite flavour of the domain database; owns the migrations in <c>Migrations/Sqlite</c>.</summary>
public sealed class SqliteAgentConsoleDbContext(DbContextOptions<SqliteAgentConsoleDbContext> options, ITenantContext tenant)
    : AgentConsoleDbContext(options, tenant)
{
    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // SQLite has no date-time-offset type: stored as sortable integers so queries can compare and order them.
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<DateTimeOffsetToBinaryConverter>();
        configurationBuilder.Properties<DateTimeOffset?>().HaveConversion<DateTimeOffsetToBinaryConverter>();
    }
}

/// <summary>Lets <c>dotnet ef</c> build the SQLite model without a host.</summary>
internal sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteAgentConsoleDbContext>
{
    public SqliteAgentConsoleDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteAgentConsoleDbContext>().UseSqlite("Data Source=design-time.db").Options, new TenantContext());
}
