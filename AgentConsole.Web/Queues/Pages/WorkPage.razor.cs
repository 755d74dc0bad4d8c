using AgentConsole.Domain.Queues.Leases;

namespace AgentConsole.Web.Queues.Pages;

/// <summary>The work views across queues: mine, available to me, and (senior operators) what needs attention. Live.</summary>
public sealed partial class WorkPage
{
    private IReadOnlyList<DecisionListItem> _mine = [];
    private IReadOnlyList<DecisionListItem> _available = [];
    private IReadOnlyList<AttentionItem> _attention = [];
    private Dictionary<Guid, string> _queues = [];
    private Actor? _actor;
    private bool _loaded;

    /// <summary>Which view: <c>mine</c> (default), <c>available</c> or <c>attention</c>.</summary>
    [SupplyParameterFromQuery(Name = "view")]
    public string? ViewName { get; set; }

    [Inject]
    private ConsoleUser User { get; set; } = default!;

    [Inject]
    private WorkViews Views { get; set; } = default!;

    [Inject]
    private QueueQueries Queues { get; set; } = default!;

    [Inject]
    private TimeProvider Clock { get; set; } = default!;

    private string View => ViewName is "available" or "attention" ? ViewName : "mine";

    private bool Supervises => _actor?.Can(Permissions.SuperviseQueues) == true;

    private string Empty => View switch
    {
        "available" => "Nothing waits for you: every open item you may decide is claimed, assigned to someone else, or needs a certification you don't hold.",
        "attention" => "Nothing needs attention: nothing is overdue or about to breach, no claim is stuck, and every item has someone who can take it.",
        _ => "You hold nothing: claim an item from Available, or a queue.",
    };

    protected override async Task OnParametersSetAsync()
    {
        _actor ??= await User.GetAsync();
        await ReloadAsync();
        _loaded = true;
    }

    protected override void OnAfterRender(bool firstRender)
    {
        if (firstRender)
        {
            ReloadOnEvents(e => e.TenantId == _actor?.TenantId, TimeSpan.FromMilliseconds(500), ReloadAsync);
        }
    }

    private async Task ReloadAsync()
    {
        _queues = (await Queues.OverviewAsync()).ToDictionary(q => q.Id, q => q.Name);
        _mine = await Views.MineAsync(_actor!);
        _available = await Views.AvailableAsync(_actor!);
        _attention = Supervises ? await Views.NeedsAttentionAsync(_actor!) : [];
    }

    private string QueueName(Guid id) => _queues.GetValueOrDefault(id, "");
}
