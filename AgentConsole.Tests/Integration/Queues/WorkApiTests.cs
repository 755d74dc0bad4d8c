using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AgentConsole.Tests.Infrastructure;

namespace AgentConsole.Tests.Integration.Queues;

/// <summary>The work views, lease heartbeats, senior assignment and the business calendar through the real host.</summary>
public sealed class WorkApiTests(WorkApiTests.Host host) : IClassFixture<WorkApiTests.Host>
{
    private static readonly string[] Monday = ["Monday"];
    private static readonly string[] Weekdays = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"];
    private static readonly string[] ChristmasEve = ["2026-12-24"];

    private ConsoleFactory Factory => host.Factory;

    [Fact]
    public async Task ASenior_AssignsThroughTheApi_AndTheAssigneeSeesItInTheirWork()
    {
        var decision = await Factory.ProposeAsync(TestCases.UncertainPricing("Api Assign AB"));
        var senior = await Factory.SignInAsync("senior");
        var olivia = await Factory.SignInAsync("operator");
        var candidates = await senior.GetFromJsonAsync<JsonElement>($"/api/decisions/{decision.Id}/assignees");
        var oliviaId = candidates.EnumerateArray().Single(c => c.GetProperty("name").GetString() == "Olivia Operator").GetProperty("userId").GetGuid();

        var missing = await Problems.ProblemAsync(await senior.PostAsJsonAsync($"/api/decisions/{decision.Id}/assignment", new { assigneeId = oliviaId, reason = "" }), HttpStatusCode.BadRequest);
        var byOperator = await olivia.PostAsJsonAsync($"/api/decisions/{decision.Id}/assignment", new { assigneeId = oliviaId, reason = "Mine" });
        var assigned = await senior.PostAsJsonAsync($"/api/decisions/{decision.Id}/assignment", new { assigneeId = oliviaId, reason = "She knows the customer" });

        Assert.Equal(["reason"], Problems.ErrorFields(missing));
        Assert.Equal(HttpStatusCode.Forbidden, byOperator.StatusCode);
        assigned.EnsureSuccessStatusCode();
        var mine = await olivia.GetFromJsonAsync<JsonElement>("/api/work/mine");
        var row = mine.EnumerateArray().Single(i => i.GetProperty("id").GetGuid() == decision.Id);
        Assert.Equal("Olivia Operator", row.GetProperty("assignedToName").GetString());

        var released = await senior.PostAsJsonAsync($"/api/decisions/{decision.Id}/assignment/release", new { reason = "Back to the pool" });
        released.EnsureSuccessStatusCode();
        var available = await (await Factory.SignInAsync("operator2")).GetFromJsonAsync<JsonElement>("/api/work/available");
        Assert.Contains(available.EnumerateArray(), i => i.GetProperty("id").GetGuid() == decision.Id);
    }

    [Fact]
    public async Task AHeartbeat_RenewsTheCallersClaim_AndAnotherCallerGetsAConflict()
    {
        var decision = await Factory.ProposeAsync(TestCases.UncertainPricing("Api Lease AB"));
        var olivia = await Factory.SignInAsync("operator");
        var omar = await Factory.SignInAsync("operator2");
        (await olivia.PostAsync($"/api/decisions/{decision.Id}/claim", null)).EnsureSuccessStatusCode();

        var renewed = await olivia.PostAsync($"/api/decisions/{decision.Id}/lease", null);
        var refused = await Problems.ProblemAsync(await omar.PostAsync($"/api/decisions/{decision.Id}/lease", null), HttpStatusCode.Conflict);

        renewed.EnsureSuccessStatusCode();
        var standing = await renewed.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(standing.GetProperty("expiresAt").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddSeconds(60));
        Assert.Equal("decision.lease-lost", refused.GetProperty("code").GetString());
    }

    [Fact]
    public async Task TheBusinessCalendar_IsSetByAnAdmin_WithErrorsPerField()
    {
        var admin = await Factory.SignInAsync("admin");

        var bad = await Problems.ProblemAsync(await admin.PutAsJsonAsync("/api/business-calendar/",
            new { timeZone = "Europe/Nowhere", workingDays = Monday, dayStarts = "25:00", dayEnds = "17:00", holidayCountry = "", holidays = Array.Empty<string>() }), HttpStatusCode.BadRequest);
        var unchanged = await admin.GetFromJsonAsync<JsonElement>("/api/business-calendar/");
        var saved = await admin.PutAsJsonAsync("/api/business-calendar/",
            new { timeZone = "Europe/Berlin", workingDays = Weekdays, dayStarts = "09:00", dayEnds = "17:00", holidayCountry = "de", holidays = ChristmasEve });
        var bySenior = await (await Factory.SignInAsync("senior")).PutAsJsonAsync("/api/business-calendar/", new { timeZone = "UTC" });

        Assert.Equal(["dayStarts", "timeZone"], Problems.ErrorFields(bad));
        Assert.True(unchanged.GetProperty("isDefault").GetBoolean());
        saved.EnsureSuccessStatusCode();
        var calendar = await saved.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(("Europe/Berlin", "DE", "09:00"), (calendar.GetProperty("timeZone").GetString(), calendar.GetProperty("holidayCountry").GetString(), calendar.GetProperty("dayStarts").GetString()));
        Assert.Equal(HttpStatusCode.Forbidden, bySenior.StatusCode);
    }

    public sealed class Host : IAsyncLifetime
    {
        public ConsoleFactory Factory { get; } = new();

        public Task InitializeAsync()
        {
            Factory.Start();
            return Task.CompletedTask;
        }

        public async Task DisposeAsync() => await Factory.DisposeAsync();
    }
}
