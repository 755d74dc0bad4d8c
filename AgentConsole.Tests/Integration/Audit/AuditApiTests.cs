using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using AgentConsole.Domain.Audit;
using AgentConsole.Domain.Persistence;
using AgentConsole.Domain.Tenancy;
using AgentConsole.Tests.Infrastructure;
using CsvHelper;
using Microsoft.Extensions.DependencyInjection;

namespace AgentConsole.Tests.Integration.Audit;

/// <summary>
/// <c>GET /api/audit/entries</c> and <c>/export</c> on the real host: paged search, every malformed field named in a
/// ProblemDetails, only the caller's tenant, and exports in CSV and JSON Lines that keep every character of a reason.
/// </summary>
public sealed class AuditApiTests(AuditApiTests.Host host) : IClassFixture<AuditApiTests.Host>
{
    /// <summary>A reason with everything a CSV or JSON writer must escape, and letters from outside ASCII.</summary>
    public const string Awkward = "Comma, \"quoted\" word,\nsecond line; naïve café — 日本語 ✓ =SUM(A1)";

    private ConsoleFactory Factory => host.Factory;

    private static Uri Api(string path) => new(path, UriKind.Relative);

    private Task<HttpClient> AuditorAsync() => Factory.SignInAsync("auditor");

    [Fact]
    public async Task Search_AnswersAPageNewestFirst_WithTheTotal_AndFilters()
    {
        var client = await AuditorAsync();

        var first = await client.GetFromJsonAsync<JsonElement>("/api/audit/entries?actor=Host%20Auditor&pageSize=2");
        var second = await client.GetFromJsonAsync<JsonElement>("/api/audit/entries?actor=Host%20Auditor&pageSize=2&page=2");
        var byAction = await client.GetFromJsonAsync<JsonElement>("/api/audit/entries?action=audit-test.*&text=SECOND%20LINE");

        Assert.Equal((3, 2, 2), (first.GetProperty("total").GetInt32(), first.GetProperty("pages").GetInt32(), first.GetProperty("entries").GetArrayLength()));
        Assert.Equal(["audit-test.third", "audit-test.second"], first.GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("action").GetString()));
        Assert.Equal(["audit-test.first"], second.GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("action").GetString()));
        var match = Assert.Single(byAction.GetProperty("entries").EnumerateArray());
        Assert.Equal(Awkward, match.GetProperty("reason").GetString());
        Assert.Equal("""{"note":"before"}""", match.GetProperty("before").GetString());
    }

    [Fact]
    public async Task AMalformedSearch_IsAProblemNamingEachField_AndSoIsAnExportOfIt()
    {
        var client = await AuditorAsync();

        var search = await client.GetAsync(Api("/api/audit/entries?from=2026-02-30&to=2026-01-01&entityType=decision&entityId=nope"));
        var export = await client.GetAsync(Api("/api/audit/entries/export?format=xml&from=2026-11-20&to=2026-11-01"));
        var pageSize = await client.GetAsync(Api("/api/audit/entries?pageSize=5000"));
        var page = await client.GetAsync(Api("/api/audit/entries?page=first"));

        Assert.Equal(HttpStatusCode.BadRequest, search.StatusCode);
        Assert.Equal("application/problem+json", search.Content.Headers.ContentType?.MediaType);
        var problem = await search.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("audit.search-invalid", problem.GetProperty("code").GetString());
        Assert.Equal(["entityId", "from"], problem.GetProperty("errors").EnumerateObject().Select(p => p.Name).Order());
        Assert.Equal(HttpStatusCode.BadRequest, export.StatusCode);
        Assert.Equal("The end (2026-11-01) comes before the start (2026-11-20): swap them.",
            (await export.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("to")[0].GetString());
        Assert.Equal("From 1 to 200.", (await pageSize.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("pageSize")[0].GetString());
        Assert.Equal(HttpStatusCode.BadRequest, page.StatusCode);
        Assert.Equal("Must be a whole number.", (await page.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("page")[0].GetString());
    }

    [Fact]
    public async Task AnAbsurdRange_IsRefusedSayingTheLimit_WhileAnOpenEndAtTheCalendarsLastDayIsSearched()
    {
        var client = await AuditorAsync();

        var whole = await client.GetAsync(Api("/api/audit/entries/export?from=0001-01-01&to=9999-12-31"));
        var openEnd = await client.GetAsync(Api("/api/audit/entries?to=9999-12-31&actor=Host%20Auditor"));

        Assert.Equal(HttpStatusCode.BadRequest, whole.StatusCode);
        Assert.Equal("This range spans 9,998 years; a search covers at most 10. Leave 'from' empty to search from the first entry.",
            (await whole.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("to")[0].GetString());
        openEnd.EnsureSuccessStatusCode();
        Assert.Equal(3, (await openEnd.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task AnActionNoEntryHas_IsAProblemListingTheRecordedActions_ForSearchAndExport()
    {
        var client = await AuditorAsync();

        var search = await client.GetAsync(Api("/api/audit/entries?action=audit-test.fourth"));
        var export = await client.GetAsync(Api("/api/audit/entries/export?action=no-such.*"));

        Assert.Equal((HttpStatusCode.BadRequest, HttpStatusCode.BadRequest), (search.StatusCode, export.StatusCode));
        var problem = await search.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("audit.action-unknown", problem.GetProperty("code").GetString());
        var message = problem.GetProperty("errors").GetProperty("action")[0].GetString()!;
        Assert.StartsWith("No entry has the action 'audit-test.fourth'. Actions recorded: ", message, StringComparison.Ordinal);
        Assert.Contains("audit-test.first, audit-test.second, audit-test.third", message, StringComparison.Ordinal);
        Assert.StartsWith("No entry has the action 'no-such.*'.", (await export.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("action")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnExportInAnUnknownFormat_IsAProblemNamingTheFormat()
    {
        var response = await (await AuditorAsync()).GetAsync(Api("/api/audit/entries/export?format=xlsx"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("Use csv or jsonl.", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("format")[0].GetString());
    }

    [Fact]
    public async Task CsvExport_HasAStableHeader_AndEscapesCommasQuotesLineBreaks_KeepingUnicode()
    {
        var response = await (await AuditorAsync()).GetAsync(Api("/api/audit/entries/export?format=csv&actor=Host%20Auditor"));

        response.EnsureSuccessStatusCode();
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Matches(@"^audit-\d{8}-\d{6}\.csv$", response.Content.Headers.ContentDisposition?.FileNameStar ?? response.Content.Headers.ContentDisposition?.FileName);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.NotEqual(0xEF, bytes[0]);
        var text = Encoding.UTF8.GetString(bytes);
        Assert.StartsWith("sequence,id,at,actorKind,actorId,actorName,action,entityType,entityId,reason,traceId,before,after,hash\r\n", text, StringComparison.Ordinal);
        Assert.Contains("\"Comma, \"\"quoted\"\" word,\nsecond line; naïve café — 日本語 ✓ =SUM(A1)\"", text, StringComparison.Ordinal);

        using var csv = new CsvReader(new StringReader(text), CultureInfo.InvariantCulture);
        var rows = csv.GetRecords<dynamic>().Cast<IDictionary<string, object>>().ToList();
        Assert.Equal(["audit-test.first", "audit-test.second", "audit-test.third"], rows.Select(r => (string)r["action"]));
        Assert.Equal(Awkward, rows[1]["reason"]);
        Assert.Equal("""{"note":"before"}""", rows[1]["before"]);
        Assert.Equal("", rows[0]["reason"]);
        Assert.Matches(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{7}Z$", (string)rows[0]["at"]);
    }

    [Fact]
    public async Task JsonLinesExport_IsOneObjectPerLine_WithTheSnapshotsAsJson_AndTheReasonExact()
    {
        var response = await (await AuditorAsync()).GetAsync(Api("/api/audit/entries/export?format=jsonl&actor=Host%20Auditor"));

        response.EnsureSuccessStatusCode();
        Assert.Equal("application/jsonl", response.Content.Headers.ContentType?.MediaType);
        var text = await response.Content.ReadAsStringAsync();
        Assert.EndsWith("\n", text, StringComparison.Ordinal);
        var lines = text.TrimEnd('\n').Split('\n').Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(3, lines.Count);
        Assert.Equal(AuditExportColumns, lines[0].EnumerateObject().Select(p => p.Name));
        Assert.Equal(Awkward, lines[1].GetProperty("reason").GetString());
        Assert.Contains("naïve café — 日本語 ✓", text, StringComparison.Ordinal);
        Assert.Equal("before", lines[1].GetProperty("before").GetProperty("note").GetString());
        Assert.Equal(JsonValueKind.Null, lines[0].GetProperty("reason").ValueKind);
        Assert.Equal(JsonValueKind.Null, lines[0].GetProperty("before").ValueKind);
        Assert.Equal("Approved", lines[0].GetProperty("after").GetProperty("status").GetString());

        // Each entry carries its place in the tenant's chain and the hash it was sealed with, in chain order.
        var sequences = lines.Select(l => l.GetProperty("sequence").GetInt64()).ToList();
        Assert.Equal(sequences.Order(), sequences);
        Assert.Equal(3, sequences.Distinct().Count());
        Assert.All(lines, l => Assert.Matches("^[0-9a-f]{64}$", l.GetProperty("hash").GetString()));
    }

    [Fact]
    public async Task SearchAndExports_NeverShowAnotherTenantsEntries()
    {
        var client = await AuditorAsync();

        var search = await client.GetStringAsync(Api("/api/audit/entries?pageSize=200"));
        var csv = await client.GetStringAsync(Api("/api/audit/entries/export?format=csv"));
        var jsonl = await client.GetStringAsync(Api("/api/audit/entries/export?format=jsonl"));
        var byId = await client.GetFromJsonAsync<JsonElement>($"/api/audit/entries?entityId={host.FabrikamEntity}");

        Assert.All(new[] { search, csv, jsonl }, body => Assert.DoesNotContain("Fabrikam", body, StringComparison.Ordinal));
        Assert.All(new[] { search, csv, jsonl }, body => Assert.Contains("Host Auditor", body, StringComparison.Ordinal));
        Assert.Equal(0, byId.GetProperty("total").GetInt32());
    }

    private static readonly string[] AuditExportColumns = ["sequence", "id", "at", "actorKind", "actorId", "actorName", "action", "entityType", "entityId", "reason", "traceId", "before", "after", "hash"];

    /// <summary>The real host with three entries of one actor in Contoso and one in Fabrikam.</summary>
    public sealed class Host : IAsyncLifetime
    {
        public ConsoleFactory Factory { get; } = new();

        public Guid FabrikamEntity { get; } = Guid.NewGuid();

        public async Task InitializeAsync()
        {
            Factory.Start();
            var at = new DateTimeOffset(2026, 11, 2, 8, 0, 0, TimeSpan.Zero);
            var contoso = Actor.User(DemoData.DeterministicId("audit-api:host"), "Host Auditor", DemoData.ContosoId, [Roles.Auditor]);
            var fabrikam = Actor.User(DemoData.DeterministicId("audit-api:fabrikam"), "Fabrikam Person", DemoData.FabrikamId, [Roles.Auditor]);
            await AuditEntries.WriteAsync(Factory.Services, DemoData.ContosoId,
            [
                AuditEntry.Record(contoso, "audit-test.first", "decision", Guid.NewGuid().ToString(), null, null, new { status = "Approved" }, at),
                AuditEntry.Record(contoso, "audit-test.second", "decision", Guid.NewGuid().ToString(), Awkward, new { note = "before" }, new { note = "after" }, at.AddMinutes(1)),
                AuditEntry.Record(contoso, "audit-test.third", "policy-version", Guid.NewGuid().ToString(), "Plain", null, null, at.AddMinutes(2)),
            ]);
            await AuditEntries.WriteAsync(Factory.Services, DemoData.FabrikamId,
                [AuditEntry.Record(fabrikam, "audit-test.first", "decision", FabrikamEntity.ToString(), "Fabrikam's own", null, null, at)]);
        }

        public async Task DisposeAsync() => await Factory.DisposeAsync();
    }
}

/// <summary>Writes audit entries straight to a host's database, as test data (the product writes them with each change).</summary>
public static class AuditEntries
{
    public static async Task WriteAsync(IServiceProvider services, Guid tenantId, IReadOnlyList<AuditEntry> entries)
    {
        await using var scope = services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantContext>().Use(tenantId);
        await using var db = scope.ServiceProvider.GetRequiredService<IAgentConsoleDbFactory>().Create();
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        db.AuditEntries.AddRange(entries);
        await db.SaveChangesAsync();
    }
}
