using System.Text.Json.Nodes;
using AgentConsole.Domain.Training.Scenarios;
using AgentConsole.Domain.Training.Tracks;
using AgentConsole.Web.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AgentConsole.Web.Training;

/// <summary>A track's settings as sent: every field is checked and a wrong one named; <c>expectedRevision</c> guards a change.</summary>
public sealed record TrackSettingsRequest(
    string? Key, string? Name, string? Description, string? CertificationKey, int? PassMarkPercent, int? TimeLimitMinutes, int? AttemptsAllowed, int? ValidityDays, int? ExpectedRevision)
{
    public TrackSettings ToSettings() => new(
        Key?.Trim() ?? "", Name ?? "", Description ?? "", CertificationKey?.Trim() ?? "", PassMarkPercent ?? 0, TimeLimitMinutes ?? 0, AttemptsAllowed ?? 0, ValidityDays ?? 0);
}

public sealed record ExerciseRequest(string? Title, string? Instructions);

/// <summary>A written scenario: <c>goldAction</c> is Approve, Override, Reject or Escalate (any case); <c>goldValues</c> only for an override.</summary>
public sealed record WrittenScenarioRequest(
    Guid? AgentId, string? Subject, JsonObject? Inputs, JsonObject? Proposal, double? Confidence, string? GoldAction, JsonObject? GoldValues, string? Explanation)
{
    /// <summary>Low, Medium (when not given), High or Critical.</summary>
    public string? Risk { get; init; }

    /// <summary>The agent's rationale as the trainee reads it; optional.</summary>
    public string? Rationale { get; init; }
}

public sealed record GenerateScenariosRequest(Guid? AgentId, int? Count);

/// <summary><c>goldFrom</c>: <c>FinalVerdict</c> (default) or <c>TrueAnswer</c> (any case).</summary>
public sealed record ImportScenariosRequest(IReadOnlyList<Guid>? DecisionIds, string? GoldFrom);

public sealed record ScenarioResponse(
    Guid Id, int Position, string Source, string UseCase, Guid AgentId, string Agent, string Subject, JsonObject Inputs, JsonObject Proposal, double Confidence,
    string Risk, string Rationale, string GoldAction, JsonObject? GoldValues, string Explanation, Guid? SourceDecisionId, IReadOnlyList<string> MaskedFields)
{
    public static ScenarioResponse From(Scenario s) => new(
        s.Id, s.Position, s.Source.ToString(), s.UseCase.ToString(), s.AgentId, s.AgentName, s.Subject, s.Inputs, s.Proposal, s.Confidence, s.Risk.ToString(), s.Rationale,
        s.GoldAction.ToString(), s.GoldValues, s.Explanation, s.SourceDecisionId, s.MaskedFields);
}

/// <summary>An agent scenarios can be written or generated for.</summary>
public sealed record TrainingAgentResponse(Guid Id, string Key, string Name, string UseCase);

public sealed record ExerciseResponse(Guid Id, int Position, string Title, string Instructions, IReadOnlyList<ScenarioResponse> Scenarios);

public sealed record TrackResponse(
    Guid Id, string Key, int Version, string Name, string Description, string CertificationKey, int PassMarkPercent, int TimeLimitMinutes, int AttemptsAllowed,
    int ValidityDays, string State, int Revision, DateTimeOffset? PublishedAt, IReadOnlyList<ExerciseResponse> Exercises)
{
    public static TrackResponse From(Track t) => new(
        t.Id, t.Key, t.Version, t.Name, t.Description, t.CertificationKey, t.PassMarkPercent, t.TimeLimitMinutes, t.AttemptsAllowed, t.ValidityDays,
        t.State.ToString(), t.Revision, t.PublishedAt,
        [.. t.Exercises.Select(e => new ExerciseResponse(e.Id, e.Position, e.Title, e.Instructions, [.. e.Scenarios.Select(ScenarioResponse.From)]))]);
}

/// <summary>Training tracks for trainers: list, create, read and change them, fill their exercises, publish and retire.</summary>
public static class TrainingApi
{
    public static RouteGroupBuilder MapTrainingApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapApiGroup("/api/training", Permissions.ManageTraining);
        api.MapGet("/tracks", ListAsync);
        api.MapPost("/tracks", CreateAsync);
        api.MapGet("/tracks/{trackId:guid}", GetAsync);
        api.MapPut("/tracks/{trackId:guid}", ChangeAsync);
        api.MapPost("/tracks/{trackId:guid}/publish", PublishAsync);
        api.MapPost("/tracks/{trackId:guid}/retire", RetireAsync);
        api.MapPost("/tracks/{trackId:guid}/versions", NextVersionAsync);
        api.MapPost("/tracks/{trackId:guid}/exercises", AddExerciseAsync);
        api.MapPost("/tracks/{trackId:guid}/exercises/{exerciseId:guid}/scenarios", AddWrittenAsync);
        api.MapPost("/tracks/{trackId:guid}/exercises/{exerciseId:guid}/scenarios/generate", GenerateAsync);
        api.MapPost("/tracks/{trackId:guid}/exercises/{exerciseId:guid}/scenarios/import", ImportAsync);
        api.MapGet("/resolved-decisions", SearchResolvedAsync);
        api.MapGet("/agents", AgentsAsync);
        return api;
    }

    public static async Task<Ok<IReadOnlyList<TrackListItem>>> ListAsync(HttpContext http, TrackAuthoring tracks, CancellationToken cancellationToken) =>
        TypedResults.Ok(await tracks.ListAsync(http.Actor(), cancellationToken));

    /// <summary>400 naming each wrong setting; 201 with the track, a draft.</summary>
    public static async Task<Created<TrackResponse>> CreateAsync(TrackSettingsRequest request, HttpContext http, TrackAuthoring tracks, CancellationToken cancellationToken)
    {
        var track = await tracks.CreateAsync(request.ToSettings(), http.Actor(), cancellationToken);
        return TypedResults.Created($"/api/training/tracks/{track.Id}", TrackResponse.From(track));
    }

    public static async Task<Ok<TrackResponse>> GetAsync(Guid trackId, HttpContext http, TrackAuthoring tracks, CancellationToken cancellationToken) =>
        TypedResults.Ok(TrackResponse.From(await tracks.GetAsync(trackId, http.Actor(), cancellationToken)));

    /// <summary>409 once published (frozen) or when <c>expectedRevision</c> is stale.</summary>
    public static async Task<Ok<TrackResponse>> ChangeAsync(Guid trackId, TrackSettingsRequest request, HttpContext http, TrackAuthoring tracks, CancellationToken cancellationToken) =>
        TypedResults.Ok(TrackResponse.From(await tracks.ChangeAsync(trackId, request.ToSettings(), request.ExpectedRevision, http.Actor(), cancellationToken)));

    public static async Task<Ok<TrackResponse>> PublishAsync(Guid trackId, HttpContext http, TrackAuthoring tracks, CancellationToken cancellationToken) =>
        TypedResults.Ok(TrackResponse.From(await tracks.PublishAsync(trackId, http.Actor(), cancellationToken)));

    public static async Task<Ok<TrackResponse>> RetireAsync(Guid trackId, HttpContext http, TrackAuthoring tracks, CancellationToken cancellationToken) =>
        TypedResults.Ok(TrackResponse.From(await tracks.RetireAsync(trackId, http.Actor(), cancellationToken)));

    public static async Task<Created<TrackResponse>> NextVersionAsync(Guid trackId, HttpContext http, TrackAuthoring tracks, CancellationToken cancellationToken)
    {
        var next = await tracks.StartNextVersionAsync(trackId, http.Actor(), cancellationToken);
        return TypedResults.Created($"/api/training/tracks/{next.Id}", TrackResponse.From(next));
    }

    public static async Task<Ok<TrackResponse>> AddExerciseAsync(Guid trackId, ExerciseRequest request, HttpContext http, TrackAuthoring tracks, CancellationToken cancellationToken) =>
        TypedResults.Ok(TrackResponse.From(await tracks.AddExerciseAsync(trackId, request.Title ?? "", request.Instructions ?? "", http.Actor(), cancellationToken)));

    /// <summary>400 naming each wrong field: <c>inputs.&lt;field&gt;</c>, <c>proposal.&lt;field&gt;</c>, <c>goldValues.&lt;field&gt;</c>, <c>confidence</c>, <c>explanation</c>.</summary>
    public static async Task<Created<ScenarioResponse>> AddWrittenAsync(
        Guid trackId, Guid exerciseId, WrittenScenarioRequest request, HttpContext http, ScenarioLibrary library, CancellationToken cancellationToken)
    {
        var action = ParseAction(request.GoldAction);
        var scenario = await library.AddWrittenAsync(trackId, exerciseId,
            new WrittenScenario(request.AgentId ?? Guid.Empty, request.Subject ?? "", request.Inputs, request.Proposal, request.Confidence ?? double.NaN, action, request.GoldValues, request.Explanation ?? "")
            {
                Risk = request.Risk is null ? null : Enum.TryParse<RiskLevel>(request.Risk.Trim(), ignoreCase: true, out var risk) && Enum.IsDefined(risk) && !int.TryParse(request.Risk, out _) ? risk : (RiskLevel)(-1),
                Rationale = request.Rationale,
            },
            http.Actor(), cancellationToken);
        return TypedResults.Created($"/api/training/tracks/{trackId}", ScenarioResponse.From(scenario));
    }

    public static async Task<Ok<IReadOnlyList<ScenarioResponse>>> GenerateAsync(
        Guid trackId, Guid exerciseId, GenerateScenariosRequest request, HttpContext http, ScenarioLibrary library, CancellationToken cancellationToken)
    {
        var added = await library.GenerateAsync(trackId, exerciseId, request.AgentId ?? Guid.Empty, request.Count ?? 0, http.Actor(), cancellationToken: cancellationToken);
        return TypedResults.Ok<IReadOnlyList<ScenarioResponse>>([.. added.Select(ScenarioResponse.From)]);
    }

    public static async Task<Ok<IReadOnlyList<ScenarioResponse>>> ImportAsync(
        Guid trackId, Guid exerciseId, ImportScenariosRequest request, HttpContext http, ScenarioLibrary library, CancellationToken cancellationToken)
    {
        var goldFrom = request.GoldFrom?.Trim().ToLowerInvariant() switch
        {
            null or "" or "finalverdict" => ImportGold.FinalVerdict,
            "trueanswer" => ImportGold.TrueAnswer,
            _ => (ImportGold)(-1),
        };
        var added = await library.ImportAsync(trackId, exerciseId, request.DecisionIds ?? [], goldFrom, http.Actor(), cancellationToken);
        return TypedResults.Ok<IReadOnlyList<ScenarioResponse>>([.. added.Select(ScenarioResponse.From)]);
    }

    /// <summary>Resolved decisions to import, subjects masked as a trainee sees them; <c>useCase</c> by name, <c>agentId</c>, <c>text</c> in the subject.</summary>
    public static async Task<Ok<IReadOnlyList<ResolvedDecisionItem>>> SearchResolvedAsync(
        string? useCase, Guid? agentId, string? text, HttpContext http, ScenarioLibrary library, CancellationToken cancellationToken)
    {
        UseCase? parsed = null;
        if (!string.IsNullOrWhiteSpace(useCase))
        {
            parsed = Enum.TryParse<UseCase>(useCase, ignoreCase: true, out var u) && Enum.IsDefined(u) ? u
                : throw DomainException.Invalid("training.use-case", $"'{useCase}' is not a use case.",
                    new Dictionary<string, string[]> { ["useCase"] = [$"One of: {string.Join(", ", Enum.GetNames<UseCase>())}."] });
        }

        return TypedResults.Ok(await library.SearchResolvedAsync(http.Actor(), parsed, agentId, text, cancellationToken: cancellationToken));
    }

    /// <summary>An unknown action becomes an undefined value the library refuses, naming the field, once it has found the track.</summary>
    /// <summary>The tenant's agents, whose ids written and generated scenarios name.</summary>
    public static async Task<Ok<IReadOnlyList<TrainingAgentResponse>>> AgentsAsync(HttpContext http, ScenarioLibrary library, CancellationToken cancellationToken) =>
        TypedResults.Ok<IReadOnlyList<TrainingAgentResponse>>([.. (await library.AgentsAsync(http.Actor(), cancellationToken)).Select(a => new TrainingAgentResponse(a.Id, a.Key, a.Name, a.UseCase.ToString()))]);

    private static GoldAction ParseAction(string? action) =>
        Enum.TryParse<GoldAction>(action?.Trim(), ignoreCase: true, out var parsed) && Enum.IsDefined(parsed) && !int.TryParse(action, out _) ? parsed : (GoldAction)(-1);
}
