using AgentConsole.Domain.Training.Calibration;

namespace AgentConsole.Web.Training.Calibration.Components;

/// <summary>
/// Operators' accuracy and agreement on gold items over a period, who is paused and why, and what the policies set;
/// trainers clear a pause here with a reason, through <see cref="CalibrationClearance"/>.
/// </summary>
public sealed partial class CalibrationDashboardView
{
    private static readonly int[] Periods = [7, 30, 90];

    private CalibrationDashboard? _dashboard;
    private Actor? _actor;
    private bool _mayClear;
    private int _days = CalibrationQueries.DefaultDays;
    private UseCase? _useCase;
    private PauseView? _clearing;
    private string? _reason;
    private readonly PendingAction _action = new();

    [Inject]
    private CalibrationQueries Queries { get; set; } = default!;

    [Inject]
    private CalibrationClearance Clearance { get; set; } = default!;

    [Inject]
    private ConsoleUser User { get; set; } = default!;

    [Inject]
    private ISnackbar Snackbar { get; set; } = default!;

    protected override async Task OnInitializedAsync()
    {
        _actor = await User.GetAsync();
        _mayClear = _actor.Can(Permissions.ManageTraining);
        await LoadAsync();
    }

    private async Task LoadAsync() => _dashboard = await Queries.DashboardAsync(_actor!, _days, _useCase);

    private async Task OnDaysAsync(ChangeEventArgs e)
    {
        _days = int.TryParse(e.Value?.ToString(), out var days) && Periods.Contains(days) ? days : CalibrationQueries.DefaultDays;
        await LoadAsync();
    }

    private async Task OnUseCaseAsync(ChangeEventArgs e)
    {
        _useCase = Enum.TryParse<UseCase>(e.Value?.ToString(), out var useCase) ? useCase : null;
        await LoadAsync();
    }

    private void Open(PauseView pause)
    {
        _clearing = pause;
        _reason = null;
        _action.Error = null;
    }

    private async Task ClearAsync()
    {
        var target = _clearing!;
        await _action.RunAsync(async () =>
        {
            await Clearance.ClearAsync(target.Id, _actor!, _reason);
            Snackbar.Add($"{target.PersonName} may take {target.Scope} again.", Severity.Success);
            _clearing = null;
            await LoadAsync();
        });
    }
}
