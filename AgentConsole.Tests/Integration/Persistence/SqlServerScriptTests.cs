using System.Text.RegularExpressions;
using AgentConsole.Domain.Persistence;
using AgentConsole.Domain.Tenancy;
using AgentConsole.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.SqlServer.TransactSql.ScriptDom;

namespace AgentConsole.Tests.Integration.Persistence;

/// <summary>
/// SQL Server cannot run on the test machines, so its migrations are checked as a script: generated
/// from the migrations, parsed as T-SQL, guarded per migration, and identical to the shipped script.
/// </summary>
public sealed partial class SqlServerScriptTests
{
    private static readonly string Script = GenerateScript();

    [Fact]
    public void Script_ParsesAsTSql_WithoutErrors()
    {
        var parser = new TSql160Parser(initialQuotedIdentifiers: true);

        var fragment = parser.Parse(new StringReader(Script), out var errors);

        Assert.Empty(errors.Select(e => $"line {e.Line}, column {e.Column}: {e.Message}"));
        Assert.True(((TSqlScript)fragment).Batches.Count > 1);
    }

    [Fact]
    public void Script_IsIdempotent_EveryMigrationIsGuardedAndRecorded()
    {
        using var db = CreateContext();
        var migrations = db.Database.GetMigrations().ToList();

        Assert.NotEmpty(migrations);
        foreach (var migration in migrations)
        {
            var guards = Regex.Count(Script, $@"IF NOT EXISTS \(\s*SELECT \* FROM \[__EFMigrationsHistory\]\s*WHERE \[MigrationId\] = N'{migration}'\s*\)");
            Assert.True(guards > 0, $"Migration {migration} is not guarded by a history check.");
            Assert.Contains($"VALUES (N'{migration}'", Script, StringComparison.Ordinal);
        }

        Assert.Contains("IF OBJECT_ID(N'[__EFMigrationsHistory]') IS NULL", Script, StringComparison.Ordinal);
    }

    [Fact]
    public void Script_CreatesEveryTableOfTheModel_WithSqlServerTypesOnly()
    {
        using var db = CreateContext();
        var tables = db.Model.GetEntityTypes().Select(e => e.GetTableName()).Distinct().ToList();

        foreach (var table in tables)
        {
            Assert.Contains($"CREATE TABLE [{table}]", Script, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("AUTOINCREMENT", Script, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("timestamp with time zone", Script, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("ON DELETE CASCADE", Script, StringComparison.Ordinal);
        Assert.Matches(DateTimeOffsetColumn(), Script);
    }

    [Fact]
    public void ShippedScript_MatchesTheMigrations()
    {
        var shipped = File.ReadAllText(Path.Combine(TestPaths.RepositoryRoot, "deploy", "sqlserver", "AgentConsole.sql"));

        Assert.True(
            Normalize(shipped) == Normalize(Script),
            "deploy/sqlserver/AgentConsole.sql is out of date: regenerate it with `bash scripts/sqlserver-script.sh`.");
    }

    private static SqlServerAgentConsoleDbContext CreateContext() =>
        new(new DbContextOptionsBuilder<SqlServerAgentConsoleDbContext>().UseSqlServer("Server=localhost;Database=AgentConsole;Integrated Security=true").Options, new TenantContext());

    private static string GenerateScript()
    {
        using var db = CreateContext();
        var script = db.GetService<IMigrator>().GenerateScript(options: MigrationsSqlGenerationOptions.Idempotent);
        File.WriteAllText(Path.Combine(TestPaths.ArtifactsDirectory("sql"), "sqlserver-idempotent.sql"), script);
        return script;
    }

    private static string Normalize(string script) => script.TrimStart('\uFEFF').ReplaceLineEndings("\n").Trim();

    [GeneratedRegex(@"\[\w+\] datetimeoffset NOT NULL")]
    private static partial Regex DateTimeOffsetColumn();
}
