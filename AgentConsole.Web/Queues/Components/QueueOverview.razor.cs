namespace AgentConsole.Web.Queues.Components;

/// <summary>All queues of the tenant with live counts.</summary>
public sealed partial class QueueOverview
{
    private IReadOnlyList<QueueSummary> _queues = [];
    private bool _loading = true;
    private Actor? _actor;

    [Inject]
    private QueueQueries Queries { get; set; } = default!;

    [Inject]
    private ConsoleUser User { get; set; } = default!;

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
            ReloadOnEvents(e => e.TenantId == _actor?.TenantId, TimeSpan.FromMilliseconds(150), async () => _queues = await Queries.OverviewAsync());
        }
    }
}
