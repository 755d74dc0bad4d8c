using System.Text.Json.Nodes;
using AgentConsole.Domain.Tenancy;
using AgentConsole.Domain.Training.Scenarios;
using AgentConsole.Domain.Training.Scoring;

namespace AgentConsole.Domain.Training.Sessions;

/// <summary>Practice shows the gold answer after each item and grants nothing; an exam shows nothing until the end, and a pass grants the track's certification.</summary>
public enum SessionMode
{
    Practice,
    Exam,
}

/// <summary>How a session ended.</summary>
public enum SessionEnd
{
    /// <summary>Every item was answered.</summary>
    Completed,
    /// <summary>The trainee finished before answering every item; the rest count as wrong.</summary>
    FinishedEarly,
    /// <summary>The exam's time limit passed; what was not answered by then counts as wrong.</summary>
    TimeRanOut,
}

/// <summary>
/// One trainee working a published track in the sandbox: its items (the track's scenarios, frozen with the track), the
/// answers given, and — once it ends — a score that never changes again. The track's rules are copied at the start, so
/// a session is judged by the rules it began under.
/// </summary>
public sealed class TrainingSession : ITenantOwned
{
    private readonly List<SessionItem> _items = [];

    private TrainingSession()
    {
    }

    internal TrainingSession(
        Guid id, Guid tenantId, Tracks.Track track, Guid? exerciseId, string traineeId, string traineeName, SessionMode mode, int attempt, DateTimeOffset now,
        IEnumerable<Scenario> scenarios)
    {
        Id = id;
        TenantId = tenantId;
        TrackId = track.Id;
        TrackKey = track.Key;
        TrackVersion = track.Version;
        TrackName = track.Name;
        CertificationKey = track.CertificationKey;
        PassMarkPercent = track.PassMarkPercent;
        ExerciseId = exerciseId;
        TraineeId = traineeId;
        TraineeName = traineeName;
        Mode = mode;
        Attempt = attempt;
        StartedAt = now;
        Deadline = mode == SessionMode.Exam ? now.AddMinutes(track.TimeLimitMinutes) : null;
        var position = 0;
        foreach (var scenario in scenarios)
        {
            _items.Add(new SessionItem(Guid.CreateVersion7(now), tenantId, id, scenario.Id, ++position));
        }

        Total = _items.Count;
    }

    public Guid Id { get; private set; }

    public Guid TenantId { get; private set; }

    public Guid TrackId { get; private set; }

    public string TrackKey { get; private set; } = "";

    public int TrackVersion { get; private set; }

    public string TrackName { get; private set; } = "";

    /// <summary>The certification a passed exam grants.</summary>
    public string CertificationKey { get; private set; } = "";

    public int PassMarkPercent { get; private set; }

    /// <summary>The exercise practised; null for an exam, which covers every exercise of the track.</summary>
    public Guid? ExerciseId { get; private set; }

    public string TraineeId { get; private set; } = "";

    public string TraineeName { get; private set; } = "";

    public SessionMode Mode { get; private set; }

    /// <summary>For an exam, which of the track's allowed attempts this is (1-based); 0 for practice.</summary>
    public int Attempt { get; private set; }

    public DateTimeOffset StartedAt { get; private set; }

    /// <summary>When an exam's time runs out; practice has none.</summary>
    public DateTimeOffset? Deadline { get; private set; }

    public DateTimeOffset? EndedAt { get; private set; }

    public SessionEnd? EndReason { get; private set; }

    public int Total { get; private set; }

    public int? Correct { get; private set; }

    public double? AccuracyPercent { get; private set; }

    public double? MeanSecondsPerItem { get; private set; }

    public double? Kappa { get; private set; }

    /// <summary>Why kappa is undefined, when it is.</summary>
    public string? KappaNote { get; private set; }

    /// <summary>For an exam that ended: whether it reached the pass mark.</summary>
    public bool? Passed { get; private set; }

    /// <summary>The certification a passed exam granted.</summary>
    public Guid? CertificationId { get; private set; }

    /// <summary>Incremented by every change; the concurrency token, so two tabs answering at once have one winner.</summary>
    public int Revision { get; private set; }

    public bool IsOpen => EndedAt is null;

    public IReadOnlyList<SessionItem> Items => [.. _items.OrderBy(i => i.Position)];

    public int Answered => _items.Count(i => i.AnsweredAt is not null);

    public bool TimeIsUp(DateTimeOffset now) => Deadline is { } deadline && now >= deadline;

    public SessionItem Item(Guid itemId) =>
        _items.SingleOrDefault(i => i.Id == itemId) ?? throw DomainException.NotFound("training.item-not-found", "This item is not part of the session.");

    /// <summary>Refuses any change once the session ended: its score is final.</summary>
    internal void EnsureOpen()
    {
        if (!IsOpen)
        {
            throw DomainException.Conflict("training.session-ended",
                $"This {Noun} ended {Ended}: its score is final, and no answer can be added or changed.");
        }
    }

    internal void Touch() => Revision++;

    /// <summary>Ends the session with its score. <paramref name="gold"/> are the gold answers of its items, in order.</summary>
    internal TrainingScore End(IReadOnlyList<GoldAnswer> gold, SessionEnd reason, DateTimeOffset now)
    {
        EnsureOpen();
        var answers = _items.Where(i => i.Answer is not null).Select(i => i.Answer!).ToList();
        var score = TrainingScorer.Score(gold, answers);
        EndedAt = reason == SessionEnd.TimeRanOut && Deadline is { } deadline && deadline < now ? deadline : now;
        EndReason = reason;
        Correct = score.Correct;
        AccuracyPercent = score.AccuracyPercent;
        MeanSecondsPerItem = score.MeanSecondsPerItem;
        Kappa = score.Kappa.Value;
        KappaNote = score.Kappa.Undefined;
        Passed = Mode == SessionMode.Exam ? score.Passes(PassMarkPercent) : null;
        Revision++;
        return score;
    }

    internal void Granted(Guid certificationId) => CertificationId = certificationId;

    /// <summary>What the audit trail keeps of an exam's result (practice is not audited).</summary>
    public object Snapshot() => new
    {
        Id, TrackKey, TrackVersion, TraineeId, TraineeName, mode = Mode.ToString(), Attempt, StartedAt, Deadline, EndedAt, endReason = EndReason?.ToString(),
        Total, Correct, AccuracyPercent, MeanSecondsPerItem, Kappa, Passed, CertificationId,
    };

    private string Noun => Mode == SessionMode.Exam ? "exam" : "practice session";

    private string Ended => EndReason switch
    {
        SessionEnd.TimeRanOut => $"when its time ran out at {EndedAt:yyyy-MM-dd HH:mm} UTC",
        _ => $"at {EndedAt:yyyy-MM-dd HH:mm} UTC",
    };
}

/// <summary>One scenario of a session: when the trainee opened and claimed it, what they answered and how it scored.</summary>
public sealed class SessionItem : ITenantOwned
{
    private SessionItem()
    {
    }

    internal SessionItem(Guid id, Guid tenantId, Guid sessionId, Guid scenarioId, int position)
    {
        Id = id;
        TenantId = tenantId;
        SessionId = sessionId;
        ScenarioId = scenarioId;
        Position = position;
    }

    public Guid Id { get; private set; }

    public Guid TenantId { get; private set; }

    public Guid SessionId { get; private set; }

    public Guid ScenarioId { get; private set; }

    public int Position { get; private set; }

    /// <summary>When the trainee first opened it: time per item counts from here.</summary>
    public DateTimeOffset? OpenedAt { get; private set; }

    public DateTimeOffset? ClaimedAt { get; private set; }

    public DateTimeOffset? AnsweredAt { get; private set; }

    public GoldAction? Action { get; private set; }

    /// <summary>The values of an override, as parsed by the use case's proposal schema.</summary>
    public string? ValuesJson { get; private set; }

    public string? Reason { get; private set; }

    public double? Seconds { get; private set; }

    public bool? Correct { get; private set; }

    /// <summary>The override fields that were off, comma-separated.</summary>
    public string? WrongFieldsCsv { get; private set; }

    public JsonObject? Values => ValuesJson is null ? null : JsonNode.Parse(ValuesJson)!.AsObject();

    public IReadOnlyList<string> WrongFields => WrongFieldsCsv?.Split(',', StringSplitOptions.RemoveEmptyEntries) ?? [];

    /// <summary>The answer as scoring reads it; null until answered.</summary>
    public ScenarioAnswer? Answer => Action is { } action ? new ScenarioAnswer(ScenarioId, action, Values, Seconds ?? 0) : null;

    internal void Open(DateTimeOffset now) => OpenedAt ??= now;

    internal void Claim(DateTimeOffset now)
    {
        OpenedAt ??= now;
        ClaimedAt = now;
    }

    internal void Release() => ClaimedAt = null;

    /// <param name="since">When the item's time started if it was never opened (through the API): the previous answer, or the session's start.</param>
    internal void Record(GoldAction action, JsonObject? values, string reason, ScoredItem scored, DateTimeOffset since, DateTimeOffset now)
    {
        Action = action;
        ValuesJson = values?.ToJsonString();
        Reason = reason;
        AnsweredAt = now;
        Seconds = Math.Round(Math.Max(0, (now - (OpenedAt ?? since)).TotalSeconds), 1);
        Correct = scored.Correct;
        WrongFieldsCsv = scored.WrongFields.Count == 0 ? null : string.Join(',', scored.WrongFields);
    }
}
