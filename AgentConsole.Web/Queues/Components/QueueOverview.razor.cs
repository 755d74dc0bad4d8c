namespace AgentConsole.Web.Queues.Components;

/// <summary>All queues of the tenant with live counts.</summary>
public sealed partial class QueueOverview : IDisposable
{
    private IReadOnlyList<QueueSummary> _queues = [];
    private bool _loading = true;
    private Actor? _actor;
    private IDisposable? _subscription;
    private int _reloadPending;

    [Inject]
    private QueueQueries Queries { get; set; } = default!;

    [Inject]
    private ConsoleUser User { get; set; } = default!;

    [Inject]
    private DecisionEventBus Events { get; set; } = default!;

    internal static string Sla(int minutes) => minutes >= 60 && minutes % 60 == 0 ? $"{minutes / 60} h" : $"{minutes} min";

    protected override async Task OnInitializedAsync()
    {
        _actor = await User.GetAsync();
        _queues = await Queries.OverviewAsync();
        _loading = false;
    }

    protected override void OnAfterRender(bool firstRender)
    {
        if (firstRender)
        {
            _subscription = Events.Subscribe(OnDecisionEventAsync);
        }
    }

    private Task OnDecisionEventAsync(DecisionEvent e)
    {
        // Many events arrive in bursts: one reload covers them all.
        if (e.TenantId != _actor?.TenantId || Interlocked.Exchange(ref _reloadPending, 1) == 1)
        {
            return Task.CompletedTask;
        }

        _ = InvokeAsync(async () =>
        {
            try
            {
                await Task.Delay(150);
                Interlocked.Exchange(ref _reloadPending, 0);
                _queues = await Queries.OverviewAsync();
                StateHasChanged();
            }
            catch (Exception ex)
            {
                await DispatchExceptionAsync(ex);
            }
        });
        return Task.CompletedTask;
    }

    public void Dispose() => _subscription?.Dispose();
}
