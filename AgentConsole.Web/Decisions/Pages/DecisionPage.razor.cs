namespace AgentConsole.Web.Decisions.Pages;

/// <summary>
/// One decision, live. Fields the routing policy hides from the viewer stay hidden; a field the viewer revealed (with
/// a reason, audited) stays shown while this page shows this decision, and is hidden again on the next visit.
/// </summary>
public sealed partial class DecisionPage
{
    private readonly List<FieldReveal> _reveals = [];
    private DecisionDetail? _detail;
    private Actor? _actor;
    private bool _loaded;

    /// <summary>The decision, from the address.</summary>
    [Parameter]
    public Guid DecisionId { get; set; }

    [Inject]
    private ConsoleUser User { get; set; } = default!;

    [Inject]
    private DecisionQueries Decisions { get; set; } = default!;

    [Inject]
    private NavigationManager NavigationManager { get; set; } = default!;

    private (Guid? Previous, Guid? Next) _neighbours;
    private Guid? _queueId;

    private List<BreadcrumbItem> Breadcrumbs =>
    [
        new("Queues", "/queues"),
        new(_detail?.Queue?.Name ?? "Routed automatically", _detail?.Decision.QueueId is { } q ? $"/queues/{q}" : null, disabled: _detail?.Decision.QueueId is null),
        new(_detail?.View.Subject ?? "", null, disabled: true),
    ];

    /// <summary>The run's trace, for those who may see traces; none when the run was not traced.</summary>
    private string? TraceHref =>
        _actor is not null && _actor.Can(Permissions.ViewTraces) && Domain.Traces.StoredSpan.TraceIdOf(_detail?.Run?.TraceParent) is { } traceId
            ? $"/traces/{traceId}"
            : null;

    protected override async Task OnParametersSetAsync()
    {
        _actor = await User.GetAsync();
        _reveals.RemoveAll(r => r.DecisionId != DecisionId);
        await ReloadAsync();
        await ReadNeighboursAsync();
        _loaded = true;
    }

    protected override void OnAfterRender(bool firstRender)
    {
        if (firstRender)
        {
            ReloadOnEvents(e => e.DecisionId == DecisionId && e.TenantId == _actor?.TenantId, TimeSpan.Zero, ReloadAsync);
        }
    }

    private async Task ReloadAsync()
    {
        _detail = await Decisions.GetForAsync(DecisionId, _actor!, _reveals);
    }

    /// <summary>The items before and after this one in its queue (J and K), read once per page, not on every live change.</summary>
    private async Task ReadNeighboursAsync()
    {
        _queueId = _detail?.Decision.QueueId;
        _neighbours = _queueId is { } queueId ? await Decisions.AroundAsync(queueId, DecisionId) : default;
    }

    /// <summary>After a verdict or escalation by keyboard, the queue's next item opens by itself (the decided one has left it).</summary>
    private async Task OpenNextAsync()
    {
        // Read again: the queue moved since the page opened, and the decided item has left it.
        if (_queueId is { } queueId && (await Decisions.AroundAsync(queueId, DecisionId)).Next is { } next)
        {
            NavigationManager.NavigateTo($"/decisions/{next}");
        }
    }

    private static string? Href(Guid? decisionId) => decisionId is { } id ? $"/decisions/{id}" : null;

    private async Task OnRevealedAsync(FieldReveal reveal)
    {
        _reveals.Add(reveal);
        await ReloadAsync();
    }
}
