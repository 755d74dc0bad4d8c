using AgentConsole.Domain.Notifications;

namespace AgentConsole.Web.Notifications.Components;

/// <summary>The signed-in person's notifications, newest first and paged, with what is new in their queues; live, marked read one by one or all at once.</summary>
public sealed partial class NotificationList
{
    public const int PageSize = 20;

    private readonly PendingAction _action = new();
    private NotificationPage? _page;
    private IReadOnlySet<Guid> _queues = new HashSet<Guid>();
    private Actor? _actor;
    private int _pageNumber = 1;
    private bool _ready;
    private IDisposable? _pauses;

    [Inject]
    private NotificationInbox Inbox { get; set; } = default!;

    [Inject]
    private ConsoleUser User { get; set; } = default!;

    [Inject]
    private TimeProvider Clock { get; set; } = default!;

    [Inject]
    private NotificationsChanged Changes { get; set; } = default!;

    [Inject]
    private AgentConsole.Domain.Agents.Pause.AgentPauseEvents Pauses { get; set; } = default!;

    private int Pages => _page is null ? 1 : Math.Max(1, (_page.Total + PageSize - 1) / PageSize);

    private string UnreadText => _page!.Unread switch
    {
        0 => "Nothing unread",
        1 => "1 unread",
        var n => $"{n} unread",
    };

    protected override async Task OnInitializedAsync()
    {
        _actor = await User.GetAsync();
        _queues = await Inbox.WatchedQueuesAsync(_actor);
        await LoadAsync();
    }

    protected override void OnAfterRender(bool firstRender)
    {
        if (firstRender && _actor is { } actor)
        {
            var queues = _queues;
            ReloadOnEvents(e => NotificationBell.Counts(e, actor.TenantId, queues), NotificationBell.Pause, LoadAsync);
            if (actor.Can(Permissions.PauseAgents))
            {
                _pauses = Pauses.Subscribe(e => e.TenantId == actor.TenantId && e.ByBreaker ? InvokeAsync(ReloadAndRenderAsync) : Task.CompletedTask);
            }

            _ready = true;
            StateHasChanged();
        }
    }

    private async Task LoadAsync() => _page = await Inbox.PageAsync(_actor!, _pageNumber, PageSize);

    private async Task ReloadAndRenderAsync()
    {
        await _action.RunAsync(LoadAsync);
        StateHasChanged();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _pauses?.Dispose();
        }

        base.Dispose(disposing);
    }

    private async Task GoAsync(int page)
    {
        _pageNumber = page;
        await _action.RunAsync(LoadAsync);
    }

    private async Task MarkAsync(Guid id)
    {
        if (await _action.RunAsync(async () => await Inbox.MarkReadAsync(_actor!, id)))
        {
            await LoadAsync();
            Changes.Raise();
        }
    }

    private async Task MarkAllAsync()
    {
        if (await _action.RunAsync(async () => await Inbox.MarkAllReadAsync(_actor!)))
        {
            await LoadAsync();
            Changes.Raise();
        }
    }

    private static string KindLabel(NotificationKind kind) => kind switch
    {
        NotificationKind.Assigned => "Assigned to you",
        NotificationKind.TakenBack => "Taken back",
        NotificationKind.SlaWarning => "SLA warning",
        NotificationKind.AgentPaused => "Agent paused",
        _ => "New items",
    };
}
