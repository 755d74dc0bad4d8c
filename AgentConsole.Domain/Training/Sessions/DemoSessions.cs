using AgentConsole.Domain.Persistence;
using AgentConsole.Domain.Tenancy;
using AgentConsole.Domain.Training.Scenarios;
using AgentConsole.Domain.Training.Tracks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AgentConsole.Domain.Training.Sessions;

/// <summary>
/// The demo's training history, so a trainer's progress view shows something on a fresh start: Theo Trainee practised
/// the pricing track (70%) and failed one exam attempt (60%, two attempts left); Omar Operator practised it (90%). Worked
/// through <see cref="TrainingSessions"/> like any session, on a clock set a few days back. Sienna Senior has none: the
/// demo's walk-through has her take the exam.
/// </summary>
public static class DemoSessions
{
    public static async Task SeedAsync(IServiceProvider services, Guid tenantId, CancellationToken cancellationToken)
    {
        await using var scope = services.GetRequiredService<IServiceScopeFactory>().CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantContext>().Use(tenantId);
        await using var db = scope.ServiceProvider.GetRequiredService<IAgentConsoleDbFactory>().Create();
        if (await db.TrainingSessions.AnyAsync(cancellationToken))
        {
            return;
        }

        var track = await db.TrainingTracks.AsNoTracking().Where(t => t.Key == DemoTracks.PricingKey && t.State == TrackState.Published).FirstOrDefaultAsync(cancellationToken);
        var users = await db.Users.AsNoTracking().Where(u => u.UserName == "trainee" || u.UserName == "operator2").ToDictionaryAsync(u => u.UserName, cancellationToken);
        if (track is null || users.Count < 2)
        {
            return;
        }

        var scenarios = await db.TrainingScenarios.AsNoTracking().ToDictionaryAsync(s => s.Id, cancellationToken);
        var clock = new DemoClock(services.GetRequiredService<TimeProvider>().GetUtcNow().AddDays(-3));
        var sessions = ActivatorUtilities.CreateInstance<TrainingSessions>(scope.ServiceProvider, clock);
        var theo = Actor.User(users["trainee"].Id, users["trainee"].DisplayName, tenantId, [Roles.Trainee]);
        var omar = Actor.User(users["operator2"].Id, users["operator2"].DisplayName, tenantId, [Roles.Operator]);

        await WorkAsync(sessions, clock, scenarios, theo, track.Id, SessionMode.Practice, wrong: [1, 4, 7], cancellationToken);
        clock.Now = clock.Now.AddDays(1);
        await WorkAsync(sessions, clock, scenarios, theo, track.Id, SessionMode.Exam, wrong: [0, 3, 5, 8], cancellationToken);
        clock.Now = clock.Now.AddHours(20);
        await WorkAsync(sessions, clock, scenarios, omar, track.Id, SessionMode.Practice, wrong: [6], cancellationToken);
    }

    private static async Task WorkAsync(
        TrainingSessions sessions, DemoClock clock, Dictionary<Guid, Scenario> scenarios, Actor who, Guid trackId, SessionMode mode, int[] wrong, CancellationToken cancellationToken)
    {
        var session = await sessions.StartAsync(who, trackId, mode, cancellationToken: cancellationToken);
        foreach (var item in session.Items)
        {
            var scenario = scenarios[item.ScenarioId];
            clock.Now = clock.Now.AddSeconds(35 + (item.Position * 7 % 50));
            var answer = wrong.Contains(item.Position - 1)
                ? new SandboxAnswer(scenario.GoldAction == GoldAction.Approve ? GoldAction.Reject : GoldAction.Approve, "The proposal reads right to me.")
                : new SandboxAnswer(scenario.GoldAction, "As the case's figures say.", JsonValues: scenario.GoldValues);
            await sessions.AnswerAsync(who, session.Id, item.Id, answer, cancellationToken);
        }
    }

    private sealed class DemoClock(DateTimeOffset start) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = start;

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
