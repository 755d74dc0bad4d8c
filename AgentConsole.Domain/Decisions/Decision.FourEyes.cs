using System.Text.Json;
using AgentConsole.Domain.Queues;
using AgentConsole.Domain.Tenancy;

namespace AgentConsole.Domain.Decisions;

/// <summary>
/// Four-eyes: a decision whose routing requirement asks for N distinct reviewers collects N verdicts in a round. All
/// approve: approved. All reject: rejected. They disagree: the decision goes to the next tier, which decides afresh in a
/// new round with both verdicts attached; in the top tier it stays in its queue and one senior operator who gave neither
/// verdict decides it alone. Any escalation (a person's, the SLA ladder's) ends the round; a release or a lapsed lease
/// does not (the verdicts given stand).
/// </summary>
public sealed partial class Decision
{
    /// <summary>The audit action of a four-eyes approval that did not resolve the decision (one of the verdicts needed).</summary>
    public const string ApprovalRecordedAction = "decision.approval-recorded";

    /// <summary>The audit action of a four-eyes rejection that did not resolve the decision (one of the verdicts needed).</summary>
    public const string RejectionRecordedAction = "decision.rejection-recorded";

    /// <summary>The audit action of the system's step when four-eyes reviewers disagreed: escalated, or left for a senior's decision.</summary>
    public const string FourEyesDisagreedAction = "decision.four-eyes-disagreed";

    /// <summary>Who has rejected so far in the current four-eyes round (comma-separated ids).</summary>
    public string? RejecterIdsCsv { get; private set; }

    /// <summary>Distinct reviewers who rejected so far in the current four-eyes round.</summary>
    public IReadOnlyList<string> Rejecters => RejecterIdsCsv?.Split(',', StringSplitOptions.RemoveEmptyEntries) ?? [];

    /// <summary>When its four-eyes reviewers last disagreed; null when they never did.</summary>
    public DateTimeOffset? ReviewersDisagreedAt { get; private set; }

    /// <summary>
    /// Its four-eyes reviewers disagreed in the top tier: it stays in its queue, and one senior operator who gave neither
    /// verdict decides it alone (approve or reject).
    /// </summary>
    public bool NeedsSeniorDecision { get; private set; }

    /// <summary>Verdicts given in the current round.</summary>
    public int VerdictsGiven => Approvers.Count + Rejecters.Count;

    /// <summary>Whether this person gave a verdict in the current round.</summary>
    public bool GaveVerdict(string actorId) =>
        Approvers.Contains(actorId, StringComparer.Ordinal) || Rejecters.Contains(actorId, StringComparer.Ordinal);

    /// <summary>Whether the round is complete and its verdicts disagree, waiting for <see cref="SettleDisagreement"/> in the same change.</summary>
    public bool ReviewersDisagree =>
        Status.IsOpen() && ReviewersRequired > 1 && !NeedsSeniorDecision && VerdictsGiven >= ReviewersRequired && Approvers.Count > 0 && Rejecters.Count > 0;

    /// <summary>
    /// One reviewer's four-eyes verdict. Each but the last puts the decision back in its queue; the last resolves it when
    /// all agree, or leaves it open with <see cref="ReviewersDisagree"/> when they do not. After a disagreement in the top
    /// tier, the one verdict of a senior operator who gave neither decides it.
    /// </summary>
    private VerdictOutcome GiveVerdict(Actor actor, string reason, DateTimeOffset now, bool approve)
    {
        var verb = approve ? "approve" : "reject";
        var action = approve ? ReviewAction.Approved : ReviewAction.Rejected;
        RequireReason(reason);
        EnsureOpenFor(actor, verb);
        EnsureReviewRole(actor, verb);
        if (NeedsSeniorDecision)
        {
            ResolveByVerdict(actor, reason, now, approve);
            return VerdictOutcome.Resolved;
        }

        if (GaveVerdict(actor.Id))
        {
            var given = Approvers.Contains(actor.Id, StringComparer.Ordinal) ? "approved" : "rejected";
            throw DomainException.Conflict($"decision.already-{given}",
                $"You already {given} this decision; the policy requires {ReviewersRequired} different reviewers (four-eyes), so another reviewer must give their verdict.");
        }

        if (approve)
        {
            ApproverIdsCsv = string.Join(',', Approvers.Append(actor.Id));
        }
        else
        {
            RejecterIdsCsv = string.Join(',', Rejecters.Append(actor.Id));
        }

        if (VerdictsGiven >= ReviewersRequired && (Rejecters.Count == 0 || Approvers.Count == 0))
        {
            ResolveByVerdict(actor, reason, now, approve);
            return VerdictOutcome.Resolved;
        }

        Status = EscalationLevel > 0 ? DecisionStatus.Escalated : DecisionStatus.Pending;
        ClearClaim();
        AddReview(action, actor, reason, null, now);
        return ReviewersDisagree ? VerdictOutcome.Disagreed : VerdictOutcome.Recorded;
    }

    private void ResolveByVerdict(Actor actor, string reason, DateTimeOffset now, bool approve)
    {
        if (approve)
        {
            Resolve(actor, reason, now, "approve", DecisionStatus.Approved, ReviewAction.Approved);
            FinalJson = ProposalJson;
        }
        else
        {
            Resolve(actor, reason, now, "reject", DecisionStatus.Rejected, ReviewAction.Rejected);
        }
    }

    /// <summary>
    /// The system's step after reviewers disagreed, in the same change as the last verdict: escalates to
    /// <paramref name="next"/> with the round's verdicts attached (the next tier decides afresh), or, in the top tier
    /// (<paramref name="next"/> null), leaves it in its queue for a senior operator's decision. Returns the reason recorded.
    /// </summary>
    public string SettleDisagreement(Actor system, ReviewQueue? next, DateTimeOffset now)
    {
        if (!ReviewersDisagree)
        {
            throw Illegal("settle a disagreement on", "its four-eyes reviewers have not disagreed");
        }

        var verdicts = RoundVerdicts();
        var said = string.Join(", ", verdicts.Select(v => $"{v.Reviewer} {(v.Approved ? "approved" : "rejected")} (\"{Shorten(v.Reason)}\")"));
        ReviewersDisagreedAt = now;
        if (next is not null)
        {
            var reason = $"Four-eyes reviewers disagreed: {said}. Escalated to {next.Name}, which decides afresh.";
            Escalate(system, reason, next, now, verdicts);
            return reason;
        }

        var stays = $"Four-eyes reviewers disagreed: {said}. There is no higher tier: a senior operator who gave neither verdict decides it.";
        NeedsSeniorDecision = true;
        ClearClaim();
        AddReview(ReviewAction.Disagreed, system, stays, FourEyesDisagreement.ValuesJson(QueueId, null, verdicts), now);
        return stays;
    }

    /// <summary>The current round's verdicts, oldest first, from its reviews (which must be loaded).</summary>
    private List<FourEyesVerdict> RoundVerdicts()
    {
        var given = Approvers.Select(id => (id, approved: true)).Concat(Rejecters.Select(id => (id, approved: false)));
        return [.. given.Select(g =>
        {
            var review = _reviews.LastOrDefault(r => r.ActorId == g.id && r.Action == (g.approved ? ReviewAction.Approved : ReviewAction.Rejected));
            return new FourEyesVerdict(g.id, review?.ActorName ?? g.id, g.approved, review?.Reason, review?.At ?? default);
        }).OrderBy(v => v.At)];
    }

    /// <summary>A reason as one line of the disagreement's own reason (which is at most 1000 characters); each in full in the attached verdicts.</summary>
    private static string Shorten(string? reason)
    {
        var text = (reason ?? "").ReplaceLineEndings(" ").Trim();
        return text.Length <= 200 ? text : text[..199] + "…";
    }

    /// <summary>A new tier decides afresh: the verdicts given so far stay in the history, and no longer count.</summary>
    private void StartNewRound()
    {
        ApproverIdsCsv = null;
        RejecterIdsCsv = null;
        NeedsSeniorDecision = false;
    }

    /// <summary>After a disagreement in the top tier: only a senior operator who gave neither verdict takes it.</summary>
    private void EnsureMayTakeSeniorDecision(Actor actor, string verb)
    {
        if (!NeedsSeniorDecision)
        {
            return;
        }

        if (!actor.IsInRole(Roles.SeniorOperator))
        {
            throw DomainException.Forbidden("decision.needs-senior",
                $"Cannot {verb}: the four-eyes reviewers disagreed and there is no higher tier, so a senior operator must decide it.");
        }

        if (GaveVerdict(actor.Id))
        {
            throw DomainException.Conflict("decision.gave-disagreeing-verdict",
                $"Cannot {verb}: you gave one of the verdicts that disagreed, so a senior operator who gave neither decides it.");
        }
    }
}

/// <summary>One four-eyes reviewer's verdict, as attached to the step that followed a disagreement.</summary>
public sealed record FourEyesVerdict(string ReviewerId, string Reviewer, bool Approved, string? Reason, DateTimeOffset At)
{
    /// <summary>"approve" or "reject", as the API and the stored values write it.</summary>
    public string Verdict => Approved ? "approve" : "reject";
}

/// <summary>
/// Four-eyes reviewers who disagreed, read back from the review that followed: an escalation to the next tier, or (top
/// tier, <see cref="ToQueueId"/> null) the decision left for a senior operator's decision.
/// </summary>
public sealed record FourEyesDisagreement(DateTimeOffset At, Guid? FromQueueId, Guid? ToQueueId, IReadOnlyList<FourEyesVerdict> Verdicts)
{
    /// <summary>Whether it went to the next tier (else it waited for a senior operator in the same queue).</summary>
    public bool Escalated => ToQueueId is not null;

    internal static string ValuesJson(Guid? fromQueueId, Guid? toQueueId, IReadOnlyList<FourEyesVerdict> verdicts) =>
        JsonSerializer.Serialize(new Stored(fromQueueId, toQueueId, [.. verdicts.Select(v => new StoredVerdict(v.ReviewerId, v.Reviewer, v.Verdict, v.Reason, v.At))]), Json);

    /// <summary>The disagreement a review records, if it records one.</summary>
    public static FourEyesDisagreement? Of(DecisionReview review)
    {
        if (review.Action is not (ReviewAction.Escalated or ReviewAction.Disagreed) || review.ValuesJson is not { } json || !json.Contains("\"verdicts\"", StringComparison.Ordinal))
        {
            return null;
        }

        var stored = JsonSerializer.Deserialize<Stored>(json, Json);
        return stored?.Verdicts is not { Count: > 0 } verdicts
            ? null
            : new FourEyesDisagreement(review.At, stored.FromQueueId, stored.ToQueueId,
                [.. verdicts.Select(v => new FourEyesVerdict(v.ReviewerId, v.Reviewer, v.Verdict == "approve", v.Reason, v.At))]);
    }

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private sealed record Stored(Guid? FromQueueId, Guid? ToQueueId, List<StoredVerdict>? Verdicts);

    private sealed record StoredVerdict(string ReviewerId, string Reviewer, string Verdict, string? Reason, DateTimeOffset At);
}
