using System.Text.Json.Nodes;
using AgentConsole.Domain.Decisions;
using AgentConsole.Domain.Persistence;
using AgentConsole.Domain.Queues;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AgentConsole.Domain.Tenancy;

/// <summary>
/// The demo's colleagues: named people who exist only as actors — "Nora Lind (demo colleague)" wherever a
/// name shows — and keep moving the queues nobody signed in is working. Each tick, a colleague whose think
/// time is up decides the item they hold (as <see cref="DemoReviewer"/> judges it, escalating now and then
/// from the first tier), and each free colleague claims the oldest item they may decide or escalate that has
/// waited <see cref="DemoOptions.ColleagueWaitSeconds"/> in a queue no person is working. They act through
/// <see cref="DecisionService"/> like anyone, at the version they saw, and give way silently to whoever acted first.
/// </summary>
/// <remarks>
/// A person is working a queue while their latest claim, release or verdict on an item of that queue is less
/// than <see cref="DemoOptions.ColleaguesYieldMinutes"/> old. It is read from the audit trail, which every node
/// sees alike and a restart keeps; a person's claim older than that no longer holds the whole queue back
/// (nothing else would ever free it), but colleagues still never touch the item itself.
/// </remarks>
public sealed class DemoColleagues(
    IAgentConsoleDbFactory dbs, DecisionService decisions, ITenantContext tenant, TimeProvider clock, IOptions<DemoOptions> options, ILogger<DemoColleagues> logger)
{
    /// <summary>Begins the actor id of every demo colleague, so their work is told apart from people's.</summary>
    public const string IdPrefix = "demo-colleague:";

    /// <summary>How often a first-tier colleague leaves a decision to a senior operator although they could decide it.</summary>
    private const double EscalateShare = 0.1;

    // Enough of them to keep up with the shipped feed settings at a human pace.
    private static readonly (string Key, string Name, string Role)[] Roster =
    [
        ("nora", "Nora Lind", Roles.Operator),
        ("ravi", "Ravi Mehta", Roles.Operator),
        ("lena", "Lena Fischer", Roles.Operator),
        ("tomas", "Tomás Ruiz", Roles.Operator),
        ("aiko", "Aiko Sato", Roles.Operator),
        ("jonas", "Jonas Berg", Roles.Operator),
        ("helen", "Helen Park", Roles.SeniorOperator),
        ("marcus", "Marcus Obi", Roles.SeniorOperator),
        ("yuki", "Yuki Tanaka", Roles.SeniorOperator),
        ("sofia", "Sofia Rossi", Roles.SeniorOperator),
        ("david", "David Cohen", Roles.SeniorOperator),
        ("amara", "Amara Nwosu", Roles.SeniorOperator),
        ("pierre", "Pierre Laurent", Roles.SeniorOperator),
        ("ines", "Inês Costa", Roles.SeniorOperator),
    ];

    /// <summary>A tenant's demo colleagues, as the actors they act as.</summary>
    public static IReadOnlyList<Actor> Of(Guid tenantId) =>
        [.. Roster.Select(c => new Actor(ActorKind.User, IdPrefix + c.Key, $"{c.Name} (demo colleague)", tenantId, new HashSet<string>([c.Role], StringComparer.Ordinal)))];

    public static bool IsColleague(string? actorId) => actorId?.StartsWith(IdPrefix, StringComparison.Ordinal) == true;

    /// <summary>One round of work in the current tenant's queues; returns how many actions took effect.</summary>
    public async Task<int> TickAsync(CancellationToken cancellationToken = default)
    {
        var o = options.Value;
        var team = Of(tenant.TenantId ?? throw new InvalidOperationException("Demo colleagues work for one tenant."));
        var now = clock.GetUtcNow();
        var board = await ReadBoardAsync(now.AddMinutes(-o.ColleaguesYieldMinutes), cancellationToken);
        var acted = 0;

        var thinking = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in board.Open.Where(d => d.Status == DecisionStatus.InReview && IsColleague(d.ClaimedById)))
        {
            if (team.FirstOrDefault(c => c.Id == item.ClaimedById) is not { } colleague)
            {
                continue;
            }

            if (item.ClaimedAt + ThinkTime(item, o.ColleagueThinkSeconds) > now)
            {
                thinking.Add(colleague.Id);
                continue;
            }

            acted += await GiveWayAsync(() => DecideAsync(item, colleague, board, cancellationToken), item, colleague);
        }

        var waitedSince = now.AddSeconds(-o.ColleagueWaitSeconds);
        var waiting = board.Open.Where(d => d.Status != DecisionStatus.InReview && !board.WorkedByPeople.Contains(d.QueueId!.Value) && board.ArrivedAt(d) <= waitedSince).ToList();
        foreach (var colleague in team.Where(c => !thinking.Contains(c.Id)).OrderBy(_ => Random.Shared.Next()))
        {
            // Seniors take the higher tiers first; each item goes to one colleague.
            var senior = colleague.IsInRole(Roles.SeniorOperator);
            var next = waiting.Where(d => MayTake(colleague, d, board.Queue(d)) && board.Certified(colleague, d))
                .OrderBy(d => senior ? -board.Queue(d).Tier : board.Queue(d).Tier).ThenBy(board.ArrivedAt).FirstOrDefault();
            if (next is not null)
            {
                waiting.Remove(next);
                acted += await GiveWayAsync(() => decisions.ClaimAsync(next.Id, colleague, next.Version, cancellationToken), next, colleague);
            }
        }

        return acted;
    }

    /// <summary>
    /// A colleague takes what the queue lets them work and the policy lets them decide, or at least escalate — never an
    /// item they already gave a four-eyes verdict on.
    /// </summary>
    private static bool MayTake(Actor colleague, Decision item, ReviewQueue queue) =>
        queue.MayAct(colleague) && !item.GaveVerdict(colleague.Id) &&
        (item.MayDecide(colleague) || queue.EscalatesToQueueId is not null);

    private Task<Decision> DecideAsync(Decision item, Actor colleague, Board board, CancellationToken cancellationToken)
    {
        var mayEscalate = board.Queue(item).EscalatesToQueueId is not null;
        if (!item.MayDecide(colleague))
        {
            return decisions.EscalateAsync(item.Id, colleague, $"The policy asks {Roles.WithArticle(item.ReviewRole!)} to decide this.", item.Version, cancellationToken);
        }

        if (mayEscalate && !colleague.IsInRole(Roles.SeniorOperator) && Random.Shared.NextDouble() < EscalateShare)
        {
            return decisions.EscalateAsync(item.Id, colleague, "Not sure about this one: a senior operator should look at it.", item.Version, cancellationToken);
        }

        var truth = JsonNode.Parse(board.Truths.GetValueOrDefault(item.RunId, "{}"))!.AsObject();
        var verdict = DemoReviewer.Judge(item.UseCase, item.Proposal, truth, item.ReviewersRequired, Random.Shared);
        return verdict.Kind switch
        {
            DemoVerdictKind.Approve => decisions.ApproveAsync(item.Id, colleague, verdict.Reason, item.Version, cancellationToken),
            DemoVerdictKind.Override => decisions.OverrideAsync(item.Id, colleague, verdict.Values!, verdict.Reason, item.Version, cancellationToken),
            _ => decisions.RejectAsync(item.Id, colleague, verdict.Reason, item.Version, cancellationToken),
        };
    }

    /// <summary>Runs one action; when someone else acted on the item first, the colleague lets it be and moves on.</summary>
    private async Task<int> GiveWayAsync(Func<Task> act, Decision item, Actor colleague)
    {
        try
        {
            await act();
            return 1;
        }
        catch (DomainException ex) when (ex.Kind == DomainErrorKind.Conflict)
        {
            logger.LogDebug("{Colleague} gave way on decision {DecisionId}: {Reason}", colleague.Name, item.Id, ex.Message);
            return 0;
        }
        catch (DomainException ex)
        {
            // A refusal other than a lost race is a rule the colleagues do not know yet: say so, and keep the other queues moving.
            logger.LogWarning("{Colleague} was refused on decision {DecisionId}: {Reason}", colleague.Name, item.Id, ex.Message);
            return 0;
        }
    }

    /// <summary>Between half and one and a half times the typical think time, fixed per item so every tick and node agrees.</summary>
    private static TimeSpan ThinkTime(Decision item, int typicalSeconds) =>
        TimeSpan.FromSeconds(typicalSeconds * (0.5 + (item.Id.ToByteArray()[0] / 255.0)));

    private async Task<Board> ReadBoardAsync(DateTimeOffset peopleSince, CancellationToken cancellationToken)
    {
        await using var db = dbs.Create();
        var queues = await db.Queues.AsNoTracking().ToDictionaryAsync(q => q.Id, cancellationToken);
        var open = await db.Decisions.AsNoTracking()
            .Where(d => d.QueueId != null && (d.Status == DecisionStatus.Pending || d.Status == DecisionStatus.InReview || d.Status == DecisionStatus.Escalated))
            .ToListAsync(cancellationToken);
        var held = open.Where(d => IsColleague(d.ClaimedById)).Select(d => d.RunId).ToList();
        var truths = await db.Runs.AsNoTracking().Where(r => held.Contains(r.Id)).ToDictionaryAsync(r => r.Id, r => r.TruthJson, cancellationToken);

        // The audit trail has no index on time, but its ids grow with it: find where the window starts (an id, read across
        // tenants, is all this reads), then read only from there, so a tick stays cheap however long the trail grows.
        var windowStart = await db.AuditEntries.IgnoreQueryFilters().Where(a => a.At < peopleSince).OrderByDescending(a => a.Id).Select(a => a.Id).FirstOrDefaultAsync(cancellationToken);
        var peoplesWork = await db.AuditEntries.AsNoTracking()
            .Where(a => a.Id > windowStart && a.At >= peopleSince && a.EntityType == "decision" && a.ActorKind == ActorKind.User && !a.ActorId.StartsWith(IdPrefix))
            .Select(a => a.BeforeJson)
            .ToListAsync(cancellationToken);
        // The certifications colleagues hold valid now: they leave alone the items they could not claim.
        var now = clock.GetUtcNow();
        var certified = (await db.Certifications.AsNoTracking().Where(c => c.HolderId.StartsWith(IdPrefix) && c.RevokedAt == null).ToListAsync(cancellationToken))
            .Where(c => c.StatusAt(now) == Training.Certifications.CertificationStatus.Valid).Select(c => (c.HolderId, c.Key)).ToHashSet();
        // Nor do they take items calibration paused them from.
        var paused = await db.CalibrationPauses.AsNoTracking().Where(p => p.PersonId.StartsWith(IdPrefix) && p.ClearedAt == null).ToListAsync(cancellationToken);
        return new Board(queues, open, peoplesWork.Select(QueueBefore).OfType<Guid>().ToHashSet(), truths, certified, paused);
    }

    /// <summary>The queue a decision was in before a change, from the audit entry's snapshot.</summary>
    private static Guid? QueueBefore(string? snapshot) =>
        snapshot is not null && JsonNode.Parse(snapshot)?["queueId"] is JsonValue id && Guid.TryParse(id.GetValue<string>(), out var queueId) ? queueId : null;

    /// <summary>What the colleagues see at the start of a tick.</summary>
    private sealed record Board(
        IReadOnlyDictionary<Guid, ReviewQueue> Queues, IReadOnlyList<Decision> Open, IReadOnlySet<Guid> WorkedByPeople, IReadOnlyDictionary<Guid, string> Truths,
        IReadOnlySet<(string HolderId, string Key)> Certifications, IReadOnlyList<Training.Calibration.CalibrationPause> Paused)
    {
        /// <summary>Whether the colleague holds the certification the item's review requirement names, if any, and no calibration pause keeps them from it.</summary>
        public bool Certified(Actor colleague, Decision item) =>
            (item.ReviewCertification is not { } key || Certifications.Contains((colleague.Id, key)))
            && !Paused.Any(p => p.PersonId == colleague.Id && p.Covers(item.UseCase, item.Risk));

        public ReviewQueue Queue(Decision item) => Queues[item.QueueId!.Value];

        /// <summary>When the item entered its current queue: its due time is set from that queue's SLA on arrival.</summary>
        public DateTimeOffset ArrivedAt(Decision item) => item.DueAt?.AddMinutes(-Queue(item).SlaMinutes) ?? item.CreatedAt;
    }
}
