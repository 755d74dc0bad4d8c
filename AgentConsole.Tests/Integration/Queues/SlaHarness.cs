using AgentConsole.Domain.Agents;
using AgentConsole.Domain.Audit;
using AgentConsole.Domain.Decisions;
using AgentConsole.Domain.Queues.Sla;
using AgentConsole.Domain.Tenancy;
using AgentConsole.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AgentConsole.Tests.Integration.Queues;

/// <summary>The Domain on a real database with a hand-moved clock and a pricing policy whose SLA ladder has every step.</summary>
public sealed class SlaHarness : IAsyncDisposable
{
    /// <summary>Tier 1: warn at 10 min, reassign at 20, escalate at 30; tier 2: warn at 10, approve by itself at 40.</summary>
    public const string Ladder = """
        slaLadder:
          pricing-t1: { warnAfter: 10m, reassignAfter: 20m, escalateAfter: 30m }
          pricing-t2: { warnAfter: 10m, autoDecideAfter: 40m, autoDecision: approve }
        """;

    private SlaHarness(DomainHarness harness, ManualClock clock)
    {
        Domain = harness;
        Clock = clock;
    }

    public DomainHarness Domain { get; }

    public ManualClock Clock { get; }

    public Guid PolicyVersionId { get; private set; }

    public static async Task<SlaHarness> CreateAsync(TestEngine engine, DateTimeOffset? start = null, int leaseSeconds = 120, Func<string, string>? edit = null)
    {
        // Whole seconds: every provider stores them exactly.
        var now = DateTimeOffset.UtcNow;
        var clock = new ManualClock(start ?? new DateTimeOffset(now.Ticks - (now.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero));
        var harness = await DomainHarness.CreateAsync(
            new Dictionary<string, string?> { ["Queues:LeaseSeconds"] = leaseSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture), ["Queues:HeartbeatSeconds"] = "5" },
            s => s.AddSingleton<TimeProvider>(clock), engine);
        var sla = new SlaHarness(harness, clock);
        sla.PolicyVersionId = await PolicyVersions.ActivateAsync(harness.Services, UseCase.DynamicPricing, d => (edit ?? (x => x))(WithLadder(d)));
        return sla;
    }

    public static string WithLadder(string document)
    {
        var start = document.IndexOf("slaLadder:", StringComparison.Ordinal);
        var end = document.IndexOf("\n\n", start, StringComparison.Ordinal);
        return document[..start] + Ladder + document[end..];
    }

    public Task<SlaSweepResult> SweepAsync() => Domain.Services.GetRequiredService<SlaSweep>().RunAsync();

    public Task<Decision> ProposeAsync(string customer = "Ladder Test AG") => Domain.ProposeAsync(TestCases.UncertainPricing(customer));

    public Task<Decision> ReadAsync(Guid id) => Domain.ReadAsync(db => db.Decisions.AsNoTracking().SingleAsync(d => d.Id == id));

    public Task<List<AuditEntry>> AuditAsync(Guid id, string action) =>
        Domain.ReadAsync(db => db.AuditEntries.AsNoTracking().Where(a => a.EntityType == "decision" && a.EntityId == id.ToString() && a.Action == action).ToListAsync());

    public Task<List<SlaStepFiring>> FiringsAsync(Guid id) => Domain.ReadAsync(db => db.SlaStepFirings.AsNoTracking().Where(f => f.DecisionId == id).ToListAsync());

    public async Task<T> As<T>(Func<IServiceProvider, Task<T>> act, Guid? tenantId = null)
    {
        await using var scope = Domain.Scope(tenantId ?? DemoData.ContosoId);
        return await act(scope.ServiceProvider);
    }

    public Task<Decision> Act(Func<DecisionService, Task<Decision>> act) => As(s => act(s.GetRequiredService<DecisionService>()));

    public Task<Actor> ActorAsync(string userName) => Domain.ActorAsync(userName);

    public ValueTask DisposeAsync() => Domain.DisposeAsync();
}
