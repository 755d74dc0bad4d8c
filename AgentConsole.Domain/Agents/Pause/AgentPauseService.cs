using AgentConsole.Domain.Audit;
using AgentConsole.Domain.Persistence;
using AgentConsole.Domain.Pipelines;
using AgentConsole.Domain.Policies;
using AgentConsole.Domain.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace AgentConsole.Domain.Agents.Pause;

/// <summary>An agent's pause as pages and API clients see it.</summary>
/// <param name="WhilePaused">What the policy in force does with the agent's proposals while it is paused.</param>
public sealed record AgentPauseState(
    string AgentKey, string AgentName, bool IsPaused, DateTimeOffset? PausedAt, string? PausedBy, string? Reason, bool ByBreaker, int HeldRuns, int ReleasedRuns = 0,
    WhilePaused WhilePaused = WhilePaused.Review);

/// <summary>
/// A senior pauses and resumes an agent, with a reason; the circuit breaker pauses one by itself. Each change is saved
/// with its audit entry in one transaction; resuming releases every run held during the pause, exactly once each.
/// </summary>
public sealed class AgentPauseService(IAgentConsoleDbFactory dbs, TimeProvider clock, IPipelineScheduler scheduler, AgentPauseEvents events, PolicyCache policies, Notifications.NotificationWriter notifications)
{
    public const int MaxReasonLength = 1000;

    public async Task<AgentPauseState> PauseAsync(string agentKey, string? reason, Actor actor, CancellationToken cancellationToken = default)
    {
        var why = Check(actor, reason, "pause");
        await using var db = dbs.Create();
        var agent = await FindAsync(db, agentKey, actor, cancellationToken);
        return await PauseAsync(db, agent, actor, why, byBreaker: false, cancellationToken);
    }

    /// <summary>The circuit breaker's pause, in its own unit of work; false when the agent was paused meanwhile.</summary>
    internal async Task<bool> PauseByBreakerAsync(AgentConsoleDbContext db, Agent agent, string reason, CancellationToken cancellationToken)
    {
        try
        {
            await PauseAsync(db, agent, BreakerActor(agent.TenantId), reason, byBreaker: true, cancellationToken);
            return true;
        }
        catch (DomainException ex) when (ex.Kind == DomainErrorKind.Conflict)
        {
            return false;
        }
    }

    public static Actor BreakerActor(Guid tenantId) => Actor.System(tenantId, "circuit breaker") with { Id = "circuit-breaker" };

    public async Task<AgentPauseState> ResumeAsync(string agentKey, string? reason, Actor actor, CancellationToken cancellationToken = default)
    {
        var why = Check(actor, reason, "resume");
        await using var db = dbs.Create();
        var agent = await FindAsync(db, agentKey, actor, cancellationToken);

        // The agent's row first (as a proposal does), then the audit: one lock order, no deadlock.
        await AgentPauseLock.ReadInTransactionAsync(db, agent, cancellationToken);
        var before = Snapshot(agent);
        var wasByBreaker = agent.PausedByBreaker;
        agent.Resume();
        var now = clock.GetUtcNow();
        db.AuditEntries.Add(AuditEntry.Record(actor, "agent.resumed", "agent", agent.Key, why, before, Snapshot(agent), now));
        try
        {
            // The agent's row first: a proposal holding its run commits before this (and is found below) or waits and sees it resumed.
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            throw await ChangedMeanwhileAsync(agent.Key, "resume", cancellationToken);
        }

        var held = await db.Runs.Where(r => r.AgentId == agent.Id && r.Status == RunStatus.Held).ToListAsync(cancellationToken);
        foreach (var run in held)
        {
            run.Unhold(now);
            db.AuditEntries.Add(AuditEntry.Record(actor, "run.released", "run", run.Id.ToString(), $"{agent.Name} was resumed: the held proposal is routed.", null, null, now));
        }

        await db.SaveChangesAsync(cancellationToken);
        await AgentPauseLock.CommitAsync(db, cancellationToken);

        // After the commit: a lost enqueue is found by the reconciler (the runs are pending again).
        foreach (var run in held)
        {
            scheduler.EnqueueRun(run.TenantId, run.Id);
        }

        await events.PublishAsync(new AgentPauseEvent(agent.TenantId, agent.Id, agent.Name, false, wasByBreaker, why, actor.Name, clock.GetUtcNow()));
        return State(agent, 0, held.Count);
    }

    /// <summary>The agent's pause, and how many of its runs are held; null when it does not exist for this tenant.</summary>
    public async Task<AgentPauseState?> GetAsync(string agentKey, CancellationToken cancellationToken = default)
    {
        await using var db = dbs.Create();
        var agent = await db.Agents.AsNoTracking().SingleOrDefaultAsync(a => a.Key == agentKey, cancellationToken);
        if (agent is null)
        {
            return null;
        }

        var held = await db.Runs.CountAsync(r => r.AgentId == agent.Id && r.Status == RunStatus.Held, cancellationToken);
        var versionId = await PolicyDecisionRouter.InForceAsync(db, agent.Key, agent.UseCase, clock.GetUtcNow(), cancellationToken);
        var policy = versionId is { } id ? await policies.GetAsync(db, id, cancellationToken) : null;
        return State(agent, held) with { WhilePaused = policy?.Policy.Document.PauseOrDefault.WhilePaused ?? WhilePaused.Review };
    }

    /// <summary>Agents the circuit breaker paused and no senior has resumed yet: what the seniors' alert lists.</summary>
    public async Task<IReadOnlyList<AgentPauseState>> TrippedAsync(CancellationToken cancellationToken = default)
    {
        await using var db = dbs.Create();
        var agents = await db.Agents.AsNoTracking().Where(a => a.IsPaused && a.PausedByBreaker).OrderBy(a => a.Name).ToListAsync(cancellationToken);
        return [.. agents.Select(a => State(a, 0))];
    }

    private async Task<AgentPauseState> PauseAsync(AgentConsoleDbContext db, Agent agent, Actor actor, string reason, bool byBreaker, CancellationToken cancellationToken)
    {
        // The agent's row first (as a proposal does), then the audit: one lock order, no deadlock; the state read is the latest.
        await AgentPauseLock.ReadInTransactionAsync(db, agent, cancellationToken);
        var before = Snapshot(agent);
        var now = clock.GetUtcNow();
        agent.Pause(actor, reason, byBreaker, now);
        db.AuditEntries.Add(AuditEntry.Record(actor, byBreaker ? "agent.paused-by-breaker" : "agent.paused", "agent", agent.Key, reason, before, Snapshot(agent), now));
        if (byBreaker)
        {
            await notifications.AgentPausedAsync(db, agent, reason, now, cancellationToken);
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
            await AgentPauseLock.CommitAsync(db, cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            throw await ChangedMeanwhileAsync(agent.Key, "pause", cancellationToken);
        }

        await events.PublishAsync(new AgentPauseEvent(agent.TenantId, agent.Id, agent.Name, true, byBreaker, reason, actor.Name, clock.GetUtcNow()));
        return State(agent, 0);
    }

    private static string Check(Actor actor, string? reason, string verb)
    {
        if (!actor.Can(Permissions.PauseAgents))
        {
            throw DomainException.Forbidden("agent.pause-role", $"Only a senior operator may {verb} an agent.");
        }

        if (string.IsNullOrWhiteSpace(reason))
        {
            throw DomainException.Invalid("agent.pause-reason", $"Say why you {verb} the agent.", new Dictionary<string, string[]>
            {
                ["reason"] = [$"A reason is required to {verb} an agent; it is shown to everyone who sees the agent and kept in the audit trail."],
            });
        }

        if (reason.Length > MaxReasonLength)
        {
            throw DomainException.Invalid("agent.pause-reason", "The reason is too long.", new Dictionary<string, string[]>
            {
                ["reason"] = [$"The reason must be {MaxReasonLength} characters or fewer."],
            });
        }

        return reason.Trim();
    }

    private static async Task<Agent> FindAsync(AgentConsoleDbContext db, string agentKey, Actor actor, CancellationToken cancellationToken)
    {
        var agent = await db.Agents.SingleOrDefaultAsync(a => a.Key == agentKey, cancellationToken);
        return agent is not null && agent.TenantId == actor.TenantId
            ? agent
            : throw DomainException.NotFound("agent.not-found", $"There is no agent '{agentKey}'.");
    }

    /// <summary>Someone else paused or resumed the agent after it was read here: theirs won; say where it stands now.</summary>
    private async Task<DomainException> ChangedMeanwhileAsync(string agentKey, string verb, CancellationToken cancellationToken)
    {
        await using var fresh = dbs.Create();
        var now = await fresh.Agents.AsNoTracking().SingleAsync(a => a.Key == agentKey, cancellationToken);
        return now.IsPaused
            ? DomainException.Conflict(verb == "pause" ? "agent.already-paused" : "agent.changed",
                $"Your {verb} was not saved: {now.Name} was paused meanwhile by {now.PausedByName} ({now.PauseReason}).")
            : DomainException.Conflict(verb == "resume" ? "agent.not-paused" : "agent.changed",
                $"Your {verb} was not saved: {now.Name} was resumed meanwhile.");
    }

    private static AgentPauseState State(Agent a, int heldRuns, int released = 0) =>
        new(a.Key, a.Name, a.IsPaused, a.PausedAt, a.PausedByName, a.PauseReason, a.PausedByBreaker, heldRuns, released);

    private static object Snapshot(Agent a) => new { paused = a.IsPaused, pausedBy = a.PausedByName, reason = a.PauseReason, byBreaker = a.PausedByBreaker };
}
