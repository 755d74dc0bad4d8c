using AgentConsole.Domain.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace AgentConsole.Domain.Persistence;

/// <summary>The PostgreSQL flavour of the domain database; owns the migrations in <c>Migrations/PostgreSql</c>.</summary>
public sealed class PostgreSqlAgentConsoleDbContext(DbContextOptions<PostgreSqlAgentConsoleDbContext> options, ITenantContext tenant)
    : AgentConsoleDbContext(options, tenant);

/// <summary>Lets <c>dotnet ef</c> build the PostgreSQL model without a server.</summary>
internal sealed class PostgreSqlDesignTimeFactory : IDesignTimeDbContextFactory<PostgreSqlAgentConsoleDbContext>
{
    public PostgreSqlAgentConsoleDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgreSqlAgentConsoleDbContext>().UseNpgsql("Host=localhost;Database=agentconsole").Options, new TenantContext());
}
