using AgentConsole.Domain.Agents.Pause;
using AgentConsole.Domain.Notifications;

namespace AgentConsole.Web.Notifications.Components;

/// <summary>
/// The layout's bell, for people who are ever told anything (operators and seniors): the signed-in person's unread count, kept current without a reload by the decision events of their
/// tenant (at most one recount per burst), the breaker's pauses (seniors) and the notifications page of this console.
/// </summary>
public sealed partial class NotificationBell
{
    /// <summary>How long a burst of events is gathered before one recount.</summary>
    public static readonly TimeSpan Pause = TimeSpan.FromMilliseconds(750);

    private IReadOnlySet<Guid> _queues = new HashSet<Guid>();
    private Actor? _actor;
    private int _count;
    private bool _live;
    private IDisposable? _pauses;

    [Inject]
    private NotificationInbox Inbox { get; set; } = default!;

    [Inject]
    private ConsoleUser User { get; set; } = default!;

    [Inject]
    private AgentPauseEvents Pauses { get; set; } = default!;

    [Inject]
    private NotificationsChanged PageChanges { get; set; } = default!;

    [Inject]
    private SharedUnreadCounts SharedCounts { get; set; } = default!;

    private string Title => _count switch
    {
        0 => "Notifications: nothing unread",
        1 => "Notifications: 1 unread",
        _ => $"Notifications: {_count} unread",
    };

    protected override async Task OnInitializedAsync()
    {
        _actor = await User.GetAsync();
        if (NotificationInbox.Receives(_actor))
        {
            _queues = await Inbox.WatchedQueuesAsync(_actor);
            _count = await Inbox.UnreadCountAsync(_actor);
        }
    }

    protected override void OnAfterRender(bool firstRender)
    {
        if (!firstRender || _actor is not { } actor || !NotificationInbox.Receives(actor))
        {
            return;
        }

        var queues = _queues;
        ReloadOnEvents(e => Counts(e, actor.TenantId, queues), Pause, RecountAsync);
        if (actor.Can(Permissions.PauseAgents))
        {
            _pauses = Pauses.Subscribe(e => e.TenantId == actor.TenantId && e.ByBreaker ? InvokeAsync(RecountAndRenderAsync) : Task.CompletedTask);
        }

        PageChanges.Changed += OnPageChanged;
        _live = true;
        StateHasChanged();
    }

    /// <summary>
    /// What can change a person's count, cheaply on the publisher's thread: in a queue they may act on, an item arriving or
    /// leaving the unclaimed pool, warned, assigned or taken back. (A resolution leaves from a claim, already uncounted.)
    /// </summary>
    public static bool Counts(DecisionEvent e, Guid tenantId, IReadOnlySet<Guid> queues) =>
        e.TenantId == tenantId
        && e.Kind is DecisionEventKind.Queued or DecisionEventKind.Escalated or DecisionEventKind.Claimed or DecisionEventKind.Released
            or DecisionEventKind.SlaWarned or DecisionEventKind.Assigned
        && ((e.QueueId is { } q && queues.Contains(q)) || (e.PreviousQueueId is { } p && queues.Contains(p)));

    /// <summary>After decision events: one read for all of this person's consoles on this node.</summary>
    private async Task RecountAsync() => _count = await SharedCounts.GetAsync(_actor!, () => Inbox.UnreadCountAsync(_actor!));

    private async Task RecountAndRenderAsync()
    {
        try
        {
            // The person changed what is read (or a breaker paused an agent): read afresh.
            _count = await Inbox.UnreadCountAsync(_actor!);
            StateHasChanged();
        }
        catch (Exception ex)
        {
            await DispatchExceptionAsync(ex);
        }
    }

    private void OnPageChanged() => _ = InvokeAsync(RecountAndRenderAsync);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _pauses?.Dispose();
            PageChanges.Changed -= OnPageChanged;
        }

        base.Dispose(disposing);
    }
}
