using AgentConsole.Domain.Agents.BuiltIn;
using AgentConsole.Domain.Decisions;
using AgentConsole.Domain.Persistence;
using AgentConsole.Domain.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace AgentConsole.Domain.Pipelines;

/// <summary>A simulated business feed: synthetic cases for the tenant's active agents, started as pipeline runs.</summary>
public sealed class CaseFeed(IAgentConsoleDbFactory dbs, PipelineService pipelines, ITenantContext tenant)
{
    private static readonly Lock RandomGate = new();
    private static readonly SyntheticCaseGenerator Generator = new(new Random());

    /// <summary>
    /// Starts <paramref name="count"/> runs, spread over the tenant's unpaused agents whose queues have room:
    /// an agent is left out while a queue of its use case holds <paramref name="maxOpenPerQueue"/> open decisions.
    /// </summary>
    public async Task<IReadOnlyList<Guid>> FeedAsync(int count, int maxOpenPerQueue = int.MaxValue, CancellationToken cancellationToken = default)
    {
        var tenantId = tenant.TenantId ?? throw new InvalidOperationException("The feed runs for one tenant.");
        await using var db = dbs.Create();
        var full = maxOpenPerQueue == int.MaxValue ? [] : await db.Decisions
            .Where(d => d.QueueId != null && (d.Status == DecisionStatus.Pending || d.Status == DecisionStatus.InReview || d.Status == DecisionStatus.Escalated))
            .GroupBy(d => new { d.UseCase, d.QueueId })
            .Where(g => g.Count() >= maxOpenPerQueue)
            .Select(g => g.Key.UseCase)
            .ToListAsync(cancellationToken);
        // A paused agent still receives cases (the systems sending them do not know of the pause): its proposals go to review or are held.
        var agents = (await db.Agents.AsNoTracking().ToListAsync(cancellationToken)).Where(a => !full.Contains(a.UseCase)).ToList();
        if (agents.Count == 0)
        {
            return [];
        }

        var feedActor = Actor.System(tenantId, "business feed");
        var runs = new List<Guid>(count);
        for (var i = 0; i < count; i++)
        {
            SyntheticCase c;
            Agents.Agent agent;
            lock (RandomGate)
            {
                agent = Generator.Pick(agents);
                c = Generator.Next(agent.UseCase);
            }

            runs.Add(await pipelines.StartRunAsync(agent.Id, c.Subject, c.Inputs, c.Truth, feedActor, cancellationToken));
        }

        return runs;
    }
}
