using AgentConsole.Domain.Decisions;
using AgentConsole.Domain.Persistence;
using AgentConsole.Domain.Tenancy;
using AgentConsole.Domain.Training.Certifications;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AgentConsole.Domain.Queues.Leases;

/// <summary>An item that needs a supervisor's attention, with why.</summary>
public sealed record AttentionItem(DecisionListItem Item, IReadOnlyList<string> Reasons);

/// <summary>
/// The work views across queues: "my work" (claimed by or assigned to me), "available" (open, unclaimed, mine to
/// take: my role, my certification) and, for senior operators, "needs attention" (overdue, about to breach, stuck
/// leases, items nobody eligible can take).
/// </summary>
public sealed class WorkViews(IAgentConsoleDbFactory dbs, DecisionQueries decisions, CertificationQueries certifications, TimeProvider clock, IOptions<QueueOptions> options)
{
    public const int Limit = 200;

    public async Task<IReadOnlyList<DecisionListItem>> MineAsync(Actor actor, CancellationToken cancellationToken = default)
    {
        RequireViewer(actor);
        var id = actor.Id;
        return DecisionQueries.BlindFor(actor, await certifications.MarkAsync(actor,
            await decisions.ListOpenWhereAsync(d => d.ClaimedById == id || d.AssignedToId == id, Limit, actor.Roles, cancellationToken), cancellationToken));
    }

    public async Task<IReadOnlyList<DecisionListItem>> AvailableAsync(Actor actor, CancellationToken cancellationToken = default)
    {
        RequireViewer(actor);
        List<ReviewQueue> queues;
        await using (var db = dbs.Create())
        {
            queues = [.. (await db.Queues.AsNoTracking().ToListAsync(cancellationToken)).Where(q => q.MayAct(actor))];
        }

        var ids = queues.Select(q => q.Id).ToList();
        var me = actor.Id;
        var open = await decisions.ListOpenWhereAsync(
            d => d.Status != DecisionStatus.InReview && (d.AssignedToId == null || d.AssignedToId == me) && d.QueueId != null && ids.Contains(d.QueueId.Value),
            Limit * 2, actor.Roles, cancellationToken);
        var marked = await certifications.MarkAsync(actor, open, cancellationToken);
        var mayDecide = await MayDecideAsync(marked.Select(i => i.Id).ToList(), actor, cancellationToken);
        return DecisionQueries.BlindFor(actor, [.. marked.Where(i => i.CertificationMissing is null && mayDecide.Contains(i.Id) && !i.GaveVerdict(me)).Take(Limit)]);
    }

    public async Task<IReadOnlyList<AttentionItem>> NeedsAttentionAsync(Actor actor, CancellationToken cancellationToken = default)
    {
        if (!actor.Can(Permissions.SuperviseQueues))
        {
            throw DomainException.Forbidden("work.supervisor-only", "Only a senior operator sees what needs attention across the queues.");
        }

        var now = clock.GetUtcNow();
        var cutoff = now - options.Value.Lease;
        var flagged = DecisionQueries.BlindFor(actor, await decisions.ListOpenWhereAsync(
            d => d.DueAt < now || d.SlaWarnedAt != null || (d.Status == DecisionStatus.InReview && d.LeaseRenewedAt < cutoff) || d.NeedsSeniorDecision,
            Limit, actor.Roles, cancellationToken));
        var nobody = await NobodyEligibleAsync(actor, cancellationToken);
        var items = new Dictionary<Guid, (DecisionListItem Item, List<string> Reasons)>();
        void Add(DecisionListItem item, string reason)
        {
            if (!items.TryGetValue(item.Id, out var entry))
            {
                items[item.Id] = entry = (item, []);
            }

            entry.Reasons.Add(reason);
        }

        foreach (var item in flagged)
        {
            if (item.DueAt < now)
            {
                Add(item, "overdue");
            }
            else if (item.SlaWarnedAt is not null)
            {
                Add(item, "about to breach");
            }

            if (item.Status == DecisionStatus.InReview && item.LeaseRenewedAt < cutoff)
            {
                Add(item, $"stuck: {item.ClaimedByName}'s page sent no heartbeat");
            }

            if (item.NeedsSeniorDecision)
            {
                Add(item, "reviewers disagreed: needs a senior's decision");
            }
        }

        foreach (var (item, why) in nobody)
        {
            Add(item, why);
        }

        return [.. items.Values.OrderBy(e => e.Item.DueAt).Select(e => new AttentionItem(e.Item, e.Reasons))];
    }

    /// <summary>Open items whose queue, review role and certification no active person of the tenant meets.</summary>
    private async Task<List<(DecisionListItem Item, string Why)>> NobodyEligibleAsync(Actor actor, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var result = new List<(DecisionListItem, string)>();
        await using var db = dbs.Create();
        var kinds = await db.Decisions.AsNoTracking()
            .Where(d => d.Status == DecisionStatus.Pending || d.Status == DecisionStatus.InReview || d.Status == DecisionStatus.Escalated)
            .Select(d => new { d.QueueId, d.ReviewRole, d.ReviewCertification }).Distinct().ToListAsync(cancellationToken);
        var users = await db.Users.AsNoTracking().Where(u => u.IsActive).ToListAsync(cancellationToken);
        var queues = await db.Queues.AsNoTracking().ToDictionaryAsync(q => q.Id, cancellationToken);
        foreach (var kind in kinds)
        {
            if (kind.QueueId is not { } queueId || !queues.TryGetValue(queueId, out var queue))
            {
                continue;
            }

            var sample = await db.Decisions.AsNoTracking()
                .FirstAsync(d => d.QueueId == queueId && d.ReviewRole == kind.ReviewRole && d.ReviewCertification == kind.ReviewCertification, cancellationToken);
            var held = await Assignments.HeldAsync(db, kind.ReviewCertification, cancellationToken);
            if (users.Any(u => Assignments.WhyNot(sample, queue, u, held, now) is null))
            {
                continue;
            }

            var why = kind.ReviewCertification is { } key
                ? $"nobody can take it: no active {string.Join(" or ", sample.DecidersIn(queue).Select(Roles.Label))} holds the {key} certification"
                : $"nobody can take it: no active {string.Join(" or ", sample.DecidersIn(queue).Select(Roles.Label))}";
            var role = kind.ReviewRole;
            var certification = kind.ReviewCertification;
            foreach (var item in await decisions.ListOpenWhereAsync(d => d.QueueId == queueId && d.ReviewRole == role && d.ReviewCertification == certification, Limit, actor.Roles, cancellationToken))
            {
                result.Add((item, why));
            }
        }

        return result;
    }

    private async Task<HashSet<Guid>> MayDecideAsync(List<Guid> ids, Actor actor, CancellationToken cancellationToken)
    {
        await using var db = dbs.Create();
        var rows = await db.Decisions.AsNoTracking().Where(d => ids.Contains(d.Id)).ToListAsync(cancellationToken);
        return [.. rows.Where(d => d.MayDecide(actor)).Select(d => d.Id)];
    }

    private static void RequireViewer(Actor actor)
    {
        if (!actor.Can(Permissions.ActOnDecisions))
        {
            throw DomainException.Forbidden("work.role", "Only operators and senior operators have work in the queues.");
        }
    }
}
