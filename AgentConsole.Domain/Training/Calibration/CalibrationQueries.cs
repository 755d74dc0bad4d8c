using System.Globalization;
using AgentConsole.Domain.Agents;
using AgentConsole.Domain.Decisions;
using AgentConsole.Domain.Persistence;
using AgentConsole.Domain.Policies;
using AgentConsole.Domain.Tenancy;
using AgentConsole.Domain.Training.Scenarios;
using AgentConsole.Domain.Training.Scoring;
using Microsoft.EntityFrameworkCore;

namespace AgentConsole.Domain.Training.Calibration;

/// <summary>A pause as people read it: whom, from what, why, and whether and how a trainer cleared it.</summary>
public sealed record PauseView(
    Guid Id, string PersonId, string PersonName, UseCase UseCase, IReadOnlyList<RiskLevel> RiskLevels, string Scope, string Reason,
    double AccuracyPercent, int Answers, double ThresholdPercent, DateTimeOffset PausedAt, DateTimeOffset? ClearedAt, string? ClearedByName, string? ClearedReason, int Version)
{
    public bool IsActive => ClearedAt is null;

    public static PauseView Of(CalibrationPause p) => new(p.Id, p.PersonId, p.PersonName, p.UseCase, p.RiskLevels, p.Scope, p.Reason,
        p.AccuracyPercent, p.Answers, p.ThresholdPercent, p.PausedAt, p.ClearedAt, p.ClearedByName, p.ClearedReason, p.Version);
}

/// <summary>One person's accuracy at the end of one day, over the gold answers of the <see cref="CalibrationQueries.TrendDays"/> days up to it.</summary>
public sealed record CalibrationPoint(DateOnly Day, int Answered, int Correct, double AccuracyPercent);

/// <summary>One person's live accuracy and agreement on gold items over the dashboard's period.</summary>
/// <param name="Kappa">Cohen's kappa between their actions and gold (null value when undefined, with the reason).</param>
public sealed record OperatorCalibration(
    string PersonId, string PersonName, int Answered, int Correct, double AccuracyPercent, Kappa Kappa, double MeanSecondsPerItem,
    IReadOnlyList<CalibrationPoint> Daily, IReadOnlyList<PauseView> ActivePauses);

/// <summary>What a use case's policy in force says about calibration, in words.</summary>
/// <param name="PauseBelowPercent">The mark below which a person is paused, in percent.</param>
public sealed record CalibrationPolicyView(UseCase UseCase, string PolicyLabel, string Rate, string Source, string Pause, double PauseBelowPercent);

/// <summary>One person's answer to a gold item, as auditors read it.</summary>
public sealed record GoldAnswerView(string PersonName, GoldAction Action, string? ValuesJson, bool Correct, string? WrongFields, double Seconds, DateTimeOffset AnsweredAt);

/// <summary>What made a decision a gold item and how it was answered, for auditors (never for the people who work queues).</summary>
public sealed record GoldItemView(
    Guid DecisionId, CalibrationSource Source, Guid? ScenarioId, GoldAction GoldAction, string? GoldValuesJson, string Explanation,
    DateTimeOffset SeededAt, DateTimeOffset SlotStart, Guid? PolicyVersionId, IReadOnlyList<GoldAnswerView> Answers);

/// <summary>The calibration dashboard: each operator's accuracy and agreement, who is paused, and what the policies set.</summary>
public sealed record CalibrationDashboard(int Days, UseCase? UseCase, DateTimeOffset From, IReadOnlyList<OperatorCalibration> Operators, IReadOnlyList<PauseView> ActivePauses, IReadOnlyList<CalibrationPolicyView> Policies);

/// <summary>
/// Reads calibration for supervisors and trainers (<see cref="Permissions.ViewCalibration"/>): per person, never per item,
/// so the dashboard does not say which live decisions were gold. Anyone may read their own pauses.
/// </summary>
public sealed class CalibrationQueries(IAgentConsoleDbFactory dbs, TimeProvider clock, PolicyCache policies)
{
    public const int DefaultDays = 30;
    public const int MaxDays = 365;

    /// <summary>How many days each point of the trend looks back: single days hold too few gold items to read.</summary>
    public const int TrendDays = 7;

    public async Task<CalibrationDashboard> DashboardAsync(Actor actor, int days = DefaultDays, UseCase? useCase = null, CancellationToken cancellationToken = default)
    {
        Require(actor);
        if (days is < 1 or > MaxDays)
        {
            var message = $"The period is 1 to {MaxDays} days.";
            throw DomainException.Invalid("calibration.days", message, new Dictionary<string, string[]> { ["days"] = [message] });
        }

        await using var db = dbs.Create();
        var now = clock.GetUtcNow();
        var from = now.AddDays(-days);
        var answers = await db.GoldItemAnswers.AsNoTracking()
            .Where(a => a.TenantId == actor.TenantId && a.AnsweredAt >= from && (useCase == null || a.UseCase == useCase))
            .ToListAsync(cancellationToken);
        var pauses = (await db.CalibrationPauses.AsNoTracking().Where(p => p.TenantId == actor.TenantId && p.ClearedAt == null).ToListAsync(cancellationToken))
            .Where(p => useCase is null || p.UseCase == useCase).OrderByDescending(p => p.PausedAt).Select(PauseView.Of).ToList();
        var operators = answers.GroupBy(a => a.PersonId).Select(g =>
        {
            var list = g.OrderBy(a => a.AnsweredAt).ToList();
            var score = TrainingScorer.Score([.. list.Select(a => a.Gold)], [.. list.Select(a => a.Answer)]);
            var daily = Rolling(list);
            return new OperatorCalibration(g.Key, list[^1].PersonName, list.Count, score.Correct, Math.Round(score.AccuracyPercent, 1), score.Kappa,
                Math.Round(score.MeanSecondsPerItem, 1), daily, [.. pauses.Where(p => p.PersonId == g.Key)]);
        })
        // Paused people first, then the least accurate: whom a supervisor should look at.
        .OrderByDescending(o => o.ActivePauses.Count > 0).ThenBy(o => o.AccuracyPercent).ThenBy(o => o.PersonName, StringComparer.OrdinalIgnoreCase).ToList();

        // Paused people with no answers in the period still appear.
        foreach (var pause in pauses.Where(p => operators.All(o => o.PersonId != p.PersonId)).GroupBy(p => p.PersonId))
        {
            operators.Insert(0, new OperatorCalibration(pause.Key, pause.First().PersonName, 0, 0, 0, TrainingScorer.CohensKappa([]), 0, [], [.. pause]));
        }

        return new CalibrationDashboard(days, useCase, from, operators, pauses, await PoliciesAsync(db, now, cancellationToken));
    }

    /// <summary>For each day from a person's first answer to their last, their accuracy over the <see cref="TrendDays"/> days up to it.</summary>
    private static List<CalibrationPoint> Rolling(List<GoldItemAnswer> ordered)
    {
        var byDay = ordered.GroupBy(a => DateOnly.FromDateTime(a.AnsweredAt.UtcDateTime)).ToDictionary(g => g.Key, g => (Answered: g.Count(), Correct: g.Count(a => a.Correct)));
        var (first, last) = (byDay.Keys.Min(), byDay.Keys.Max());
        var points = new List<CalibrationPoint>();
        for (var day = first; day <= last; day = day.AddDays(1))
        {
            var (answered, correct) = (0, 0);
            for (var back = day.AddDays(1 - TrendDays); back <= day; back = back.AddDays(1))
            {
                if (byDay.TryGetValue(back, out var d))
                {
                    (answered, correct) = (answered + d.Answered, correct + d.Correct);
                }
            }

            points.Add(new CalibrationPoint(day, answered, correct, Math.Round(100.0 * correct / answered, 1)));
        }

        return points;
    }

    /// <summary>
    /// Whether a decision is a gold item, with its gold answer and the answers scored against it; null for a real decision.
    /// Only auditors (and admins) may ask: the people who work queues must not learn which items are gold.
    /// </summary>
    public async Task<GoldItemView?> GoldItemAsync(Actor actor, Guid decisionId, CancellationToken cancellationToken = default)
    {
        if (!actor.Can(Permissions.ReadAudit))
        {
            throw DomainException.Forbidden("calibration.gold-role", "Only auditors see which decisions were gold items.");
        }

        await using var db = dbs.Create();
        var gold = await db.GoldItems.AsNoTracking().SingleOrDefaultAsync(g => g.DecisionId == decisionId && g.TenantId == actor.TenantId, cancellationToken);
        if (gold is null)
        {
            return null;
        }

        var answers = await db.GoldItemAnswers.AsNoTracking().Where(a => a.GoldItemId == gold.Id).ToListAsync(cancellationToken);
        return new GoldItemView(gold.DecisionId, gold.Source, gold.ScenarioId, gold.GoldAction, gold.GoldValuesJson, gold.Explanation, gold.SeededAt, gold.SlotStart,
            gold.PolicyVersionId, [.. answers.OrderBy(a => a.AnsweredAt).Select(a => new GoldAnswerView(a.PersonName, a.Action, a.ValuesJson, a.Correct, a.WrongFieldsCsv, a.Seconds, a.AnsweredAt))]);
    }

    /// <summary>The actor's own pauses in force, for their queue, decision page and /me.</summary>
    public async Task<IReadOnlyList<PauseView>> MineAsync(Actor actor, CancellationToken cancellationToken = default)
    {
        await using var db = dbs.Create();
        return await ActiveOfAsync(db, actor, cancellationToken);
    }

    /// <summary>Why the actor may not claim or decide this decision (a pause in force), or null when no pause stands in the way.</summary>
    public async Task<string?> PausedFromAsync(Actor actor, UseCase useCase, RiskLevel risk, CancellationToken cancellationToken = default)
    {
        var mine = await MineAsync(actor, cancellationToken);
        return mine.FirstOrDefault(p => p.UseCase == useCase && p.RiskLevels.Contains(risk)) is { } pause ? WhyOf(pause) : null;
    }

    /// <summary>The items with <see cref="DecisionListItem.PausedReason"/> filled for the viewer.</summary>
    public async Task<IReadOnlyList<DecisionListItem>> MarkAsync(Actor viewer, IReadOnlyList<DecisionListItem> items, CancellationToken cancellationToken = default)
    {
        if (items.Count == 0 || viewer.Kind != ActorKind.User)
        {
            return items;
        }

        return Mark(await MineAsync(viewer, cancellationToken), items);
    }

    /// <summary>The items marked with the viewer's pauses read earlier (a live list keeps them and marks each row that changes).</summary>
    public static IReadOnlyList<DecisionListItem> Mark(IReadOnlyList<PauseView> pauses, IReadOnlyList<DecisionListItem> items) =>
        pauses.Count == 0
            ? items
            : [.. items.Select(i => pauses.FirstOrDefault(p => p.UseCase == i.UseCase && p.RiskLevels.Contains(i.Risk)) is { } pause ? i with { PausedReason = WhyOf(pause) } : i)];

    /// <summary>What a paused person reads beside an item they may not take.</summary>
    public static string WhyOf(PauseView pause) => $"you are paused from {pause.Scope}: your {pause.Reason}. A trainer must clear the pause";

    internal static async Task<IReadOnlyList<PauseView>> ActiveOfAsync(AgentConsoleDbContext db, Actor actor, CancellationToken cancellationToken) =>
        [.. (await db.CalibrationPauses.AsNoTracking().Where(p => p.TenantId == actor.TenantId && p.PersonId == actor.Id && p.ClearedAt == null)
            .ToListAsync(cancellationToken)).OrderByDescending(p => p.PausedAt).Select(PauseView.Of)];

    private async Task<IReadOnlyList<CalibrationPolicyView>> PoliciesAsync(AgentConsoleDbContext db, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var result = new List<CalibrationPolicyView>();
        var scopes = await db.PolicyScopes.AsNoTracking().Where(s => s.Kind == PolicyScopeKind.UseCase).ToListAsync(cancellationToken);
        foreach (var scope in scopes.OrderBy(s => s.UseCase))
        {
            if (scope.EffectiveVersionId(now) is { } versionId && await policies.GetAsync(db, versionId, cancellationToken) is { Policy.Document.Calibration: { } c } loaded)
            {
                result.Add(Describe(scope.UseCase, $"{scope.Name} v{loaded.Number}", c));
            }
        }

        return result;
    }

    /// <summary>A calibration section in words.</summary>
    public static CalibrationPolicyView Describe(UseCase useCase, string policyLabel, CalibrationSettings c)
    {
        var per = c.Period == TimeSpan.FromHours(1) ? "hour" : "day";
        var window = c.Window.TotalHours % 24 == 0 ? $"{c.Window.TotalDays:0} day{(c.Window.TotalDays == 1 ? "" : "s")}" : $"{c.Window.TotalHours:0} h";
        var levels = string.Join(", ", c.PauseFrom.Select(PolicyFields.RiskName));
        return new CalibrationPolicyView(useCase, policyLabel,
            $"{c.Count} gold item{(c.Count == 1 ? "" : "s")} per {per} in {string.Join(", ", c.Queues)}",
            c.Source == CalibrationSource.Track ? $"scenarios of the track {c.Track}" : "generated cases",
            string.Create(CultureInfo.InvariantCulture, $"below {c.PauseBelow * 100:0.#}% over {window} (at least {c.MinimumAnswers} answers): paused from {levels} risk"),
            c.PauseBelow * 100);
    }

    private static void Require(Actor actor)
    {
        if (!actor.Can(Permissions.ViewCalibration))
        {
            throw DomainException.Forbidden("calibration.role", "Only senior operators and trainers see operators' calibration.");
        }
    }
}
