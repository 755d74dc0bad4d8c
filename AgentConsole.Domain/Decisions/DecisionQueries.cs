using System.Text.Json;
using System.Text.Json.Nodes;
using AgentConsole.Domain.Agents;
using AgentConsole.Domain.Audit;
using AgentConsole.Domain.Persistence;
using AgentConsole.Domain.Pipelines;
using AgentConsole.Domain.Policies;
using AgentConsole.Domain.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace AgentConsole.Domain.Decisions;

/// <summary>How a queue's list is ordered.</summary>
public enum DecisionSort
{
    /// <summary>Soonest due first.</summary>
    DueAt,
    /// <summary>Highest priority first.</summary>
    Priority,
    /// <summary>Lowest confidence first.</summary>
    ConfidenceAscending,
    /// <summary>Most recently arrived first.</summary>
    Newest,
    /// <summary>Longest waiting first.</summary>
    Oldest,
}

/// <summary>The sort names API clients write (<c>?sort=age</c>), case-insensitive.</summary>
public static class DecisionSorts
{
    private static readonly Dictionary<string, DecisionSort> ByName = new(StringComparer.OrdinalIgnoreCase)
    {
        ["due"] = DecisionSort.DueAt,
        ["dueAt"] = DecisionSort.DueAt,
        ["priority"] = DecisionSort.Priority,
        ["confidence"] = DecisionSort.ConfidenceAscending,
        ["confidenceAscending"] = DecisionSort.ConfidenceAscending,
        ["newest"] = DecisionSort.Newest,
        ["age"] = DecisionSort.Oldest,
        ["oldest"] = DecisionSort.Oldest,
    };

    /// <summary>The names to tell a caller about, one per order.</summary>
    public static IReadOnlyList<string> Names { get; } = ["due", "priority", "confidence", "newest", "age"];

    /// <summary>The order a name stands for; no name means by due time. An unknown name is refused with the accepted ones.</summary>
    public static DecisionSort Parse(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return DecisionSort.DueAt;
        }

        return ByName.TryGetValue(name.Trim(), out var sort)
            ? sort
            : throw DomainException.Invalid("query.sort", $"'{name}' is not a sort order: use one of {string.Join(", ", Names)}.",
                new Dictionary<string, string[]> { ["sort"] = [$"Use one of: {string.Join(", ", Names)} (age: longest waiting first)."] });
    }
}

/// <summary>Narrows a queue's list. Empty means everything open in the queue.</summary>
public sealed record DecisionFilter(Guid? AgentId = null, RiskLevel? MinRisk = null, double? MinConfidence = null, double? MaxConfidence = null, DecisionSort Sort = DecisionSort.DueAt)
{
    public bool Matches(DecisionListItem item) =>
        (AgentId is null || item.AgentId == AgentId)
        && (MinRisk is null || item.Risk >= MinRisk)
        && (MinConfidence is null || item.Confidence >= MinConfidence)
        && (MaxConfidence is null || item.Confidence <= MaxConfidence);

    /// <summary>Orders rows in memory as <see cref="DecisionQueries.PageOpenAsync"/> orders them in the database.</summary>
    public IEnumerable<DecisionListItem> Order(IEnumerable<DecisionListItem> items) => Sort switch
    {
        DecisionSort.Priority => items.OrderBy(i => i.Priority).ThenBy(i => i.DueAt).ThenBy(i => i.Id),
        DecisionSort.ConfidenceAscending => items.OrderBy(i => i.Confidence).ThenBy(i => i.DueAt).ThenBy(i => i.Id),
        DecisionSort.Newest => items.OrderByDescending(i => i.CreatedAt).ThenByDescending(i => i.Id),
        DecisionSort.Oldest => items.OrderBy(i => i.CreatedAt).ThenBy(i => i.Id),
        _ => items.OrderBy(i => i.DueAt).ThenBy(i => i.Priority).ThenBy(i => i.Id),
    };

    /// <summary>Whether the row sorts strictly before <paramref name="other"/> in this order.</summary>
    public bool SortsBefore(DecisionListItem item, DecisionListItem other) =>
        !ReferenceEquals(item, other) && ReferenceEquals(Order([other, item]).First(), item);
}

/// <summary>One row of a queue's list.</summary>
public sealed record DecisionListItem(
    Guid Id, Guid QueueId, string Subject, Guid AgentId, string AgentName, UseCase UseCase, double Confidence, RiskLevel Risk,
    DecisionStatus Status, int Priority, DateTimeOffset CreatedAt, DateTimeOffset? DueAt, string? ClaimedByName, int Version,
    int ReviewersRequired = 1, string? ApproverIdsCsv = null, string? Certification = null)
{
    /// <summary>For an item whose review requirement names a certification: whether the viewer holds it valid now (null when none is needed or not yet read).</summary>
    public bool? HoldsCertification { get; init; }

    /// <summary>Why the viewer may not claim or decide this item for lack of its certification, e.g. "you have never held it"; null when they may.</summary>
    public string? CertificationMissing { get; init; }

    /// <summary>Why the viewer may not claim or decide this item because calibration paused them from its risk level; null when no pause stands in the way.</summary>
    public string? PausedReason { get; init; }

    /// <summary>When the SLA ladder warned that it is about to breach (in its current queue); null when it has not.</summary>
    public DateTimeOffset? SlaWarnedAt { get; init; }

    /// <summary>Who a senior operator assigned it to, if anyone.</summary>
    public string? AssignedToName { get; init; }

    /// <summary>The last heartbeat of its claim, while claimed.</summary>
    public DateTimeOffset? LeaseRenewedAt { get; init; }

    /// <summary>Whether other reviewers' four-eyes verdicts are hidden from the viewer until they give theirs (then <see cref="Verdicts"/> reads 0).</summary>
    public bool VerdictsHidden { get; init; }

    /// <summary>Who rejected so far in the current four-eyes round (comma-separated ids).</summary>
    public string? RejecterIdsCsv { get; init; }

    /// <summary>When its four-eyes reviewers last disagreed; null when they never did.</summary>
    public DateTimeOffset? ReviewersDisagreedAt { get; init; }

    /// <summary>Its four-eyes reviewers disagreed in the top tier: a senior operator who gave neither verdict decides it.</summary>
    public bool NeedsSeniorDecision { get; init; }

    /// <summary>Approvals given so far in the current round, where the policy asks for several reviewers.</summary>
    public int Approvals => Count(ApproverIdsCsv);

    /// <summary>Verdicts (approvals and rejections) given so far in the current round, where the policy asks for several reviewers.</summary>
    public int Verdicts => Count(ApproverIdsCsv) + Count(RejecterIdsCsv);

    /// <summary>Whether this person gave a verdict in the current round.</summary>
    public bool GaveVerdict(string actorId) =>
        $",{ApproverIdsCsv},{RejecterIdsCsv},".Contains($",{actorId},", StringComparison.Ordinal);

    private static int Count(string? csv) => string.IsNullOrEmpty(csv) ? 0 : csv.Count(c => c == ',') + 1;
}

/// <summary>One entry of a decision's history as a viewer sees it: reasons people wrote have masked values redacted.</summary>
/// <param name="Field">For a reveal, the case field revealed.</param>
public sealed record DecisionHistoryEntry(DateTimeOffset At, ActorKind ActorKind, string ActorName, string Action, string? Reason, string? Field);

/// <summary>
/// Everything the decision page shows. The case — subject, inputs, rationale, evidence, proposal — is read through
/// <see cref="View"/>, masked for the viewer by the policy version that routed the decision; <see cref="Decision"/>
/// is there for its state (status, version, queue, claim, reviewers).
/// </summary>
public sealed record DecisionDetail(
    Decision Decision,
    string AgentName,
    Queues.ReviewQueue? Queue,
    IReadOnlyList<DecisionReview> Reviews,
    IReadOnlyList<DecisionHistoryEntry> Audit,
    PipelineRun? Run,
    DecisionView View)
{
    /// <summary>The last escalation, when it was escalated: who moved it, when and why.</summary>
    public DecisionReview? LastEscalation => Reviews.LastOrDefault(r => r.Action == ReviewAction.Escalated);

    /// <summary>Every time its four-eyes reviewers disagreed, oldest first, with their verdicts (reasons redacted for the viewer).</summary>
    public IReadOnlyList<FourEyesDisagreement> Disagreements =>
        [.. Reviews.Select(FourEyesDisagreement.Of).OfType<FourEyesDisagreement>()
            .Select(d => d with { Verdicts = [.. d.Verdicts.Select(v => v with { Reason = v.Reason is null ? null : View.Redact(v.Reason) })] })];

    /// <summary>The current four-eyes round's verdicts the viewer may see (none while blind): the reviews since the last escalation or disagreement.</summary>
    public IReadOnlyList<DecisionReview> RoundVerdicts =>
        [.. Reviews.Where(r => r.At > RoundStartedAt(Reviews) && r.Action is ReviewAction.Approved or ReviewAction.Rejected
            && Decision.GaveVerdict(r.ActorId))];

    /// <summary>When the current four-eyes round began: the last escalation or top-tier disagreement (verdicts after it count).</summary>
    internal static DateTimeOffset RoundStartedAt(IEnumerable<DecisionReview> reviews) =>
        reviews.Where(r => r.Action is ReviewAction.Escalated or ReviewAction.Disagreed).Select(r => r.At).DefaultIfEmpty(DateTimeOffset.MinValue).Max();

    /// <summary>The case inputs as the viewer may see them.</summary>
    public JsonObject Inputs => View.Inputs;

    /// <summary>The input fields hidden from the viewer.</summary>
    public IReadOnlySet<string> MaskedInputs => View.Mask.Fields.Select(f => f.Name).ToHashSet(StringComparer.Ordinal);

    /// <summary>The policy version that routed it, when a policy did: its scope's name and number.</summary>
    public string? PolicyLabel { get; init; }
}

/// <summary>Reads decisions for queues and pages, masked for the viewer by the policy version that routed each; never changes anything.</summary>
public sealed partial class DecisionQueries(IAgentConsoleDbFactory dbs, CaseMasks masks)
{
    /// <summary>Open decisions of any queue matching <paramref name="where"/>, soonest due first, at most <paramref name="limit"/> (the work views).</summary>
    public async Task<IReadOnlyList<DecisionListItem>> ListOpenWhereAsync(
        System.Linq.Expressions.Expression<Func<Decision, bool>> where, int limit, IReadOnlyCollection<string> viewerRoles, CancellationToken cancellationToken = default)
    {
        await using var db = dbs.Create();
        var open = db.Decisions.Where(d => d.Status == DecisionStatus.Pending || d.Status == DecisionStatus.InReview || d.Status == DecisionStatus.Escalated)
            .Where(where).OrderBy(d => d.DueAt).Take(limit);
        return await MaskedAsync(db, await Project(db, open).ToListAsync(cancellationToken), viewerRoles, cancellationToken);
    }

    /// <summary>One row, for live updates of a list; null when it no longer exists for this tenant.</summary>
    public async Task<DecisionListItem?> GetListItemAsync(Guid decisionId, IReadOnlyCollection<string> viewerRoles, CancellationToken cancellationToken = default)
    {
        await using var db = dbs.Create();
        var rows = await Project(db, db.Decisions.Where(d => d.Id == decisionId)).ToListAsync(cancellationToken);
        return (await MaskedAsync(db, rows, viewerRoles, cancellationToken)).SingleOrDefault();
    }

    /// <summary>
    /// One decision with everything its page shows, masked for <paramref name="viewerRoles"/> by the policy version that
    /// routed it, with the fields this viewer revealed (<paramref name="reveals"/>, from <see cref="MaskedFieldReveal"/>) shown.
    /// </summary>
    public async Task<DecisionDetail?> GetAsync(
        Guid decisionId, IReadOnlyCollection<string> viewerRoles, IReadOnlyCollection<FieldReveal>? reveals = null, CancellationToken cancellationToken = default)
    {
        await using var db = dbs.Create();
        var decision = await db.Decisions.AsNoTracking().Include(d => d.Reviews).SingleOrDefaultAsync(d => d.Id == decisionId, cancellationToken);
        if (decision is null)
        {
            return null;
        }

        var agentName = await db.Agents.AsNoTracking().Where(a => a.Id == decision.AgentId).Select(a => a.Name).SingleAsync(cancellationToken);
        var queue = decision.QueueId is { } queueId
            ? await db.Queues.AsNoTracking().SingleOrDefaultAsync(q => q.Id == queueId, cancellationToken)
            : null;
        var id = decision.Id.ToString();
        var audit = await db.AuditEntries.AsNoTracking().Where(a => a.EntityType == "decision" && a.EntityId == id).OrderBy(a => a.Id).ToListAsync(cancellationToken);
        var run = await db.Runs.AsNoTracking().Include(r => r.Steps).SingleOrDefaultAsync(r => r.Id == decision.RunId, cancellationToken);
        var mask = await masks.Open(db).ForAsync(decision.PolicyVersionId, decision.AgentId, decision.UseCase, decision.Inputs, viewerRoles, cancellationToken);
        var view = DecisionView.Of(decision, mask.Revealing((reveals ?? []).Where(r => r.DecisionId == decision.Id).Select(r => r.Field)));
        var history = audit.Select(a => new DecisionHistoryEntry(a.At, a.ActorKind, a.ActorName, a.Action, a.Reason is null ? null : view.Redact(a.Reason), RevealedField(a))).ToList();
        return new DecisionDetail(decision, agentName, queue, decision.Reviews.OrderBy(r => r.At).ToList(), history, run, view)
        {
            PolicyLabel = await PolicyLabelAsync(db, decision.PolicyVersionId, cancellationToken),
        };
    }

    /// <summary>
    /// The decision page's read for one person: as <see cref="GetAsync"/>, with four-eyes kept blind — while they have not
    /// given their own verdict, the others' approvals read as a verdict given, without who, what or why.
    /// </summary>
    public async Task<DecisionDetail?> GetForAsync(Guid decisionId, Actor viewer, IReadOnlyCollection<FieldReveal>? reveals = null, CancellationToken cancellationToken = default)
    {
        var detail = await GetAsync(decisionId, viewer.Roles, reveals, cancellationToken);
        if (detail is null || !detail.Decision.HidesVerdictsFrom(viewer))
        {
            return detail;
        }

        // Only the current round is blind: the verdicts before the last escalation or disagreement are the evidence it carries.
        var roundStart = DecisionDetail.RoundStartedAt(detail.Reviews);
        var lastRoundEnd = detail.Audit.ToList().FindLastIndex(e => RoundEndingActions.Contains(e.Action));
        return detail with
        {
            Reviews = [.. detail.Reviews.Where(r => r.Action is not (ReviewAction.Approved or ReviewAction.Rejected) || r.At <= roundStart)],
            Audit = [.. detail.Audit.Select((e, i) => i > lastRoundEnd && IsRoundVerdict(e.Action) ? new DecisionHistoryEntry(e.At, e.ActorKind, "another reviewer", HiddenVerdictAction, null, null) : e)],
        };
    }

    /// <summary>The audit actions that end a four-eyes round: the next verdicts start a new one.</summary>
    public static readonly IReadOnlySet<string> RoundEndingActions = new HashSet<string>(StringComparer.Ordinal)
    {
        "decision.escalated", "decision.sla-escalated", Decision.FourEyesDisagreedAction,
    };

    /// <summary>Whether an audit action is a four-eyes verdict that did not resolve the decision (hidden from blind reviewers in its round).</summary>
    public static bool IsRoundVerdict(string action) => action is Decision.ApprovalRecordedAction or Decision.RejectionRecordedAction;

    /// <summary>How a hidden four-eyes verdict reads in a blind reviewer's history.</summary>
    public const string HiddenVerdictAction = "decision.verdict-hidden";

    /// <summary>List rows as one person may see them: four-eyes verdicts of items they have not given theirs on stay hidden.</summary>
    public static IReadOnlyList<DecisionListItem> BlindFor(Actor viewer, IReadOnlyList<DecisionListItem> items) =>
        !viewer.Can(Permissions.ActOnDecisions)
            ? items
            : [.. items.Select(i => i.ReviewersRequired > 1 && !i.NeedsSeniorDecision && (i.ApproverIdsCsv is not null || i.RejecterIdsCsv is not null) && !i.GaveVerdict(viewer.Id)
                ? i with { ApproverIdsCsv = null, RejecterIdsCsv = null, VerdictsHidden = true }
                : i)];

    /// <summary>A policy version as people name it, e.g. "Dynamic pricing v3"; null for none.</summary>
    internal static async Task<string?> PolicyLabelAsync(AgentConsoleDbContext db, Guid? versionId, CancellationToken cancellationToken)
    {
        if (versionId is not { } id)
        {
            return null;
        }

        var version = await db.PolicyVersions.AsNoTracking().Where(v => v.Id == id)
            .Join(db.PolicyScopes, v => v.ScopeId, s => s.Id, (v, s) => new { s.Name, v.Number }).SingleOrDefaultAsync(cancellationToken);
        return version is null ? null : $"{version.Name} v{version.Number}";
    }

    /// <summary>The decision's case as a viewer with these roles sees it (after an action, for the API's answer).</summary>
    public async Task<DecisionView> ViewAsync(Decision decision, IReadOnlyCollection<string> viewerRoles, CancellationToken cancellationToken = default)
    {
        await using var db = dbs.Create();
        return DecisionView.Of(decision, await masks.Open(db).ForAsync(decision.PolicyVersionId, decision.AgentId, decision.UseCase, decision.Inputs, viewerRoles, cancellationToken));
    }

    private static string? RevealedField(AuditEntry entry) =>
        entry.Action == MaskedFieldReveal.AuditAction && entry.AfterJson is { } after
            ? JsonSerializer.Deserialize<MaskedFieldReveal.RevealAudit>(after)?.Field
            : null;

    /// <summary>List rows with their subjects masked: a subject is free text, and often repeats case values.</summary>
    private async Task<List<DecisionListItem>> MaskedAsync(AgentConsoleDbContext db, List<ListRow> rows, IReadOnlyCollection<string> viewerRoles, CancellationToken cancellationToken)
    {
        var reader = masks.Open(db);
        var items = new List<DecisionListItem>(rows.Count);
        foreach (var row in rows)
        {
            var inputs = JsonNode.Parse(row.InputsJson)!.AsObject();
            var mask = await reader.ForAsync(row.PolicyVersionId, row.Item.AgentId, row.Item.UseCase, inputs, viewerRoles, cancellationToken);
            items.Add(mask.IsEmpty ? row.Item : row.Item with { Subject = DecisionView.SubjectFor(row.Item.Subject, inputs, mask) });
        }

        return items;
    }

    private sealed record ListRow(DecisionListItem Item, string InputsJson, Guid? PolicyVersionId);

    private static IQueryable<ListRow> Project(AgentConsoleDbContext db, IQueryable<Decision> decisions) =>
        from d in decisions
        join a in db.Agents on d.AgentId equals a.Id
        select new ListRow(
            new DecisionListItem(d.Id, d.QueueId ?? Guid.Empty, d.Subject, d.AgentId, a.Name, d.UseCase, d.Confidence, d.Risk, d.Status,
                d.Priority, d.CreatedAt, d.DueAt, d.ClaimedByName, d.Version, d.ReviewersRequired, d.ApproverIdsCsv, d.ReviewCertification)
            {
                SlaWarnedAt = d.SlaWarnedAt,
                AssignedToName = d.AssignedToName,
                LeaseRenewedAt = d.LeaseRenewedAt,
                RejecterIdsCsv = d.RejecterIdsCsv,
                ReviewersDisagreedAt = d.ReviewersDisagreedAt,
                NeedsSeniorDecision = d.NeedsSeniorDecision,
            },
            d.InputsJson,
            d.PolicyVersionId);
}
