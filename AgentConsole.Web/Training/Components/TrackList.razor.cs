using AgentConsole.Domain.Training.Tracks;

namespace AgentConsole.Web.Training.Components;

/// <summary>The tenant's training tracks, every version, and the form that creates a new one as a draft.</summary>
public sealed partial class TrackList
{
    private IReadOnlyList<TrackListItem>? _tracks;
    private Actor? _actor;
    private bool _creating;
    private readonly TrackSettingsModel _model = TrackSettingsModel.NewTrack();
    private readonly PendingAction _action = new();

    [Inject]
    private TrackAuthoring Tracks { get; set; } = default!;

    [Inject]
    private ConsoleUser User { get; set; } = default!;

    [Inject]
    private NavigationManager Navigation { get; set; } = default!;

    [Inject]
    private TimeProvider Clock { get; set; } = default!;

    protected override async Task OnInitializedAsync()
    {
        _actor = await User.GetAsync();
        _tracks = await Tracks.ListAsync(_actor);
    }

    private async Task CreateAsync()
    {
        Track? created = null;
        if (await _action.RunAsync(async () => created = await Tracks.CreateAsync(_model.ToSettings(), _actor!)))
        {
            Navigation.NavigateTo($"/training/tracks/{created!.Id}");
        }
    }
}
