using System.Diagnostics;
using System.Text.Json.Nodes;
using AgentConsole.Domain.Agents;
using AgentConsole.Domain.Agents.BuiltIn;
using AgentConsole.Domain.Audit;
using AgentConsole.Domain.Decisions;
using AgentConsole.Domain.Persistence;
using AgentConsole.Domain.Pipelines;
using AgentConsole.Domain.Policies;
using AgentConsole.Domain.Queues;
using AgentConsole.Domain.Telemetry;
using AgentConsole.Domain.Tenancy;
using AgentConsole.Domain.Traces;
using AgentConsole.Domain.Training.Scenarios;
using AgentConsole.Domain.Training.Tracks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace AgentConsole.Domain.Training.Calibration;

/// <summary>
/// Seeds gold items into live queues at the rate each use case's policy in force sets (its <c>calibration</c> section).
/// Time is cut into slots of <see cref="CalibrationSettings.Interval"/>; each queue gets one gold item per slot, at a
/// moment inside the slot that differs from slot to slot (so arrival times do not give it away). A slot already seeded
/// is never seeded again (unique per queue and slot); a slot missed while nothing ran is not made up later.
/// </summary>
public sealed class GoldItemSeeding(IAgentConsoleDbFactory dbs, TimeProvider clock, AgentRegistry registry, PolicyCache policies, DecisionEventBus events, ILogger<GoldItemSeeding> logger)
{
    private const int MaxTries = 40;

    /// <summary>The actor that records a gold item's run, as the business feed records real ones.</summary>
    internal const string IntakeActorName = "business feed";

    /// <summary>The tenants that have use-case policies (calibration is read from those); the job seeds each in its own scope.</summary>
    public async Task<IReadOnlyList<Guid>> TenantsAsync(CancellationToken cancellationToken = default)
    {
        await using var db = dbs.Create();
        return await db.PolicyScopes.IgnoreQueryFilters().AsNoTracking().Where(s => s.Kind == PolicyScopeKind.UseCase && s.ActiveVersionId != null)
            .Select(s => s.TenantId).Distinct().ToListAsync(cancellationToken);
    }

    /// <summary>Seeds the current tenant's due slots; returns how many gold items it added.</summary>
    public async Task<int> SeedDueAsync(CancellationToken cancellationToken = default)
    {
        await using var db = dbs.Create();
        var now = clock.GetUtcNow();
        var scopes = await db.PolicyScopes.AsNoTracking().Where(s => s.Kind == PolicyScopeKind.UseCase).ToListAsync(cancellationToken);
        var seeded = 0;
        foreach (var scope in scopes.OrderBy(s => s.UseCase))
        {
            if (scope.EffectiveVersionId(now) is not { } versionId || await policies.GetAsync(db, versionId, cancellationToken) is not { Policy.Document.Calibration: { } settings } loaded)
            {
                continue;
            }

            var queues = await db.Queues.AsNoTracking().Where(q => q.UseCase == scope.UseCase).OrderBy(q => q.Tier).ToListAsync(cancellationToken);
            foreach (var queue in queues.Where(q => settings.Queues.Contains(q.Key)))
            {
                var slot = SlotOf(now, settings.Interval);
                if (now < slot + OffsetIn(queue.Id, slot, settings.Interval)
                    || await db.GoldItems.AnyAsync(g => g.QueueId == queue.Id && g.SlotStart == slot, cancellationToken))
                {
                    continue;
                }

                if (await SeedAsync(scope.TenantId, scope.UseCase, queue, queues, slot, settings, loaded, cancellationToken))
                {
                    seeded++;
                }
            }
        }

        return seeded;
    }

    /// <summary>The start of the slot <paramref name="now"/> falls in.</summary>
    public static DateTimeOffset SlotOf(DateTimeOffset now, TimeSpan interval) => new(now.UtcTicks / interval.Ticks * interval.Ticks, TimeSpan.Zero);

    /// <summary>When inside its slot a queue's gold item arrives: the same for one queue and slot, different across them.</summary>
    public static TimeSpan OffsetIn(Guid queueId, DateTimeOffset slot, TimeSpan interval)
    {
        var bytes = DemoData.DeterministicId($"gold-slot:{queueId}:{slot.UtcTicks}").ToByteArray();
        var fraction = BitConverter.ToUInt32(bytes, 0) / (double)uint.MaxValue;
        // Within the first three quarters of the slot, so a job running every minute always reaches it.
        return TimeSpan.FromTicks((long)(interval.Ticks * 0.75 * fraction));
    }

    private async Task<bool> SeedAsync(Guid tenantId, UseCase useCase, ReviewQueue queue, IReadOnlyList<ReviewQueue> queues, DateTimeOffset slot,
        CalibrationSettings settings, LoadedPolicy policy, CancellationToken cancellationToken)
    {
        await using var db = dbs.Create();
        var agents = await db.Agents.Include(a => a.Versions).Where(a => a.UseCase == useCase && !a.IsPaused).OrderBy(a => a.Key).ToListAsync(cancellationToken);
        if (agents.Count == 0)
        {
            return false;
        }

        var scenarios = settings.Source == CalibrationSource.Track ? await TrackScenariosAsync(db, settings.Track!, useCase, cancellationToken) : [];
        if (settings.Source == CalibrationSource.Track && scenarios.Count == 0)
        {
            logger.LogWarning("Calibration of {UseCase} names track {Track}, which has no published {UseCase} scenarios; no gold item is seeded", useCase, settings.Track, useCase);
            return false;
        }

        var random = new Random(unchecked((int)slot.UtcTicks ^ queue.Id.GetHashCode()));
        var generator = new SyntheticCaseGenerator(random);
        for (var attempt = 0; attempt < MaxTries; attempt++)
        {
            var candidate = await CandidateAsync(agents, scenarios, generator, random, useCase, cancellationToken);
            var routing = policy.Route(candidate.Agent.Key, candidate.Proposal, candidate.Inputs, queues);
            // Only a case the policy itself sends to review in this queue: its route, reason and rules are those of a real item.
            if (routing.Route != DecisionRoute.Review || routing.Queue?.Id != queue.Id)
            {
                continue;
            }

            return await AddAsync(db, tenantId, queue, slot, settings, candidate, routing, cancellationToken);
        }

        logger.LogWarning("No gold case for queue {Queue} was routed there by the policy in {Tries} tries; the slot is left empty", queue.Key, MaxTries);
        return false;
    }

    private sealed record Candidate(Agent Agent, AgentVersion Version, string Subject, JsonObject Inputs, JsonObject Truth, AgentProposal Proposal,
        GoldAction Action, JsonObject? GoldValues, string Explanation, Guid? ScenarioId);

    private async Task<Candidate> CandidateAsync(List<Agent> agents, List<Scenario> scenarios, SyntheticCaseGenerator generator, Random random, UseCase useCase, CancellationToken cancellationToken)
    {
        if (scenarios.Count > 0)
        {
            var scenario = scenarios[random.Next(scenarios.Count)];
            var agent = agents.FirstOrDefault(a => a.Id == scenario.AgentId) ?? agents[random.Next(agents.Count)];
            var version = agent.Versions.Single(v => v.Version == agent.CurrentVersion);
            // The agent explains and rates the case as it would; the proposal and confidence are the scenario's, which gold answers.
            var proposed = await registry.Resolve(version.Implementation).ProposeAsync(scenario.Inputs, cancellationToken);
            var proposal = proposed with { Values = scenario.Proposal, Confidence = scenario.Confidence };
            return new Candidate(agent, version, scenario.Subject, scenario.Inputs, [], proposal, scenario.GoldAction, scenario.GoldValues, scenario.Explanation, scenario.Id);
        }

        var generated = generator.Next(useCase);
        var generatedBy = agents[random.Next(agents.Count)];
        var current = generatedBy.Versions.Single(v => v.Version == generatedBy.CurrentVersion);
        var made = await registry.Resolve(current.Implementation).ProposeAsync(generated.Inputs, cancellationToken);
        var (action, values, explanation) = ScenarioLibrary.FromTruth(useCase, made.Values, generated.Truth);
        return new Candidate(generatedBy, current, generated.Subject, generated.Inputs, generated.Truth, made, action, values, explanation, null);
    }

    private static async Task<List<Scenario>> TrackScenariosAsync(AgentConsoleDbContext db, string trackKey, UseCase useCase, CancellationToken cancellationToken)
    {
        var track = await db.TrainingTracks.AsNoTracking().Where(t => t.Key == trackKey && t.State == TrackState.Published)
            .OrderByDescending(t => t.Version).Select(t => (Guid?)t.Id).FirstOrDefaultAsync(cancellationToken);
        return track is null
            ? []
            : await db.TrainingScenarios.AsNoTracking()
                .Where(s => s.UseCase == useCase && db.TrainingExercises.Any(e => e.Id == s.ExerciseId && e.TrackId == track))
                .OrderBy(s => s.Id).ToListAsync(cancellationToken);
    }

    private async Task<bool> AddAsync(AgentConsoleDbContext db, Guid tenantId, ReviewQueue queue, DateTimeOffset slot, CalibrationSettings settings,
        Candidate candidate, RoutingResult routing, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var agent = candidate.Agent;

        // The same spans, audit entries and live event as a case from the business feed: nothing here tells a reviewer it is gold.
        var outer = Activity.Current;
        Activity.Current = null;
        try
        {
            using var intake = AgentConsoleTelemetry.Source.StartActivity("intake", ActivityKind.Producer).ForTenant(tenantId);
            if (intake is not null)
            {
                intake.DisplayName = $"intake {agent.Key}";
                intake.SetTag(SpanAttributes.IntakeChannel, "feed");
                intake.SetTag(SpanAttributes.AgentKey, agent.Key);
            }

            var run = new PipelineRun(Guid.NewGuid(), tenantId, agent.Id, agent.UseCase, candidate.Subject, candidate.Inputs.ToJsonString(), candidate.Truth.ToJsonString(),
                Activity.Current?.Id, now);
            intake?.SetTag(SpanAttributes.RunId, run.Id.ToString());
            var decision = Decision.Propose(Guid.NewGuid(), run.Id, agent, candidate.Version, candidate.Subject, candidate.Inputs, candidate.Proposal, routing, now);
            using (var pipeline = AgentConsoleTelemetry.StartContinuing("pipeline run", run.TraceParent, ActivityKind.Consumer).ForTenant(tenantId))
            {
                pipeline?.SetTag(SpanAttributes.RunId, run.Id.ToString());
                pipeline?.SetTag(SpanAttributes.RunAttempt, 1);
                pipeline?.SetTag(SpanAttributes.DecisionId, decision.Id.ToString());
                using (var step = AgentConsoleTelemetry.Source.StartActivity($"step {PipelineRun.ProposeStep}").ForTenant(tenantId))
                {
                    step?.SetTag(SpanAttributes.AgentKey, agent.Key);
                    step?.SetTag(SpanAttributes.AgentVersion, candidate.Version.Version);
                }

                using var route = AgentConsoleTelemetry.Source.StartActivity($"step {PipelineRun.RouteStep}").ForTenant(tenantId);
                route?.SetTag(SpanAttributes.Route, routing.Route.ToString());
                route?.SetTag(SpanAttributes.RouteReason, routing.Reason);
                route?.SetTag(SpanAttributes.QueueId, queue.Id.ToString());
                route?.SetTag(SpanAttributes.QueueName, queue.Name);
                route?.SetTag(SpanAttributes.QueueTier, queue.Tier);
            }

            run.StartAttempt(now);
            run.Proposed(decision.Id, awaitsReview: true, executable: false, now);
            var gold = new GoldItem(Guid.NewGuid(), tenantId, decision.Id, agent.UseCase, queue.Id, slot, settings.Source, candidate.ScenarioId,
                candidate.Action, candidate.GoldValues, candidate.Explanation, routing.PolicyVersionId, now);
            db.Runs.Add(run);
            db.Decisions.Add(decision);
            db.GoldItems.Add(gold);
            db.AuditEntries.Add(AuditEntry.Record(Actor.System(tenantId, IntakeActorName), "run.started", "run", run.Id.ToString(), null, null, new { agent = agent.Key, subject = candidate.Subject }, now));
            db.AuditEntries.Add(AuditEntry.Record(Actor.Agent(tenantId, agent.Key, agent.Name), "decision.proposed", "decision", decision.Id.ToString(), routing.Reason, null,
                DecisionService.Snapshot(decision), now));
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException)
            {
                // Another node seeded this slot at the same moment.
                logger.LogInformation("The gold slot {Slot} of queue {Queue} was seeded in parallel", slot, queue.Key);
                return false;
            }

            await events.PublishAsync(new DecisionEvent(tenantId, decision.Id, decision.QueueId, null, DecisionEventKind.Queued, decision.Status, decision.Version, agent.Name, clock.GetUtcNow()));
            return true;
        }
        finally
        {
            Activity.Current = outer;
        }
    }
}
