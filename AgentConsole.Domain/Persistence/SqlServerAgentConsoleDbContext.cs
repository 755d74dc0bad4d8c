using AgentConsole.Domain.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace AgentConsole.Domain.Persistence;

/// <summary>The SQL Server flavour of the domain database; owns the migrations in <c>Migrations/SqlServer</c>.</summary>
public sealed class SqlServerAgentConsoleDbContext(DbContextOptions<SqlServerAgentConsoleDbContext> options, ITenantContext tenant)
    : AgentConsoleDbContext(options, tenant)
{
    protected override string QuoteColumn(string name) => $"[{name}]";
}

/// <summary>Lets <c>dotnet ef</c> build the SQL Server model and script without a server.</summary>
internal sealed class SqlServerDesignTimeFactory : IDesignTimeDbContextFactory<SqlServerAgentConsoleDbContext>
{
    public SqlServerAgentConsoleDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqlServerAgentConsoleDbContext>().UseSqlServer("Server=localhost;Database=AgentConsole;Integrated Security=true").Options, new TenantContext());
}
