using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AgentConsole.Domain.Idempotency;
using AgentConsole.Domain.Tenancy;
using AgentConsole.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AgentConsole.Tests.Integration.Web;

/// <summary>
/// <c>Idempotency-Key</c>: a client that repeats a call (its connection dropped, it cannot know whether the
/// first arrived) gets the first answer, and nothing happens twice.
/// </summary>
[Collection(ConsoleWebCollection.Name)]
public sealed class IdempotencyApiTests(ConsoleWebFixture fixture)
{
    private ConsoleFactory Factory => fixture.Factory;

    private static Uri Api(string path) => new(path, UriKind.Relative);

    private static HttpRequestMessage Submit(string customer, string? key, string agentKey = "pricing")
    {
        var c = TestCases.UncertainPricing(customer);
        var request = new HttpRequestMessage(HttpMethod.Post, Api($"/api/agents/{agentKey}/runs")) { Content = JsonContent.Create(new { subject = c.Subject, inputs = c.Inputs }) };
        if (key is not null)
        {
            request.Headers.Add("Idempotency-Key", key);
        }

        return request;
    }

    private Task<int> RunsAsync(string customer) => Factory.ReadAsync(db => db.Runs.CountAsync(r => r.Subject == $"Discount for {customer}"));

    private static async Task<Guid> RunIdAsync(HttpResponseMessage response)
    {
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"{response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    [Fact]
    public async Task Submit_RepeatedWithTheSameKey_AnswersTheFirstRun_AndRecordsOnlyOne()
    {
        var admin = await Factory.SignInAsync("admin");
        var key = Guid.NewGuid().ToString();

        var first = await admin.SendAsync(Submit("Idem Repeat AB", key));
        var repeat = await admin.SendAsync(Submit("Idem Repeat AB", key));

        Assert.Equal(await RunIdAsync(first), await RunIdAsync(repeat));
        Assert.Equal(first.Headers.Location, repeat.Headers.Location);
        Assert.Equal("true", Assert.Single(repeat.Headers.GetValues("Idempotency-Replayed")));
        Assert.False(first.Headers.Contains("Idempotency-Replayed"));
        Assert.Equal(1, await RunsAsync("Idem Repeat AB"));
    }

    [Fact]
    public async Task Submit_WithoutAKey_RecordsEachSubmission()
    {
        var admin = await Factory.SignInAsync("admin");

        var first = await RunIdAsync(await admin.SendAsync(Submit("Idem Optional AB", key: null)));
        var second = await RunIdAsync(await admin.SendAsync(Submit("Idem Optional AB", key: null)));

        Assert.NotEqual(first, second);
        Assert.Equal(2, await RunsAsync("Idem Optional AB"));
    }

    [Fact]
    public async Task Submit_AnotherCaseUnderAUsedKey_IsAConflict_AndRecordsNothing()
    {
        var admin = await Factory.SignInAsync("admin");
        var key = Guid.NewGuid().ToString();
        await RunIdAsync(await admin.SendAsync(Submit("Idem First Case AB", key)));

        var other = await admin.SendAsync(Submit("Idem Other Case AB", key));

        Assert.Equal(HttpStatusCode.Conflict, other.StatusCode);
        Assert.Equal("application/problem+json", other.Content.Headers.ContentType?.MediaType);
        var problem = await other.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("idempotency.key-reused", problem.GetProperty("code").GetString());
        Assert.Contains("POST /api/agents/pricing/runs", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, await RunsAsync("Idem Other Case AB"));
    }

    [Fact]
    public async Task Submit_ConcurrentlyWithOneKey_RecordsOneRun()
    {
        var admin = await Factory.SignInAsync("admin");
        var key = Guid.NewGuid().ToString();

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => admin.SendAsync(Submit("Idem Race AB", key))));

        var accepted = responses.Where(r => r.StatusCode == HttpStatusCode.Accepted).ToList();
        Assert.NotEmpty(accepted);
        Assert.Single((await Task.WhenAll(accepted.Select(RunIdAsync))).Distinct());
        foreach (var busy in responses.Except(accepted))
        {
            Assert.Equal(HttpStatusCode.Conflict, busy.StatusCode);
            Assert.Equal("1", busy.Headers.RetryAfter?.ToString());
            Assert.Contains("still being processed", await busy.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        Assert.Equal(1, await RunsAsync("Idem Race AB"));
    }

    [Fact]
    public async Task Submit_RefusedFirst_LetsTheCorrectedCaseUseTheKey()
    {
        var admin = await Factory.SignInAsync("admin");
        var key = Guid.NewGuid().ToString();
        using var refused = new HttpRequestMessage(HttpMethod.Post, Api("/api/agents/pricing/runs")) { Content = JsonContent.Create(new { subject = "Discount for Idem Corrected AB", inputs = new { customer = "x" } }) };
        refused.Headers.Add("Idempotency-Key", key);
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.SendAsync(refused)).StatusCode);

        var corrected = await admin.SendAsync(Submit("Idem Corrected AB", key));

        await RunIdAsync(corrected);
        Assert.False(corrected.Headers.Contains("Idempotency-Replayed"));
        Assert.Equal(1, await RunsAsync("Idem Corrected AB"));
    }

    [Fact]
    public async Task Submit_WhoseFirstRequestDiedBeforeStoringItsAnswer_FindsTheRunItRecorded()
    {
        var admin = await Factory.SignInAsync("admin");
        var key = Guid.NewGuid().ToString();
        var recorded = await RunIdAsync(await admin.SendAsync(Submit("Idem Crash AB", key)));

        // As if the process died after committing the run: the key is reserved, with no answer, and its reservation ran out.
        await ForgetAnswerAsync(key, lockedUntil: DateTimeOffset.UtcNow.AddSeconds(-1));
        var repeat = await admin.SendAsync(Submit("Idem Crash AB", key));

        Assert.Equal(recorded, await RunIdAsync(repeat));
        Assert.Equal(1, await RunsAsync("Idem Crash AB"));
        Assert.Equal(IdempotentRequestState.Completed, await Factory.ReadAsync(db => db.IdempotentRequests.Where(r => r.Key == key).Select(r => r.State).SingleAsync()));
    }

    [Fact]
    public async Task Submit_WhileTheFirstRequestIsStillRunning_AsksToRetry()
    {
        var admin = await Factory.SignInAsync("admin");
        var key = Guid.NewGuid().ToString();
        await RunIdAsync(await admin.SendAsync(Submit("Idem Busy AB", key)));
        await ForgetAnswerAsync(key, lockedUntil: DateTimeOffset.UtcNow.AddMinutes(5));

        var repeat = await admin.SendAsync(Submit("Idem Busy AB", key));

        Assert.Equal(HttpStatusCode.Conflict, repeat.StatusCode);
        Assert.Equal("idempotency.in-progress", (await repeat.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        Assert.Equal(1, await RunsAsync("Idem Busy AB"));
    }

    [Fact]
    public async Task Draft_RepeatedWithTheSameKey_CreatesOneDraft()
    {
        var author = await Factory.SignInAsync("author");
        var scopes = await author.GetFromJsonAsync<JsonElement>("/api/policies");
        var scope = scopes.EnumerateArray().Single(s => s.GetProperty("key").GetString() == "InvoicePolicy").GetProperty("id").GetGuid();
        var key = Guid.NewGuid().ToString();
        var before = (await author.GetFromJsonAsync<JsonElement>($"/api/policies/{scope}/versions")).GetArrayLength();

        HttpRequestMessage Draft()
        {
            var request = new HttpRequestMessage(HttpMethod.Post, Api($"/api/policies/{scope}/drafts")) { Content = JsonContent.Create(new { }) };
            request.Headers.Add("Idempotency-Key", key);
            return request;
        }

        var first = await author.SendAsync(Draft());
        var repeat = await author.SendAsync(Draft());

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, repeat.StatusCode);
        Assert.Equal(first.Headers.Location, repeat.Headers.Location);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await repeat.Content.ReadAsStringAsync());
        Assert.Equal(before + 1, (await author.GetFromJsonAsync<JsonElement>($"/api/policies/{scope}/versions")).GetArrayLength());
    }

    [Fact]
    public async Task Key_UsedInAnotherTenant_DoesNotCollide()
    {
        var contoso = await Factory.ProposeAsync(TestCases.UncertainPricing("Idem Tenant Contoso"));
        var fabrikam = await Factory.ProposeAsync(TestCases.UncertainPricing("Idem Tenant Fabrikam"), tenantId: DemoData.FabrikamId);
        var key = Guid.NewGuid().ToString();

        var inContoso = await ClaimAsync(await Factory.SignInAsync("operator"), contoso.Id, key);
        var inFabrikam = await ClaimAsync(await Factory.SignInAsync("fabrikam"), fabrikam.Id, key);

        Assert.Equal(HttpStatusCode.OK, inContoso.StatusCode);
        Assert.True(inFabrikam.StatusCode == HttpStatusCode.OK, await inFabrikam.Content.ReadAsStringAsync());
        Assert.Equal(fabrikam.Id, (await inFabrikam.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid());
        Assert.False(inFabrikam.Headers.Contains("Idempotency-Replayed"));
    }

    [Fact]
    public async Task Key_ThatIsTooLong_IsAValidationProblemNamingTheHeader()
    {
        var admin = await Factory.SignInAsync("admin");

        var response = await admin.SendAsync(Submit("Idem Long Key AB", new string('k', 201)));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("Idempotency-Key", out _));
        Assert.Equal(0, await RunsAsync("Idem Long Key AB"));
    }

    [Fact]
    public async Task PurgeExpired_DeletesExpiredKeys_AndKeepsTheOthers()
    {
        var operatorClient = await Factory.SignInAsync("operator");
        var expiring = await Factory.ProposeAsync(TestCases.UncertainPricing("Idem Purge Old"));
        var kept = await Factory.ProposeAsync(TestCases.UncertainPricing("Idem Purge Kept"));
        var (oldKey, keptKey) = (Guid.NewGuid().ToString(), Guid.NewGuid().ToString());
        Assert.Equal(HttpStatusCode.OK, (await ClaimAsync(operatorClient, expiring.Id, oldKey)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await ClaimAsync(operatorClient, kept.Id, keptKey)).StatusCode);
        await Factory.ReadAsync(db => db.IdempotentRequests.Where(r => r.Key == oldKey)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.ExpiresAt, DateTimeOffset.UtcNow.AddMinutes(-1))));

        await using (var scope = Factory.Services.CreateAsyncScope())
        {
            Assert.True(await scope.ServiceProvider.GetRequiredService<IdempotencyService>().PurgeExpiredAsync() >= 1);
        }

        var left = await Factory.ReadAsync(db => db.IdempotentRequests.Where(r => r.Key == oldKey || r.Key == keptKey).Select(r => r.Key).ToListAsync());
        Assert.Equal([keptKey], left);
    }

    private static async Task<HttpResponseMessage> ClaimAsync(HttpClient client, Guid decisionId, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Api($"/api/decisions/{decisionId}/claim"));
        request.Headers.Add("Idempotency-Key", key);
        return await client.SendAsync(request);
    }

    private Task<int> ForgetAnswerAsync(string key, DateTimeOffset lockedUntil) =>
        Factory.ReadAsync(db => db.IdempotentRequests.Where(r => r.Key == key).ExecuteUpdateAsync(s => s
            .SetProperty(r => r.State, IdempotentRequestState.InProgress)
            .SetProperty(r => r.StatusCode, (int?)null)
            .SetProperty(r => r.ResponseBody, (string?)null)
            .SetProperty(r => r.LockedUntil, lockedUntil)));
}
