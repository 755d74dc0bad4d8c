using AgentConsole.Domain.Tenancy;
using AgentConsole.Domain.Training.Scenarios;

namespace AgentConsole.Domain.Training.Tracks;

/// <summary>Where a track stands: drafted and changed, published and frozen, or retired.</summary>
public enum TrackState
{
    /// <summary>Being built: settings, exercises and scenarios may change; nobody trains on it.</summary>
    Draft,
    /// <summary>Trainees work it; its settings, exercises and scenarios are frozen so every score stays comparable.</summary>
    Published,
    /// <summary>No longer offered (a newer version replaced it, or the trainer withdrew it); kept for the scores earned on it.</summary>
    Retired,
}

/// <summary>A track's settings as a trainer enters them; <see cref="Validate"/> names each field that is wrong.</summary>
public sealed record TrackSettings(
    string Key, string Name, string Description, string CertificationKey, int PassMarkPercent, int TimeLimitMinutes, int AttemptsAllowed, int ValidityDays)
{
    /// <summary>Keys are lowercase words joined by hyphens, as policies name certifications, e.g. <c>pricing-reviewer</c>.</summary>
    public static bool IsKey(string? key) =>
        key is { Length: >= 2 and <= 64 } && System.Text.RegularExpressions.Regex.IsMatch(key, "^[a-z0-9]+(-[a-z0-9]+)*$");

    /// <summary>Messages per field (empty when the settings are valid).</summary>
    public IReadOnlyDictionary<string, string[]> Validate()
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (!IsKey(Key))
        {
            errors["key"] = ["Give a key of 2–64 lowercase letters, digits and hyphens, e.g. pricing-reviewer."];
        }

        if (string.IsNullOrWhiteSpace(Name))
        {
            errors["name"] = ["Give the track a name."];
        }
        else if (Name.Trim().Length > 200)
        {
            errors["name"] = ["At most 200 characters."];
        }

        if ((Description ?? "").Length > 2000)
        {
            errors["description"] = ["At most 2000 characters."];
        }

        if (!IsKey(CertificationKey))
        {
            errors["certificationKey"] = ["Give the certification as policies name it: 2–64 lowercase letters, digits and hyphens, e.g. pricing-reviewer."];
        }

        if (PassMarkPercent is < 1 or > 100)
        {
            errors["passMarkPercent"] = ["The pass mark is a percentage between 1 and 100."];
        }

        if (TimeLimitMinutes is < 1 or > 480)
        {
            errors["timeLimitMinutes"] = ["The time limit is between 1 and 480 minutes."];
        }

        if (AttemptsAllowed is < 1 or > 20)
        {
            errors["attemptsAllowed"] = ["Allow between 1 and 20 attempts."];
        }

        if (ValidityDays is < 1 or > 3650)
        {
            errors["validityDays"] = ["A certification is valid between 1 and 3650 days."];
        }

        return errors;
    }
}

/// <summary>
/// A training track of one tenant: the certification it grants, the rules of its exam (pass mark, time limit,
/// attempts, how long the certification lasts) and its ordered exercises. Only a draft changes. Publishing
/// freezes it — settings, exercises and scenarios — so every score earned on a version was earned on the same
/// items; to change a published track a trainer starts its next version as a draft copy, and publishing that
/// retires the one before. Each version is its own row: (tenant, key, version) is unique.
/// </summary>
public sealed class Track : ITenantOwned
{
    private readonly List<Exercise> _exercises = [];

    private Track()
    {
    }

    public Track(Guid id, Guid tenantId, TrackSettings settings, string createdBy, DateTimeOffset now, int version = 1)
    {
        Id = id;
        TenantId = tenantId;
        Version = version;
        CreatedBy = createdBy;
        CreatedAt = now;
        UpdatedAt = now;
        Apply(settings);
    }

    public Guid Id { get; private set; }

    public Guid TenantId { get; private set; }

    /// <summary>Stable key of the track across its versions, e.g. <c>pricing-reviewer</c>.</summary>
    public string Key { get; private set; } = "";

    /// <summary>1 for the first version; a draft copy of a published track takes the next number.</summary>
    public int Version { get; private set; }

    public string Name { get; private set; } = "";

    public string Description { get; private set; } = "";

    /// <summary>The certification a pass grants, as a policy's review requirement names it.</summary>
    public string CertificationKey { get; private set; } = "";

    public int PassMarkPercent { get; private set; }

    public int TimeLimitMinutes { get; private set; }

    public int AttemptsAllowed { get; private set; }

    /// <summary>How long a certification granted by this track stays valid.</summary>
    public int ValidityDays { get; private set; }

    public TrackState State { get; private set; }

    public string CreatedBy { get; private set; } = "";

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    public DateTimeOffset? PublishedAt { get; private set; }

    /// <summary>Incremented by every change; the concurrency token.</summary>
    public int Revision { get; private set; }

    public IReadOnlyList<Exercise> Exercises => [.. _exercises.OrderBy(e => e.Position)];

    public TrackSettings Settings => new(Key, Name, Description, CertificationKey, PassMarkPercent, TimeLimitMinutes, AttemptsAllowed, ValidityDays);

    public int ScenarioCount => _exercises.Sum(e => e.Scenarios.Count);

    public void Change(TrackSettings settings, DateTimeOffset now)
    {
        EnsureDraft("change its settings");
        if (settings.Key != Key && Version > 1)
        {
            throw DomainException.Invalid("training.track-key-fixed", "A later version keeps its track's key.",
                new Dictionary<string, string[]> { ["key"] = [$"A later version keeps the key '{Key}'."] });
        }

        Apply(settings);
        Touch(now);
    }

    public Exercise AddExercise(Guid id, string title, string instructions, DateTimeOffset now)
    {
        EnsureDraft("add exercises");
        var errors = Tracks.Exercise.Validate(title, instructions);
        if (errors.Count > 0)
        {
            throw DomainException.Invalid("training.exercise-invalid", "The exercise is not valid: " + string.Join(" ", errors.SelectMany(e => e.Value)), errors);
        }

        var exercise = new Exercise(id, TenantId, Id, _exercises.Count + 1, title.Trim(), (instructions ?? "").Trim());
        _exercises.Add(exercise);
        Touch(now);
        return exercise;
    }

    public Exercise FindExercise(Guid exerciseId) =>
        _exercises.SingleOrDefault(e => e.Id == exerciseId) ?? throw DomainException.NotFound("training.exercise-not-found", "This exercise is not part of the track.");

    public Scenario AddScenario(Guid exerciseId, Scenario scenario, DateTimeOffset now)
    {
        EnsureDraft("add scenarios");
        FindExercise(exerciseId).Add(scenario);
        Touch(now);
        return scenario;
    }

    /// <summary>Publishes the draft; a track with no scenario has nothing to train on.</summary>
    public void Publish(DateTimeOffset now)
    {
        EnsureDraft("publish it");
        if (_exercises.Count == 0 || _exercises.Any(e => e.Scenarios.Count == 0))
        {
            throw DomainException.Invalid("training.track-empty",
                _exercises.Count == 0 ? "Add an exercise with at least one scenario before publishing." : "Every exercise needs at least one scenario before publishing: remove or fill the empty ones.");
        }

        State = TrackState.Published;
        PublishedAt = now;
        Touch(now);
    }

    public void Retire(DateTimeOffset now)
    {
        if (State != TrackState.Published)
        {
            throw DomainException.Conflict("training.track-not-published", "Only a published track can be retired.");
        }

        State = TrackState.Retired;
        Touch(now);
    }

    /// <summary>The next version of a published or retired track: a draft copy of its settings, exercises and scenarios.</summary>
    public Track NextVersion(Func<Guid> ids, int version, string createdBy, DateTimeOffset now)
    {
        if (State == TrackState.Draft)
        {
            throw DomainException.Conflict("training.track-is-draft", "This track is still a draft: change it directly.");
        }

        var copy = new Track(ids(), TenantId, Settings, createdBy, now, version);
        foreach (var exercise in Exercises)
        {
            var newExercise = copy.AddExercise(ids(), exercise.Title, exercise.Instructions, now);
            foreach (var scenario in exercise.Scenarios)
            {
                newExercise.Add(scenario.CopyTo(ids(), newExercise.Id));
            }
        }

        return copy;
    }

    /// <summary>What the audit trail keeps of the track.</summary>
    public object Snapshot() => new
    {
        Key, Version, Name, Description, CertificationKey, PassMarkPercent, TimeLimitMinutes, AttemptsAllowed, ValidityDays,
        state = State.ToString(), exercises = Exercises.Select(e => new { e.Id, e.Title, scenarios = e.Scenarios.Count }).ToList(),
    };

    private void EnsureDraft(string what)
    {
        if (State != TrackState.Draft)
        {
            throw DomainException.Conflict("training.track-frozen",
                $"This track is {State.ToString().ToLowerInvariant()}: its settings, exercises and scenarios are frozen so scores stay comparable. Start a new version to {what}.");
        }
    }

    private void Apply(TrackSettings settings)
    {
        var errors = settings.Validate();
        if (errors.Count > 0)
        {
            throw DomainException.Invalid("training.track-invalid", "The track's settings are not valid: " + string.Join(" ", errors.SelectMany(e => e.Value)), errors);
        }

        Key = settings.Key;
        Name = settings.Name.Trim();
        Description = (settings.Description ?? "").Trim();
        CertificationKey = settings.CertificationKey;
        PassMarkPercent = settings.PassMarkPercent;
        TimeLimitMinutes = settings.TimeLimitMinutes;
        AttemptsAllowed = settings.AttemptsAllowed;
        ValidityDays = settings.ValidityDays;
    }

    private void Touch(DateTimeOffset now)
    {
        UpdatedAt = now;
        Revision++;
    }
}

/// <summary>One exercise of a track: an ordered set of decision scenarios worked together.</summary>
public sealed class Exercise : ITenantOwned
{
    private readonly List<Scenario> _scenarios = [];

    private Exercise()
    {
    }

    internal Exercise(Guid id, Guid tenantId, Guid trackId, int position, string title, string instructions)
    {
        Id = id;
        TenantId = tenantId;
        TrackId = trackId;
        Position = position;
        Title = title;
        Instructions = instructions;
    }

    public Guid Id { get; private set; }

    public Guid TenantId { get; private set; }

    public Guid TrackId { get; private set; }

    /// <summary>1-based order within the track.</summary>
    public int Position { get; private set; }

    public string Title { get; private set; } = "";

    public string Instructions { get; private set; } = "";

    public IReadOnlyList<Scenario> Scenarios => [.. _scenarios.OrderBy(s => s.Position)];

    internal static Dictionary<string, string[]> Validate(string? title, string? instructions)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(title))
        {
            errors["title"] = ["Give the exercise a title."];
        }
        else if (title.Trim().Length > 200)
        {
            errors["title"] = ["At most 200 characters."];
        }

        if ((instructions ?? "").Length > 2000)
        {
            errors["instructions"] = ["At most 2000 characters."];
        }

        return errors;
    }

    internal void Add(Scenario scenario)
    {
        if (_scenarios.Count >= 200)
        {
            throw DomainException.Invalid("training.exercise-full", "An exercise holds at most 200 scenarios: start another exercise.");
        }

        scenario.PlaceIn(Id, _scenarios.Count == 0 ? 1 : _scenarios.Max(s => s.Position) + 1);
        _scenarios.Add(scenario);
    }

}
