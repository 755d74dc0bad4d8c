using AgentConsole.Domain.Persistence;
using AgentConsole.Domain.Queues.Sla;

namespace AgentConsole.Web.Queues.Pages;

/// <summary>Admins set the tenant's business calendar, which SLA ladders count in; errors show beside their fields.</summary>
public sealed partial class BusinessCalendarPage
{
    private static readonly string[] Days = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];
    private readonly HashSet<string> _days = new(StringComparer.Ordinal);
    private IReadOnlyDictionary<string, string[]> _fieldErrors = new Dictionary<string, string[]>();
    private BusinessCalendarView? _view;
    private string? _timeZone;
    private string? _starts;
    private string? _ends;
    private string? _country;
    private string? _holidays;
    private string? _error;
    private bool _busy;

    [Inject]
    private BusinessCalendars Calendars { get; set; } = default!;

    [Inject]
    private ConsoleUser User { get; set; } = default!;

    [Inject]
    private TimeProvider Clock { get; set; } = default!;

    [Inject]
    private ISnackbar Snackbar { get; set; } = default!;

    protected override async Task OnInitializedAsync() => Show(await Calendars.GetAsync());

    private void Show(BusinessCalendarView view)
    {
        _view = view;
        _timeZone = view.TimeZone;
        _days.Clear();
        _days.UnionWith(view.WorkingDays);
        _starts = view.DayStarts;
        _ends = view.DayEnds;
        _country = view.HolidayCountry ?? "";
        _holidays = string.Join('\n', view.Holidays);
    }

    private void Toggle(string day, bool on)
    {
        if (on)
        {
            _days.Add(day);
        }
        else
        {
            _days.Remove(day);
        }
    }

    private bool HasError(string field) => _fieldErrors.ContainsKey(field);

    private string? ErrorFor(string field) => _fieldErrors.TryGetValue(field, out var messages) ? string.Join(" ", messages) : null;

    private async Task SaveAsync()
    {
        _busy = true;
        _error = null;
        _fieldErrors = new Dictionary<string, string[]>();
        try
        {
            var holidays = (_holidays ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            Show(await Calendars.UpdateAsync(await User.GetAsync(), new BusinessCalendarInput(_timeZone, [.. Days.Where(_days.Contains)], _starts, _ends, _country, holidays)));
            Snackbar.Add("Saved: SLA ladders now count in this calendar.", Severity.Success);
        }
        catch (DomainException ex)
        {
            _fieldErrors = ex.FieldErrors;
            _error = ex.FieldErrors.Count > 0 ? "Please correct the marked fields; nothing was saved." : ex.Message;
        }
        catch (Exception ex) when (DatabaseFailures.IsUnavailable(ex))
        {
            _error = DatabaseFailures.UnavailableMessage;
        }
        finally
        {
            _busy = false;
        }
    }
}
