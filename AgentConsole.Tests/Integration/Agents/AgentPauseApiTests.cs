using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AgentConsole.Domain.Tenancy;
using AgentConsole.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace AgentConsole.Tests.Integration.Agents;

/// <summary>
/// Pause and resume through the running console's API: a senior pauses and resumes with a reason; a pause of a paused agent
/// or a resume of a running one is a 409, a missing reason a 400 naming the field, an operator a 403; each tenant reaches only
/// its own agents, and an unknown agent is a 404, all as ProblemDetails.
/// </summary>
public sealed class AgentPauseApiTests : IAsyncLifetime
{
    private ConsoleFactory _console = default!;

    public async Task InitializeAsync()
    {
        _console = new ConsoleFactory().Start();
        await Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _console.DisposeAsync();

    private static Task<HttpResponseMessage> PostAsync(HttpClient client, string path, object body) =>
        client.PostAsJsonAsync(new Uri(path, UriKind.Relative), body);

    [Fact]
    public async Task ASenior_PausesAndResumes_WithAReason()
    {
        var senior = await _console.SignInAsync("senior");

        using var paused = await PostAsync(senior, "/api/agents/pricing/pause", new { reason = "Discounts off since the price list change" });
        Assert.Equal(HttpStatusCode.OK, paused.StatusCode);
        var body = await paused.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(body.GetProperty("paused").GetBoolean());
        Assert.Equal("Discounts off since the price list change", body.GetProperty("reason").GetString());
        Assert.False(body.GetProperty("byCircuitBreaker").GetBoolean());
        Assert.False(string.IsNullOrEmpty(body.GetProperty("pausedBy").GetString()));

        using var again = await PostAsync(senior, "/api/agents/pricing/pause", new { reason = "Still off" });
        var conflict = await Problems.ProblemAsync(again, HttpStatusCode.Conflict);
        Assert.Contains("already paused", conflict.GetProperty("detail").GetString(), StringComparison.Ordinal);

        using var resumed = await PostAsync(senior, "/api/agents/pricing/resume", new { reason = "Price list fixed" });
        Assert.Equal(HttpStatusCode.OK, resumed.StatusCode);
        Assert.False((await resumed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("paused").GetBoolean());

        using var resumeRunning = await PostAsync(senior, "/api/agents/pricing/resume", new { reason = "Again" });
        var notPaused = await Problems.ProblemAsync(resumeRunning, HttpStatusCode.Conflict);
        Assert.Contains("not paused", notPaused.GetProperty("detail").GetString(), StringComparison.Ordinal);

        var audit = await _console.ReadAsync(db => db.AuditEntries.AsNoTracking().Where(e => e.EntityType == "agent" && e.EntityId == "pricing" && e.Action != "agent.created").Select(e => e.Action).ToListAsync());
        Assert.Equal(["agent.paused", "agent.resumed"], audit.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task BadInputAndOtherRoles_AreRefused_AndChangeNothing()
    {
        var senior = await _console.SignInAsync("senior");
        using var noReason = await PostAsync(senior, "/api/agents/pricing/pause", new { reason = "" });
        var invalid = await Problems.ProblemAsync(noReason, HttpStatusCode.BadRequest);
        Assert.Equal(["reason"], Problems.ErrorFields(invalid));

        using var unknown = await PostAsync(senior, "/api/agents/no-such-agent/pause", new { reason = "Why not" });
        await Problems.ProblemAsync(unknown, HttpStatusCode.NotFound);

        var operatorClient = await _console.SignInAsync("operator");
        using var byOperator = await PostAsync(operatorClient, "/api/agents/pricing/pause", new { reason = "I am worried" });
        Assert.Equal(HttpStatusCode.Forbidden, byOperator.StatusCode);

        Assert.False(await _console.ReadAsync(db => db.Agents.AnyAsync(a => a.IsPaused)));
    }

    [Fact]
    public async Task EachTenant_ReachesOnlyItsOwnAgents()
    {
        var fabrikam = await _console.SignInAsync("fabrikam.senior");
        using var paused = await PostAsync(fabrikam, "/api/agents/pricing/pause", new { reason = "Our own pricing agent" });
        Assert.Equal(HttpStatusCode.OK, paused.StatusCode);

        Assert.False(await _console.ReadAsync(db => db.Agents.AnyAsync(a => a.IsPaused)), "Contoso's pricing agent was paused by Fabrikam.");
        Assert.True(await _console.ReadAsync(db => db.Agents.AnyAsync(a => a.Key == "pricing" && a.IsPaused), DemoData.FabrikamId));

        // Contoso's senior resuming "pricing" reaches Contoso's agent, which runs: a 409, and Fabrikam's stays paused.
        var contoso = await _console.SignInAsync("senior");
        using var resume = await PostAsync(contoso, "/api/agents/pricing/resume", new { reason = "Not ours to resume" });
        await Problems.ProblemAsync(resume, HttpStatusCode.Conflict);
        Assert.True(await _console.ReadAsync(db => db.Agents.AnyAsync(a => a.Key == "pricing" && a.IsPaused), DemoData.FabrikamId));
    }
}
