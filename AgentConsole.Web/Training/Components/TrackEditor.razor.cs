using AgentConsole.Domain.Training.Scenarios;
using AgentConsole.Domain.Training.Tracks;

namespace AgentConsole.Web.Training.Components;

/// <summary>How a trainer adds scenarios to an exercise.</summary>
public enum AddMode
{
    Write,
    Generate,
    Import,
}

/// <summary>
/// One track for its trainer: its settings (edited while a draft), its exercises and scenarios with their source, gold
/// answer and explanation, the three ways to add scenarios, and its lifecycle — publish, retire, start the next version.
/// </summary>
public sealed partial class TrackEditor
{
    private Track? _track;
    private bool _notFound;
    private Actor? _actor;
    private IReadOnlyList<Agent> _agents = [];
    private TrackSettingsModel _settings = new();
    private bool _settingsOpen;
    private (Guid ExerciseId, AddMode Mode)? _open;
    private string? _exerciseTitle;
    private string? _exerciseInstructions;
    private readonly PendingAction _settingsAction = new();
    private readonly PendingAction _lifecycle = new();
    private readonly PendingAction _exerciseAction = new();

    [Parameter, EditorRequired]
    public Guid TrackId { get; set; }

    /// <summary>Told the track's name once loaded, for the page title.</summary>
    [Parameter]
    public EventCallback<string> TitleChanged { get; set; }

    [Inject]
    private TrackAuthoring Tracks { get; set; } = default!;

    [Inject]
    private ScenarioLibrary Library { get; set; } = default!;

    [Inject]
    private ConsoleUser User { get; set; } = default!;

    [Inject]
    private NavigationManager Navigation { get; set; } = default!;

    [Inject]
    private ISnackbar Snackbar { get; set; } = default!;

    protected override async Task OnParametersSetAsync()
    {
        _actor ??= await User.GetAsync();
        _agents = await Library.AgentsAsync(_actor);
        await LoadAsync();
        _settingsOpen = _track is { State: TrackState.Draft, ScenarioCount: 0 };
    }

    private async Task LoadAsync()
    {
        try
        {
            _track = await Tracks.GetAsync(TrackId, _actor!);
            _settings = TrackSettingsModel.Of(_track.Settings);
            await TitleChanged.InvokeAsync(_track.Name);
        }
        catch (DomainException ex) when (ex.Kind == DomainErrorKind.NotFound)
        {
            _track = null;
            _notFound = true;
        }
    }

    private bool IsOpen(Exercise exercise, AddMode mode) => _open is { } open && open.ExerciseId == exercise.Id && open.Mode == mode;

    private void Open(Exercise exercise, AddMode mode) => _open = IsOpen(exercise, mode) ? null : (exercise.Id, mode);

    private void Close() => _open = null;

    private async Task AddedAsync(string message)
    {
        Snackbar.Add(message, Severity.Success);
        _open = null;
        await LoadAsync();
    }

    private async Task SaveSettingsAsync()
    {
        if (await _settingsAction.RunAsync(() => Tracks.ChangeAsync(TrackId, _settings.ToSettings(), _track!.Revision, _actor!)))
        {
            Snackbar.Add("Settings saved.", Severity.Success);
            await LoadAsync();
        }
    }

    private async Task PublishAsync()
    {
        if (await _lifecycle.RunAsync(() => Tracks.PublishAsync(TrackId, _actor!)))
        {
            Snackbar.Add("Published: trainees can work this track; it is now frozen.", Severity.Success);
            await LoadAsync();
        }
    }

    private async Task RetireAsync()
    {
        if (await _lifecycle.RunAsync(() => Tracks.RetireAsync(TrackId, _actor!)))
        {
            Snackbar.Add("Retired: no longer offered; scores earned on it are kept.", Severity.Success);
            await LoadAsync();
        }
    }

    private async Task NextVersionAsync()
    {
        Track? next = null;
        if (await _lifecycle.RunAsync(async () => next = await Tracks.StartNextVersionAsync(TrackId, _actor!)))
        {
            Navigation.NavigateTo($"/training/tracks/{next!.Id}");
        }
    }

    private string? ExerciseError(string field) => _exerciseAction.Refusal?.FieldErrors.GetValueOrDefault(field) is [var first, ..] ? first : null;

    private async Task AddExerciseAsync()
    {
        if (await _exerciseAction.RunAsync(() => Tracks.AddExerciseAsync(TrackId, _exerciseTitle ?? "", _exerciseInstructions ?? "", _actor!)))
        {
            _exerciseTitle = null;
            _exerciseInstructions = null;
            await LoadAsync();
        }
    }
}
