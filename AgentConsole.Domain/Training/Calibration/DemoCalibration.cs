using AgentConsole.Domain.Agents;
using AgentConsole.Domain.Decisions;
using AgentConsole.Domain.Persistence;
using AgentConsole.Domain.Pipelines;
using AgentConsole.Domain.Policies;
using AgentConsole.Domain.Tenancy;
using AgentConsole.Domain.Training.Scenarios;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace AgentConsole.Domain.Training.Calibration;

/// <summary>
/// The demo's past gold answers, so the calibration dashboard opens with something to read: over the last days, gold
/// items seeded by <see cref="GoldItemSeeding"/> at the pricing policy's rate and answered through
/// <see cref="DecisionService"/> by the demo operators, each at the moment it happened. Olivia and Omar Operator and most
/// demo colleagues are mostly right; Jonas Berg (demo colleague) is mostly wrong and was paused by the same path the
/// product uses. Every gold item is resolved: none is left in a queue. Seeded with the demo's history, once per tenant.
/// </summary>
public static class DemoCalibration
{
    private static readonly (string Person, int WrongEvery)[] Accuracy =
    [
        ("operator", 8), ("operator2", 5), ("demo-colleague:nora", 6), ("demo-colleague:ravi", 4), ("demo-colleague:jonas", 2),
    ];

    public static async Task<int> SeedAsync(IServiceProvider services, Guid tenantId, int days, CancellationToken cancellationToken)
    {
        var tenant = new TenantContext();
        tenant.Use(tenantId);
        var dbs = new AgentConsoleDbFactory(services.GetRequiredService<DatabaseProvider>(), tenant);
        await using (var db = dbs.Create())
        {
            if (await db.GoldItems.AnyAsync(cancellationToken))
            {
                return 0;
            }
        }

        var people = await PeopleAsync(dbs, tenantId, cancellationToken);
        if (people.Count == 0)
        {
            return 0;
        }

        var registry = services.GetRequiredService<AgentRegistry>();
        var policies = services.GetRequiredService<PolicyCache>();
        var events = services.GetRequiredService<DecisionEventBus>();
        var scheduler = services.GetRequiredService<IPipelineScheduler>();
        var notifications = services.GetRequiredService<Notifications.NotificationWriter>();
        // Gold items never trip the circuit breaker; DecisionService still needs one.
        var breaker = new Agents.Pause.CircuitBreaker(dbs, services.GetRequiredService<TimeProvider>(), policies,
            new Agents.Pause.AgentPauseService(dbs, services.GetRequiredService<TimeProvider>(), scheduler, services.GetRequiredService<Agents.Pause.AgentPauseEvents>(), policies, notifications),
            NullLogger<Agents.Pause.CircuitBreaker>.Instance);
        var start = services.GetRequiredService<TimeProvider>().GetUtcNow().AddDays(-days);
        var answered = 0;
        var turn = 0;
        var answers = new Dictionary<string, int>(StringComparer.Ordinal);
        // Four gold items a day, at working hours, each answered a few minutes after it arrived.
        for (var day = 0; day < days; day++)
        {
            foreach (var hour in new[] { 9, 11, 14, 16 })
            {
                var at = new DateTimeOffset(start.Date.AddDays(day).AddHours(hour).AddMinutes(25), TimeSpan.Zero);
                var seeding = new GoldItemSeeding(dbs, new FixedClock(at), registry, policies, events, NullLogger<GoldItemSeeding>.Instance);
                if (await seeding.SeedDueAsync(cancellationToken) == 0)
                {
                    continue;
                }

                await using var db = dbs.Create();
                var gold = await db.GoldItems.AsNoTracking().Where(g => g.SeededAt == at).ToListAsync(cancellationToken);
                foreach (var item in gold)
                {
                    var (person, wrongEvery) = people[turn++ % people.Count];
                    var nth = answers[person.Id] = answers.GetValueOrDefault(person.Id) + 1;
                    var claimedAt = new FixedClock(at.AddMinutes(3));
                    var answeredAt = new FixedClock(at.AddMinutes(3).AddSeconds(40 + (turn * 17 % 90)));
                    try
                    {
                        await new DecisionService(dbs, claimedAt, events, scheduler, policies, breaker, notifications).ClaimAsync(item.DecisionId, person, cancellationToken);
                        await AnswerAsync(new DecisionService(dbs, answeredAt, events, scheduler, policies, breaker, notifications), item, person, wrong: nth % wrongEvery == 0, cancellationToken);
                    }
                    catch (DomainException ex) when (ex.Kind == DomainErrorKind.Forbidden)
                    {
                        // Paused from this item's risk level: someone else takes it.
                        var other = people[0].Person;
                        await new DecisionService(dbs, claimedAt, events, scheduler, policies, breaker, notifications).ClaimAsync(item.DecisionId, other, cancellationToken);
                        await AnswerAsync(new DecisionService(dbs, answeredAt, events, scheduler, policies, breaker, notifications), item, other, wrong: false, cancellationToken);
                    }

                    answered++;
                }
            }
        }

        return answered;
    }

    /// <summary>The right answer, or a plausible wrong one: approving what needed a correction or a rejection, correcting what was right.</summary>
    private static Task<Decision> AnswerAsync(DecisionService decisions, GoldItem item, Actor person, bool wrong, CancellationToken cancellationToken)
    {
        var action = wrong ? (item.GoldAction == GoldAction.Approve ? GoldAction.Reject : GoldAction.Approve) : item.GoldAction;
        return action switch
        {
            GoldAction.Approve => decisions.ApproveAsync(item.DecisionId, person, wrong ? "Looks in line with the market." : "Matches the market and the margin floor.", null, cancellationToken),
            GoldAction.Override => decisions.OverrideAsync(item.DecisionId, person, item.GoldValues, "Corrected the discount to the market.", null, cancellationToken),
            GoldAction.Reject => decisions.RejectAsync(item.DecisionId, person, wrong ? "Discount not justified." : "Cannot be corrected within the rules.", null, cancellationToken),
            _ => decisions.RejectAsync(item.DecisionId, person, "Needs a senior's look; rejected for a new proposal.", null, cancellationToken),
        };
    }

    private static async Task<List<(Actor Person, int WrongEvery)>> PeopleAsync(AgentConsoleDbFactory dbs, Guid tenantId, CancellationToken cancellationToken)
    {
        await using var db = dbs.Create();
        var users = await db.Users.AsNoTracking().ToListAsync(cancellationToken);
        var colleagues = DemoColleagues.Of(tenantId);
        var result = new List<(Actor, int)>();
        foreach (var (key, wrongEvery) in Accuracy)
        {
            if (users.FirstOrDefault(u => u.UserName == key) is { } user)
            {
                result.Add((user.ToActor(), wrongEvery));
            }
            else if (colleagues.FirstOrDefault(c => c.Id == key) is { } colleague)
            {
                result.Add((colleague, wrongEvery));
            }
        }

        return result;
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
