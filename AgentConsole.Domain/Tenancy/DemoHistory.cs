using System.Text.Json.Nodes;
using AgentConsole.Domain.Agents;
using AgentConsole.Domain.Agents.BuiltIn;
using AgentConsole.Domain.Audit;
using AgentConsole.Domain.Decisions;
using AgentConsole.Domain.Persistence;
using AgentConsole.Domain.Pipelines;
using AgentConsole.Domain.Policies;
using Microsoft.EntityFrameworkCore;

namespace AgentConsole.Domain.Tenancy;

/// <summary>
/// Weeks of past decisions for the demo tenant, so the console opens with history to simulate
/// policies on: synthetic cases proposed by the built-in agents, routed by the policy in force,
/// and — where routed to review — resolved by demo operators who mostly agree with the hidden
/// true answer. Every past decision is finished and carried out; none waits in a queue.
/// </summary>
public static class DemoHistory
{
    private const int BatchSize = 2000;

    /// <summary>
    /// Adds <paramref name="count"/> past decisions spread over <paramref name="days"/>, unless the tenant
    /// already has decisions; all of one use case when <paramref name="only"/> is given.
    /// </summary>
    public static async Task<int> SeedAsync(
        AgentConsoleDbContext db, AgentRegistry registry, PolicyCache policies, Guid tenantId, int count, int days, TimeProvider clock, int seed,
        CancellationToken cancellationToken, UseCase? only = null)
    {
        if (count <= 0 || await db.Decisions.IgnoreQueryFilters().AnyAsync(d => d.TenantId == tenantId, cancellationToken))
        {
            return 0;
        }

        var agents = await db.Agents.IgnoreQueryFilters().Include(a => a.Versions).Where(a => a.TenantId == tenantId && (only == null || a.UseCase == only)).OrderBy(a => a.Key).ToListAsync(cancellationToken);
        var queues = await db.Queues.IgnoreQueryFilters().Where(q => q.TenantId == tenantId).OrderBy(q => q.Tier).ToListAsync(cancellationToken);
        var scopes = await db.PolicyScopes.IgnoreQueryFilters().AsNoTracking().Where(s => s.TenantId == tenantId && s.Kind == PolicyScopeKind.UseCase).ToListAsync(cancellationToken);
        var reviewers = await db.Users.IgnoreQueryFilters().AsNoTracking().Where(u => u.TenantId == tenantId).ToListAsync(cancellationToken);
        var operators = reviewers.Where(u => u.Roles.Contains(Roles.Operator)).Select(u => u.ToActor()).ToList();
        var seniors = reviewers.Where(u => u.Roles.Contains(Roles.SeniorOperator)).Select(u => u.ToActor()).ToList();
        if (agents.Count == 0 || operators.Count == 0 || seniors.Count == 0)
        {
            return 0;
        }

        var loaded = new Dictionary<UseCase, LoadedPolicy?>();
        foreach (var scope in scopes)
        {
            loaded[scope.UseCase] = scope.ActiveVersionId is { } id ? await policies.GetAsync(db, id, cancellationToken) : null;
        }

        var random = new Random(seed);
        var generator = new SyntheticCaseGenerator(random);
        var now = clock.GetUtcNow();
        var added = 0;
        for (var i = 0; i < count; i++)
        {
            var agent = agents[random.Next(agents.Count)];
            var version = agent.Versions.Single(v => v.Version == agent.CurrentVersion);
            var c = generator.Next(agent.UseCase);
            var at = now.AddMinutes(-random.NextDouble() * days * 24 * 60);
            var proposal = await registry.Resolve(version.Implementation).ProposeAsync(c.Inputs, cancellationToken);
            var routing = Route(agent, proposal, c.Inputs, queues.Where(q => q.UseCase == agent.UseCase).ToList(), loaded.GetValueOrDefault(agent.UseCase));

            var runId = DemoData.DeterministicId($"history-run:{tenantId}:{seed}:{i}");
            var run = new PipelineRun(runId, tenantId, agent.Id, agent.UseCase, c.Subject, c.Inputs.ToJsonString(), c.Truth.ToJsonString(), null, at);
            run.StartAttempt(at);
            var decision = Decision.Propose(DemoData.DeterministicId($"history-decision:{tenantId}:{seed}:{i}"), runId, agent, version, c.Subject, c.Inputs, proposal, routing, at);
            run.Proposed(decision.Id, decision.Status.IsOpen(), decision.Status.IsExecutable(), at);
            if (decision.Status.IsOpen())
            {
                var pool = decision.ReviewRole == Roles.SeniorOperator || routing.Queue!.Tier > 1 ? seniors : operators;
                var resolvedAt = at.AddMinutes(2 + (random.NextDouble() * 40));
                Resolve(decision, proposal, c.Truth, pool, random, resolvedAt);
                run.Reviewed(decision.Status.IsExecutable(), resolvedAt);
            }

            if (decision.Status.IsExecutable())
            {
                run.ExecutionSucceeded(decision.ResolvedAt ?? at);
            }

            db.Runs.Add(run);
            db.Decisions.Add(decision);
            if (++added % BatchSize == 0)
            {
                await db.SaveChangesAsync(cancellationToken);
                db.ChangeTracker.Clear();
            }
        }

        db.AuditEntries.Add(AuditEntry.Record(Actor.System(tenantId, "demo data"), "demo.history-added", "tenant", tenantId.ToString(),
            "Generated past decisions, so simulations and threshold advice have history; their reviews were never acted in the console", null,
            new { decisions = added, days, seed, useCase = only?.ToString() }, now));
        await db.SaveChangesAsync(cancellationToken);
        db.ChangeTracker.Clear();
        return added;
    }

    private static RoutingResult Route(Agent agent, AgentProposal proposal, JsonObject inputs, List<Queues.ReviewQueue> queues, LoadedPolicy? policy) =>
        policy is null ? PolicyDecisionRouter.NoPolicy(agent.UseCase, queues) : policy.Route(agent.Key, proposal, inputs, queues);

    /// <summary>
    /// Careful reviewers (see <see cref="DemoReviewer"/>); where the policy asks for four eyes, as many
    /// distinct reviewers give the same verdict.
    /// </summary>
    private static void Resolve(Decision decision, AgentProposal proposal, JsonObject truth, List<Actor> pool, Random random, DateTimeOffset at)
    {
        var verdict = DemoReviewer.Judge(decision.UseCase, proposal.Values, truth, decision.ReviewersRequired, random);
        var first = random.Next(pool.Count);
        var reviewer = pool[first];
        decision.Claim(reviewer, at.AddSeconds(-30));
        if (verdict.Kind == DemoVerdictKind.Override)
        {
            ProposalSchema.For(decision.UseCase).TryParse(verdict.Values!, out var values);
            decision.Override(reviewer, values!, verdict.Reason, at);
            return;
        }

        var approve = verdict.Kind == DemoVerdictKind.Approve;
        for (var n = 0; (approve ? decision.Approve(reviewer, verdict.Reason, at) : decision.Reject(reviewer, verdict.Reason, at)) != VerdictOutcome.Resolved && n + 1 < pool.Count; n++)
        {
            reviewer = pool[(first + n + 1) % pool.Count];
            decision.Claim(reviewer, at.AddSeconds(-10));
        }
    }
}
