using AgentConsole.Domain.Agents;
using AgentConsole.Domain.Persistence;
using AgentConsole.Domain.Tenancy;
using AgentConsole.Domain.Training.Scenarios;
using AgentConsole.Domain.Training.Sessions;
using Microsoft.EntityFrameworkCore;

namespace AgentConsole.Domain.Training.Progress;

/// <summary>Which sessions a progress view covers: a track (by key, every version), one trainee, and a start date; all optional.</summary>
public sealed record ProgressFilter(string? TrackKey = null, string? TraineeId = null, DateTimeOffset? Since = null);

/// <summary>One trainee's standing in a cohort.</summary>
/// <param name="PracticeAccuracy">Accuracy over every practice item they answered; null before any.</param>
/// <param name="BestExam">The best accuracy of an ended exam; null before any.</param>
public sealed record TraineeRow(
    string TraineeId, string Name, int PracticeSessions, int PracticeAnswered, double? PracticeAccuracy, int Exams, double? BestExam, bool Passed,
    double? MeanSecondsPerItem, DateTimeOffset LastActivity);

/// <summary>How often answers were wrong for one group of items: a kind of scenario (its right action), a use case, or an override field.</summary>
public sealed record WeakSpot(string Group, string Label, int Answered, int Wrong)
{
    public double WrongPercent => Answered == 0 ? 0 : Math.Round(100.0 * Wrong / Answered, 1);
}

/// <summary>One ended session's score, for the chart of scores over time.</summary>
public sealed record ScorePoint(Guid SessionId, string TraineeId, string TraineeName, string Track, SessionMode Mode, DateTimeOffset EndedAt, double Accuracy, bool? Passed, double? Kappa);

/// <summary>A cohort (or one trainee) at a glance: who stands where, which items go wrong most, and scores over time.</summary>
public sealed record ProgressReport(
    IReadOnlyList<TraineeRow> Trainees, IReadOnlyList<WeakSpot> ByKind, IReadOnlyList<WeakSpot> ByUseCase, IReadOnlyList<WeakSpot> ByField,
    IReadOnlyList<ScorePoint> Scores, IReadOnlyList<TrackKey> Tracks, int SessionsCovered);

/// <summary>A track by its key across versions, with its newest name.</summary>
public sealed record TrackKey(string Key, string Name);

/// <summary>
/// Progress, scores and weak spots of trainees, per cohort (everyone who worked a track, from a date) and per trainee,
/// for trainers. Read from the sessions themselves: answered items joined with their scenarios' gold.
/// </summary>
public sealed class TrainingProgress(IAgentConsoleDbFactory dbs)
{
    /// <summary>The most recent sessions a report reads; older ones are left out of it.</summary>
    public const int MaxSessions = 5000;

    public async Task<ProgressReport> ReportAsync(Actor trainer, ProgressFilter filter, CancellationToken cancellationToken = default)
    {
        if (!trainer.Can(Permissions.ManageTraining))
        {
            throw DomainException.Forbidden("training.role", "Only trainers follow trainees' progress.");
        }

        await using var db = dbs.Create();
        var tracks = await db.TrainingTracks.AsNoTracking().GroupBy(t => t.Key).Select(g => new { g.Key, Name = g.OrderByDescending(t => t.Version).First().Name })
            .ToListAsync(cancellationToken);
        var query = db.TrainingSessions.AsNoTracking().Include(s => s.Items).AsQueryable();
        if (!string.IsNullOrWhiteSpace(filter.TrackKey))
        {
            query = query.Where(s => s.TrackKey == filter.TrackKey);
        }

        if (!string.IsNullOrWhiteSpace(filter.TraineeId))
        {
            query = query.Where(s => s.TraineeId == filter.TraineeId);
        }

        var sessions = await query.OrderByDescending(s => s.StartedAt).Take(MaxSessions).AsSplitQuery().ToListAsync(cancellationToken);
        if (filter.Since is { } since)
        {
            // Compared in memory: SQLite cannot order or compare DateTimeOffset columns in SQL.
            sessions = [.. sessions.Where(s => s.StartedAt >= since)];
        }

        var scenarioIds = sessions.SelectMany(s => s.Items).Where(i => i.AnsweredAt is not null).Select(i => i.ScenarioId).Distinct().ToList();
        var scenarios = new Dictionary<Guid, (GoldAction Gold, UseCase UseCase)>();
        foreach (var chunk in scenarioIds.Chunk(500))
        {
            foreach (var s in await db.TrainingScenarios.AsNoTracking().Where(s => chunk.Contains(s.Id)).Select(s => new { s.Id, s.GoldAction, s.UseCase }).ToListAsync(cancellationToken))
            {
                scenarios[s.Id] = (s.GoldAction, s.UseCase);
            }
        }

        var answered = sessions.SelectMany(s => s.Items).Where(i => i.AnsweredAt is not null && scenarios.ContainsKey(i.ScenarioId)).ToList();
        return new ProgressReport(
            Trainees(sessions),
            Spots("kind", answered, i => scenarios[i.ScenarioId].Gold.ToString(), kind => $"Right answer: {kind.ToLowerInvariant()}"),
            Spots("useCase", answered, i => scenarios[i.ScenarioId].UseCase.ToString(), useCase => Enum.Parse<UseCase>(useCase).Label()),
            FieldSpots(answered, scenarios),
            [.. sessions.Where(s => s.EndedAt is not null && s.AccuracyPercent is not null).OrderBy(s => s.EndedAt)
                .Select(s => new ScorePoint(s.Id, s.TraineeId, s.TraineeName, s.TrackName, s.Mode, s.EndedAt!.Value, s.AccuracyPercent!.Value, s.Passed, s.Kappa))],
            [.. tracks.Select(t => new TrackKey(t.Key, t.Name)).OrderBy(t => t.Name)],
            sessions.Count);
    }

    private static List<TraineeRow> Trainees(List<TrainingSession> sessions) =>
        [.. sessions.GroupBy(s => s.TraineeId).Select(g =>
        {
            var practice = g.Where(s => s.Mode == SessionMode.Practice).ToList();
            var practiceItems = practice.SelectMany(s => s.Items).Where(i => i.AnsweredAt is not null).ToList();
            var exams = g.Where(s => s.Mode == SessionMode.Exam && s.AccuracyPercent is not null).ToList();
            var timed = g.SelectMany(s => s.Items).Where(i => i.Seconds is not null).Select(i => i.Seconds!.Value).ToList();
            return new TraineeRow(
                g.Key, g.OrderByDescending(s => s.StartedAt).First().TraineeName, practice.Count, practiceItems.Count,
                practiceItems.Count == 0 ? null : Math.Round(100.0 * practiceItems.Count(i => i.Correct == true) / practiceItems.Count, 1),
                exams.Count, exams.Count == 0 ? null : exams.Max(s => s.AccuracyPercent), exams.Any(s => s.Passed == true),
                timed.Count == 0 ? null : Math.Round(timed.Average(), 1),
                g.Max(s => s.EndedAt ?? s.Items.Max(i => i.AnsweredAt) ?? s.StartedAt));
        }).OrderBy(r => r.Name, StringComparer.OrdinalIgnoreCase)];

    private static List<WeakSpot> Spots(string group, List<SessionItem> answered, Func<SessionItem, string> key, Func<string, string> label) =>
        [.. answered.GroupBy(key).Select(g => new WeakSpot(group, label(g.Key), g.Count(), g.Count(i => i.Correct != true)))
            .OrderByDescending(s => s.WrongPercent).ThenByDescending(s => s.Answered)];

    /// <summary>Per field of an override: how often the values were off when the right action was an override and the trainee chose it.</summary>
    private static List<WeakSpot> FieldSpots(List<SessionItem> answered, Dictionary<Guid, (GoldAction Gold, UseCase UseCase)> scenarios)
    {
        var overrides = answered.Where(i => scenarios[i.ScenarioId].Gold == GoldAction.Override && i.Action == GoldAction.Override).ToList();
        var counts = new Dictionary<(UseCase UseCase, string Field), (int Answered, int Wrong)>();
        foreach (var item in overrides)
        {
            var useCase = scenarios[item.ScenarioId].UseCase;
            foreach (var field in ProposalSchema.For(useCase).Fields.Where(f => f.Kind != ProposalFieldKind.Text))
            {
                var c = counts.GetValueOrDefault((useCase, field.Name));
                counts[(useCase, field.Name)] = (c.Answered + 1, c.Wrong + (item.WrongFields.Contains(field.Name) ? 1 : 0));
            }
        }

        return [.. counts.Select(c => new WeakSpot("field", $"{ProposalSchema.For(c.Key.UseCase).Fields.First(f => f.Name == c.Key.Field).Label} ({c.Key.UseCase.Label()})", c.Value.Answered, c.Value.Wrong))
            .OrderByDescending(s => s.WrongPercent).ThenByDescending(s => s.Answered)];
    }
}
