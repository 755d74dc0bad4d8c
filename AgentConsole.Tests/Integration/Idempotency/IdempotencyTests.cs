using System.Text.Json.Nodes;
using AgentConsole.Domain;
using AgentConsole.Domain.Idempotency;
using AgentConsole.Domain.Pipelines;
using AgentConsole.Domain.Tenancy;
using AgentConsole.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AgentConsole.Tests.Integration.Idempotency;

public sealed class SqliteIdempotencyTests() : IdempotencyTests(TestEngine.Sqlite);

public sealed class PostgreSqlIdempotencyTests() : IdempotencyTests(TestEngine.PostgreSql);

/// <summary>Idempotency keys and keyed case submissions, on each engine: one winner in every race.</summary>
public abstract class IdempotencyTests(TestEngine engine) : IAsyncLifetime
{
    private readonly ManualClock _clock = new(DateTimeOffset.UtcNow);
    private DomainHarness _harness = default!;

    public async Task InitializeAsync() =>
        _harness = await DomainHarness.CreateAsync(configure: s => s.AddSingleton<TimeProvider>(_clock), engine: engine);

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    private static RequestFingerprint Request(string key, string body = "{}") => new(key, "POST", "/api/agents/pricing/runs", body);

    private async Task<T> WithServiceAsync<T, TService>(Actor actor, Func<TService, Task<T>> use)
        where TService : notnull
    {
        await using var scope = _harness.Scope(actor.TenantId);
        return await use(scope.ServiceProvider.GetRequiredService<TService>());
    }

    private Task<IdempotencyClaim> ClaimAsync(Actor actor, RequestFingerprint request) =>
        WithServiceAsync<IdempotencyClaim, IdempotencyService>(actor, s => s.ClaimAsync(actor, request));

    [Fact]
    public async Task Claim_ByRacingRequests_ReservesTheKeyOnce()
    {
        var admin = await _harness.ActorAsync("admin");

        var claims = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => Task.Run(() => ClaimAsync(admin, Request("race")))));

        Assert.Single(claims, c => c.Verdict == IdempotencyVerdict.Run);
        Assert.All(claims.Where(c => c.Verdict != IdempotencyVerdict.Run), c => Assert.Equal(IdempotencyVerdict.InProgress, c.Verdict));
    }

    [Fact]
    public async Task Claim_AfterTheAnswerIsStored_Replays_AndAnotherRequestUnderTheKeyIsAMismatch()
    {
        var admin = await _harness.ActorAsync("admin");
        var first = await ClaimAsync(admin, Request("stored"));
        await WithServiceAsync<bool, IdempotencyService>(admin, async s =>
        {
            await s.CompleteAsync(first.ReservationId, new StoredAnswer(202, "application/json", "/api/runs/1", """{"id":1}"""));
            return true;
        });

        var repeat = await ClaimAsync(admin, Request("stored"));
        var otherBody = await ClaimAsync(admin, Request("stored", body: """{"other":true}"""));
        var otherCaller = await ClaimAsync(await _harness.ActorAsync("operator"), Request("stored"));

        Assert.Equal(IdempotencyVerdict.Replay, repeat.Verdict);
        Assert.Equal(new StoredAnswer(202, "application/json", "/api/runs/1", """{"id":1}"""), repeat.Answer);
        Assert.Equal(IdempotencyVerdict.Mismatch, otherBody.Verdict);
        Assert.Equal("POST /api/agents/pricing/runs", otherBody.UsedFor);
        Assert.Equal(IdempotencyVerdict.Mismatch, otherCaller.Verdict);
    }

    [Fact]
    public async Task Claim_AfterARelease_RunsAgain()
    {
        var admin = await _harness.ActorAsync("admin");
        var first = await ClaimAsync(admin, Request("released"));
        await WithServiceAsync<bool, IdempotencyService>(admin, async s =>
        {
            await s.ReleaseAsync(first.ReservationId);
            return true;
        });

        Assert.Equal(IdempotencyVerdict.Run, (await ClaimAsync(admin, Request("released", body: """{"corrected":true}"""))).Verdict);
    }

    [Fact]
    public async Task Claim_OfAnAbandonedReservation_IsTakenOverByOneRepeat()
    {
        var admin = await _harness.ActorAsync("admin");
        var first = await ClaimAsync(admin, Request("abandoned"));
        Assert.Equal(IdempotencyVerdict.InProgress, (await ClaimAsync(admin, Request("abandoned"))).Verdict);
        _clock.Advance(TimeSpan.FromSeconds(61));

        var repeats = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Task.Run(() => ClaimAsync(admin, Request("abandoned")))));

        var winner = Assert.Single(repeats, c => c.Verdict == IdempotencyVerdict.Run);
        Assert.Equal(first.ReservationId, winner.ReservationId);
        Assert.All(repeats.Where(c => c != winner), c => Assert.Equal(IdempotencyVerdict.InProgress, c.Verdict));
    }

    [Fact]
    public async Task Keys_Expire_AndThePurgeDeletesThemInEveryTenant()
    {
        var contoso = await _harness.ActorAsync("admin");
        var fabrikam = await _harness.ActorAsync("fabrikam");
        await ClaimAsync(contoso, Request("shared"));
        Assert.Equal(IdempotencyVerdict.Run, (await ClaimAsync(fabrikam, Request("shared"))).Verdict);
        _clock.Advance(TimeSpan.FromHours(24));
        await ClaimAsync(contoso, Request("fresh"));

        var purged = await WithServiceAsync<int, IdempotencyService>(contoso, s => s.PurgeExpiredAsync());

        Assert.Equal(2, purged);
        var left = await _harness.WithDbAsync(db => db.IdempotentRequests.IgnoreQueryFilters().Select(r => r.Key).ToListAsync());
        Assert.Equal(["fresh"], left);
        Assert.Equal(IdempotencyVerdict.Run, (await ClaimAsync(contoso, Request("shared", body: """{"new":1}"""))).Verdict);
    }

    [Fact]
    public async Task SubmitCase_WithAKeyUsedBefore_FindsItsRun_AndRefusesAnotherCase()
    {
        var admin = await _harness.ActorAsync("admin");
        var c = TestCases.UncertainPricing("Keyed Case AB");

        var first = await SubmitAsync(admin, c, "case-key");
        var again = await SubmitAsync(admin, c, "case-key");
        var other = await Assert.ThrowsAsync<DomainException>(() => SubmitAsync(admin, TestCases.UncertainPricing("Another Case AB"), "case-key"));

        Assert.Equal(first, again);
        Assert.Equal(DomainErrorKind.Conflict, other.Kind);
        Assert.Equal(1, await _harness.WithDbAsync(db => db.Runs.CountAsync(r => r.IdempotencyKey == "case-key")));
    }

    [Fact]
    public async Task SubmitCase_InParallelWithOneKey_RecordsOneRun()
    {
        var admin = await _harness.ActorAsync("admin");
        var c = TestCases.UncertainPricing("Parallel Keyed AB");

        var runs = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Task.Run(() => SubmitAsync(admin, c, "parallel-key"))));

        Assert.Single(runs.Distinct());
        Assert.Equal(1, await _harness.WithDbAsync(db => db.Runs.CountAsync(r => r.Subject == c.Subject)));
        Assert.Single(_harness.Scheduler.Runs, r => r == runs[0]);
    }

    private Task<Guid> SubmitAsync(Actor actor, (string Subject, JsonObject Inputs, JsonObject Truth) c, string key) =>
        WithServiceAsync<Guid, PipelineService>(actor, s => s.SubmitCaseAsync("pricing", c.Subject, JsonNode.Parse(c.Inputs.ToJsonString())!.AsObject(), actor, key));
}
