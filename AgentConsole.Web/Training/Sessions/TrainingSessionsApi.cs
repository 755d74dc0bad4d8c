using System.Text.Json.Nodes;
using AgentConsole.Domain.Training.Progress;
using AgentConsole.Domain.Training.Scenarios;
using AgentConsole.Domain.Training.Sessions;
using AgentConsole.Web.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AgentConsole.Web.Training.Sessions;

/// <summary><c>mode</c>: Practice or Exam (any case); <c>exerciseId</c> picks the exercise to practise (every exercise when absent).</summary>
public sealed record StartSessionRequest(Guid? TrackId, string? Mode, Guid? ExerciseId);

/// <summary><c>action</c>: Approve, Override, Reject or Escalate (any case); <c>values</c> for an override, as the decisions API takes them.</summary>
public sealed record AnswerRequest(string? Action, string? Reason, JsonObject? Values);

public sealed record ExerciseOfferResponse(Guid Id, string Title, string Instructions, int Scenarios);

public sealed record TrackOfferResponse(
    Guid TrackId, string Name, int Version, string CertificationKey, bool Certified, string? Standing, int PassMarkPercent, int TimeLimitMinutes,
    int AttemptsAllowed, int AttemptsLeft, int Scenarios, IReadOnlyList<ExerciseOfferResponse> Exercises, Guid? OpenExamId)
{
    public static TrackOfferResponse From(TrackOffer o) => new(
        o.TrackId, o.Name, o.Version, o.CertificationKey, o.Standing is null, o.Standing, o.PassMarkPercent, o.TimeLimitMinutes, o.AttemptsAllowed, o.AttemptsLeft,
        o.ScenarioCount, [.. o.Exercises.Select(e => new ExerciseOfferResponse(e.ExerciseId, e.Title, e.Instructions, e.ScenarioCount))], o.OpenExam?.Id);
}

/// <summary>
/// One item of a session. The case is what the trainee reviews; <c>correct</c> shows once the item is answered in
/// practice or the session ended; <c>gold</c> and <c>explanation</c> only in practice once answered (and to trainers).
/// </summary>
public sealed record SessionItemResponse(
    Guid Id, int Position, string Subject, string UseCase, string Agent, string Risk, double Confidence, JsonObject Inputs, JsonObject Proposal,
    bool Answered, string? Action, JsonObject? Values, string? Reason, double? Seconds, bool? Correct, IReadOnlyList<string> WrongFields,
    string? Gold, JsonObject? GoldValues, string? Explanation);

public sealed record SessionResponse(
    Guid Id, Guid TrackId, string Track, int TrackVersion, string Mode, int Attempt, string Trainee, DateTimeOffset StartedAt, DateTimeOffset? Deadline,
    DateTimeOffset? EndedAt, string? EndReason, int Total, int Answered, int? Correct, double? AccuracyPercent, double? MeanSecondsPerItem, double? Kappa,
    string? KappaNote, int PassMarkPercent, bool? Passed, Guid? CertificationId, IReadOnlyList<SessionItemResponse> Items)
{
    public static SessionResponse From(TrainingSession s, IReadOnlyList<SessionItemView> items, bool trainer) => new(
        s.Id, s.TrackId, s.TrackName, s.TrackVersion, s.Mode.ToString(), s.Attempt, s.TraineeName, s.StartedAt, s.Deadline, s.EndedAt, s.EndReason?.ToString(),
        s.Total, s.Answered, s.Correct, s.AccuracyPercent, s.MeanSecondsPerItem, s.Kappa, s.KappaNote, s.PassMarkPercent, s.Passed, s.CertificationId,
        [.. items.Select(i => Item(s, i, trainer))]);

    public static SessionResponse From(TrainingSession s) => From(s, [], trainer: false);

    private static SessionItemResponse Item(TrainingSession s, SessionItemView view, bool trainer)
    {
        var (item, scenario) = (view.Item, view.Scenario);
        var answered = item.AnsweredAt is not null;
        var showCorrect = trainer || !s.IsOpen || (answered && s.Mode == SessionMode.Practice);
        var showGold = trainer || (answered && s.Mode == SessionMode.Practice);
        return new SessionItemResponse(
            item.Id, item.Position, scenario.Subject, scenario.UseCase.ToString(), scenario.AgentName, scenario.Risk.ToString(), scenario.Confidence, scenario.Inputs, scenario.Proposal,
            answered, item.Action?.ToString(), item.Values, item.Reason, item.Seconds, showCorrect && (answered || !s.IsOpen) ? item.Correct == true : null,
            showCorrect ? item.WrongFields : [], showGold ? scenario.GoldAction.ToString() : null, showGold ? scenario.GoldValues : null, showGold ? scenario.Explanation : null);
    }
}

/// <summary>What an answer returns: the item and the session, and in practice the gold answer with its explanation.</summary>
public sealed record AnswerResponse(SessionResponse Session, bool? Correct, string? Gold, JsonObject? GoldValues, string? Explanation, string? Note);

/// <summary>
/// Training sessions over HTTP: trainees (and reviewers earning a certification) list the tracks open to them, start
/// practice or an exam, answer items and finish (<c>/api/learning</c>); trainers read any session of their tenant and
/// the progress report (<c>/api/training</c>). A session belongs to its trainee alone; a finished one never changes.
/// </summary>
public static class TrainingSessionsApi
{
    public static IEndpointRouteBuilder MapTrainingSessionsApi(this IEndpointRouteBuilder endpoints)
    {
        var learning = endpoints.MapApiGroup("/api/learning", Permissions.TakeTraining);
        learning.MapGet("/offers", OffersAsync);
        learning.MapGet("/sessions", MineAsync);
        learning.MapPost("/sessions", StartAsync);
        learning.MapGet("/sessions/{sessionId:guid}", GetAsync);
        learning.MapPost("/sessions/{sessionId:guid}/items/{itemId:guid}/answer", AnswerAsync);
        learning.MapPost("/sessions/{sessionId:guid}/finish", FinishAsync);

        var trainers = endpoints.MapApiGroup("/api/training", Permissions.ManageTraining);
        trainers.MapGet("/sessions/{sessionId:guid}", ReviewAsync);
        trainers.MapGet("/progress", ProgressAsync);
        return endpoints;
    }

    public static async Task<Ok<IReadOnlyList<TrackOfferResponse>>> OffersAsync(HttpContext http, SessionQueries sessions, CancellationToken cancellationToken) =>
        TypedResults.Ok<IReadOnlyList<TrackOfferResponse>>([.. (await sessions.OffersAsync(http.Actor(), cancellationToken)).Select(TrackOfferResponse.From)]);

    public static async Task<Ok<IReadOnlyList<SessionResponse>>> MineAsync(HttpContext http, SessionQueries sessions, CancellationToken cancellationToken) =>
        TypedResults.Ok<IReadOnlyList<SessionResponse>>([.. (await sessions.MineAsync(http.Actor(), cancellationToken: cancellationToken)).Select(SessionResponse.From)]);

    /// <summary>201 with the session (or the one already open on this track and mode); 409 once the exam's attempts are used.</summary>
    public static async Task<Created<SessionResponse>> StartAsync(StartSessionRequest request, HttpContext http, TrainingSessions training, SessionQueries sessions, CancellationToken cancellationToken)
    {
        var mode = Enum.TryParse<SessionMode>(request.Mode?.Trim(), ignoreCase: true, out var parsed) && Enum.IsDefined(parsed) && !int.TryParse(request.Mode, out _)
            ? parsed
            : (SessionMode)(-1);
        var session = await training.StartAsync(http.Actor(), request.TrackId ?? Guid.Empty, mode, request.ExerciseId, cancellationToken);
        return TypedResults.Created($"/api/learning/sessions/{session.Id}", await ReadAsync(http, sessions, session.Id, cancellationToken));
    }

    public static async Task<Ok<SessionResponse>> GetAsync(Guid sessionId, HttpContext http, SessionQueries sessions, CancellationToken cancellationToken) =>
        TypedResults.Ok(await ReadAsync(http, sessions, sessionId, cancellationToken));

    /// <summary>400 naming the field (a missing reason, an override value off the schema); 409 when answered already, the session ended or its time ran out.</summary>
    public static async Task<Ok<AnswerResponse>> AnswerAsync(
        Guid sessionId, Guid itemId, AnswerRequest request, HttpContext http, TrainingSessions training, SessionQueries sessions, CancellationToken cancellationToken)
    {
        var action = Enum.TryParse<GoldAction>(request.Action?.Trim(), ignoreCase: true, out var parsed) && Enum.IsDefined(parsed) && !int.TryParse(request.Action, out _)
            ? parsed
            : (GoldAction)(-1);
        var result = await training.AnswerAsync(http.Actor(), sessionId, itemId, new SandboxAnswer(action, request.Reason ?? "", JsonValues: request.Values), cancellationToken);
        var f = result.Feedback;
        return TypedResults.Ok(new AnswerResponse(await ReadAsync(http, sessions, sessionId, cancellationToken), f?.Correct, f?.Gold.ToString(), f?.GoldValues, f?.Explanation, f?.Note));
    }

    public static async Task<Ok<SessionResponse>> FinishAsync(Guid sessionId, HttpContext http, TrainingSessions training, SessionQueries sessions, CancellationToken cancellationToken)
    {
        await training.FinishAsync(http.Actor(), sessionId, cancellationToken);
        return TypedResults.Ok(await ReadAsync(http, sessions, sessionId, cancellationToken));
    }

    /// <summary>A trainer reads any session of the tenant, gold answers included.</summary>
    public static async Task<Ok<SessionResponse>> ReviewAsync(Guid sessionId, HttpContext http, SessionQueries sessions, CancellationToken cancellationToken)
    {
        var read = await sessions.GetAsync(http.Actor(), sessionId, cancellationToken)
            ?? throw DomainException.NotFound("training.session-not-found", "This training session does not exist.");
        return TypedResults.Ok(SessionResponse.From(read.Session, read.Items, trainer: true));
    }

    /// <summary>Progress of a cohort: <c>track</c> (key), <c>trainee</c> (id) and <c>since</c> (a date) narrow it.</summary>
    public static async Task<Ok<ProgressReport>> ProgressAsync(string? track, string? trainee, string? since, HttpContext http, TrainingProgress progress, CancellationToken cancellationToken)
    {
        DateTimeOffset? from = null;
        if (!string.IsNullOrWhiteSpace(since))
        {
            if (!DateTimeOffset.TryParse(since, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var parsed))
            {
                throw DomainException.Invalid("training.since-invalid", $"'{since}' is not a date: write 2026-11-30.", new Dictionary<string, string[]> { ["since"] = [$"'{since}' is not a date: write 2026-11-30."] });
            }

            from = parsed;
        }

        return TypedResults.Ok(await progress.ReportAsync(http.Actor(), new ProgressFilter(track, trainee, from), cancellationToken));
    }

    private static async Task<SessionResponse> ReadAsync(HttpContext http, SessionQueries sessions, Guid sessionId, CancellationToken cancellationToken)
    {
        var read = await sessions.GetAsync(http.Actor(), sessionId, cancellationToken)
            ?? throw DomainException.NotFound("training.session-not-found", "This training session does not exist.");
        return SessionResponse.From(read.Session, read.Items, trainer: false);
    }
}
