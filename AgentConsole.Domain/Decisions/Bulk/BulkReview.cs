using AgentConsole.Domain.Persistence;
using AgentConsole.Domain.Tenancy;
using AgentConsole.Domain.Training.Certifications;
using Microsoft.EntityFrameworkCore;

namespace AgentConsole.Domain.Decisions.Bulk;

/// <summary>What a bulk review does to every item: approve or reject (an override changes values, one item at a time).</summary>
public enum BulkAction
{
    Approve,
    Reject,
}

/// <summary>
/// One item of a bulk review as previewed: whether it will be included, and why not when it is left out. Items are named
/// by id only: a subject may hold case values the viewer's policy masks, and the caller's list already shows them masked.
/// </summary>
public sealed record BulkItem(Guid DecisionId, bool Included, string? LeftOutBecause);

/// <summary>What a bulk review would do: the items included and those left out (with why), under one policy version.</summary>
public sealed record BulkPreview(BulkAction Action, IReadOnlyList<BulkItem> Items, string? PolicyLabel)
{
    public int Included => Items.Count(i => i.Included);
}

/// <summary>What happened to one item: done (and its new status), or refused with the reason.</summary>
public sealed record BulkOutcome(Guid DecisionId, bool Done, DecisionStatus? Status, string? RefusedBecause);

/// <summary>
/// Approve or reject several decisions at once, with guardrails: only low-risk items needing one reviewer, all routed
/// by the same policy version, each open, unclaimed by someone else, in a queue the reviewer may act in, with the
/// certification its requirement names held by the reviewer, and not of a risk a calibration pause keeps them from. A preview lists what is included and what is left out,
/// with why; the review then takes one reason and acts on each included item through <see cref="DecisionService"/> —
/// its own transaction, audit entry, certification check and live event — so an item someone resolved a moment ago
/// is refused on its own and listed with why, and the rest go through.
/// </summary>
public sealed class BulkReview(IAgentConsoleDbFactory dbs, DecisionService decisions, Training.Calibration.CalibrationQueries calibration, TimeProvider clock)
{
    /// <summary>The most items one bulk review takes.</summary>
    public const int MaxItems = 200;

    public async Task<BulkPreview> PreviewAsync(Actor reviewer, IReadOnlyCollection<Guid> decisionIds, BulkAction action, CancellationToken cancellationToken = default)
    {
        Validate(reviewer, decisionIds, action, reason: null);
        await using var db = dbs.Create();
        var ids = decisionIds.Distinct().ToList();
        var found = await db.Decisions.AsNoTracking().Where(d => ids.Contains(d.Id)).ToDictionaryAsync(d => d.Id, cancellationToken);
        var queueIds = found.Values.Select(d => d.QueueId).OfType<Guid>().Distinct().ToList();
        var queues = await db.Queues.AsNoTracking().Where(q => queueIds.Contains(q.Id)).ToDictionaryAsync(q => q.Id, cancellationToken);
        var keys = found.Values.Select(d => d.ReviewCertification).OfType<string>().Distinct().ToList();
        var held = await db.Certifications.AsNoTracking().Where(c => c.HolderId == reviewer.Id && keys.Contains(c.Key)).ToListAsync(cancellationToken);
        var pauses = await calibration.MineAsync(reviewer, cancellationToken);
        var now = clock.GetUtcNow();

        Guid? version = null;
        var items = new List<BulkItem>(ids.Count);
        foreach (var id in ids)
        {
            if (!found.TryGetValue(id, out var d))
            {
                items.Add(new BulkItem(id, false, "This decision does not exist."));
                continue;
            }

            var why = LeftOut(d, reviewer, d.QueueId is { } q ? queues.GetValueOrDefault(q) : null, held, now)
                ?? (pauses.FirstOrDefault(p => p.UseCase == d.UseCase && p.RiskLevels.Contains(d.Risk)) is { } pause ? Sentence(Training.Calibration.CalibrationQueries.WhyOf(pause)) : null);
            if (why is null && version is { } chosen && d.PolicyVersionId != chosen)
            {
                why = "It was routed by another policy version than the first item: a bulk review takes one version at a time.";
            }

            if (why is null)
            {
                version ??= d.PolicyVersionId;
            }

            items.Add(new BulkItem(id, why is null, why));
        }

        return new BulkPreview(action, items, await DecisionQueries.PolicyLabelAsync(db, version, cancellationToken));
    }

    /// <summary>Acts on every item the preview includes now (read again: the queue moves), each on its own; returns what happened to each.</summary>
    public async Task<IReadOnlyList<BulkOutcome>> ExecuteAsync(
        Actor reviewer, IReadOnlyCollection<Guid> decisionIds, BulkAction action, string reason, CancellationToken cancellationToken = default)
    {
        Validate(reviewer, decisionIds, action, reason);
        var preview = await PreviewAsync(reviewer, decisionIds, action, cancellationToken);
        var outcomes = new List<BulkOutcome>(preview.Items.Count);
        foreach (var item in preview.Items)
        {
            if (!item.Included)
            {
                outcomes.Add(new BulkOutcome(item.DecisionId, false, null, item.LeftOutBecause));
                continue;
            }

            try
            {
                var done = action == BulkAction.Approve
                    ? await decisions.ApproveAsync(item.DecisionId, reviewer, reason, cancellationToken: cancellationToken)
                    : await decisions.RejectAsync(item.DecisionId, reviewer, reason, cancellationToken: cancellationToken);
                outcomes.Add(new BulkOutcome(item.DecisionId, true, done.Status, null));
            }
            catch (DomainException ex)
            {
                // Someone acted on it a moment ago, or a certification lapsed: this item is refused, the others go on.
                outcomes.Add(new BulkOutcome(item.DecisionId, false, null, ex.Message));
            }
        }

        return outcomes;
    }

    /// <summary>Why the item cannot be part of a bulk review by this reviewer; null when it can.</summary>
    private static string? LeftOut(Decision d, Actor reviewer, Queues.ReviewQueue? queue, IReadOnlyList<Certification> held, DateTimeOffset now)
    {
        if (!d.Status.IsOpen())
        {
            return $"It is no longer open: {d.StandingForLoser(justChanged: false)}.";
        }

        if (d.Status == DecisionStatus.InReview && d.ClaimedById != reviewer.Id)
        {
            return $"{d.ClaimedByName} is working on it.";
        }

        if (d.Risk != RiskLevel.Low)
        {
            return $"Its risk is {d.Risk.ToString().ToLowerInvariant()}: a bulk review takes low-risk items only.";
        }

        if (d.ReviewersRequired > 1)
        {
            return $"It needs {d.ReviewersRequired} different reviewers (four-eyes): review it on its own.";
        }

        if (d.PolicyVersionId is null)
        {
            return "No policy version routed it: review it on its own.";
        }

        if (queue is null || !queue.MayAct(reviewer) || !d.MayDecide(reviewer))
        {
            return "Your role may not decide it.";
        }

        if (d.ReviewCertification is { } key && CertificationGate.Missing(key, [.. held.Where(c => c.Key == key)], now) is { } why)
        {
            return $"It needs the {key} certification, and {why}.";
        }

        return null;
    }

    private static string Sentence(string clause) => char.ToUpperInvariant(clause[0]) + clause[1..] + ".";

    private static void Validate(Actor reviewer, IReadOnlyCollection<Guid> decisionIds, BulkAction action, string? reason)
    {
        if (!reviewer.Can(Permissions.ActOnDecisions))
        {
            throw DomainException.Forbidden("decision.role", "Your role may not approve or reject decisions.");
        }

        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (decisionIds.Count == 0)
        {
            errors["decisionIds"] = ["Choose at least one decision."];
        }
        else if (decisionIds.Distinct().Count() > MaxItems)
        {
            errors["decisionIds"] = [$"A bulk review takes at most {MaxItems} decisions."];
        }

        if (!Enum.IsDefined(action))
        {
            errors["action"] = ["Choose Approve or Reject."];
        }

        if (reason is not null && string.IsNullOrWhiteSpace(reason))
        {
            errors["reason"] = [Decision.ReasonRequired];
        }
        else if (reason is { Length: > 1000 })
        {
            errors["reason"] = ["At most 1000 characters."];
        }

        if (errors.Count > 0)
        {
            throw DomainException.Invalid("decision.bulk-invalid", string.Join(" ", errors.SelectMany(e => e.Value)), errors);
        }
    }
}
