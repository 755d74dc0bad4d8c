using System.Globalization;

namespace AgentConsole.Web.Queues.Components;

/// <summary>
/// The open decisions of one queue, a page at a time, kept live: items that arrive, are claimed or are resolved
/// appear, change and leave without a reload, and only their rows render again. The page is read by the database
/// (filters, order, offset), so a queue of 100,000 costs a console one page.
/// </summary>
public sealed partial class QueueList
{
    private static readonly (string Key, string Label, double? Min, double? Max)[] ConfidenceBands =
    [
        ("any", "Any confidence", null, null),
        ("low", "Below 0.60", null, 0.5999),
        ("mid", "0.60 – 0.85", 0.60, 0.85),
        ("high", "Above 0.85", 0.8501, null),
    ];

    private static readonly int[] PageSizes = [25, 50, 100];

    private readonly HashSet<Guid> _arrived = [];
    private readonly List<Guid> _selected = [];
    private IReadOnlyList<SavedFilter> _saved = [];
    private Guid? _savedId;
    private bool _naming;
    private string? _filterName;
    private string? _filterError;
    private bool _bulkShown;
    private List<DecisionListItem> _items = [];
    private IReadOnlyList<(Guid Id, string Name)> _agents = [];
    private bool _loading = true;
    private int _offset;
    private int _pageSize = PageSizes[0];
    private int _total;
    private int _refillPending;
    private Guid? _agentId;
    private RiskLevel? _minRisk;
    private string _confidenceBand = "any";
    private DecisionSort _sort = DecisionSort.DueAt;

    /// <summary>The queue to show.</summary>
    [Parameter, EditorRequired]
    public ReviewQueue Queue { get; set; } = default!;

    /// <summary>Who is looking; events of other tenants are ignored.</summary>
    [Parameter, EditorRequired]
    public Actor Actor { get; set; } = default!;

    /// <summary>
    /// The rows to show instead of the queue's open decisions (a sandbox session's items): read again on every filter
    /// change and after <see cref="ReloadAsync"/>; no live events are followed for them.
    /// </summary>
    [Parameter]
    public Func<Task<IReadOnlyList<DecisionListItem>>>? Source { get; set; }

    /// <summary>Where a row leads; the decision page by default.</summary>
    [Parameter]
    public Func<DecisionListItem, string>? HrefFor { get; set; }

    /// <summary>Raised after the list changed, with the number of open items.</summary>
    [Parameter]
    public EventCallback<int> CountChanged { get; set; }

    [Inject]
    private DecisionQueries Queries { get; set; } = default!;

    [Inject]
    private QueueQueries QueueQueries { get; set; } = default!;

    [Inject]
    private CertificationQueries Certifications { get; set; } = default!;

    [Inject]
    private Domain.Training.Calibration.CalibrationQueries Calibration { get; set; } = default!;

    /// <summary>The viewer's calibration pauses, read with the list; live rows are marked with them.</summary>
    private IReadOnlyList<Domain.Training.Calibration.PauseView> _pauses = [];

    [Inject]
    private LiveListItems LiveItems { get; set; } = default!;

    [Inject]
    private SavedFilters SavedFilters { get; set; } = default!;

    [Inject]
    private TimeProvider Clock { get; set; } = default!;

    private DateTimeOffset Now => Clock.GetUtcNow();

    private bool Filtered => _agentId is not null || _minRisk is not null || _confidenceBand != "any";

    private DecisionFilter Filter
    {
        get
        {
            var band = ConfidenceBands.Single(b => b.Key == _confidenceBand);
            return new DecisionFilter(_agentId, _minRisk, band.Min, band.Max, _sort);
        }
    }

    protected override async Task OnParametersSetAsync()
    {
        if (Source is null)
        {
            _agents = [.. (await QueueQueries.AgentsForAsync(Queue.UseCase)).Select(a => (a.Id, a.Name))];
            _saved = await SavedFilters.ListAsync(Actor, Queue.Id);
        }

        await ReloadAsync();
        _loading = false;
    }

    protected override void OnAfterRender(bool firstRender)
    {
        if (firstRender && Source is null)
        {
            FollowEvents(
                e => e.TenantId == Actor.TenantId && (e.QueueId == Queue.Id || e.PreviousQueueId == Queue.Id || _items.Exists(i => i.Id == e.DecisionId)),
                ApplyAsync,
                async () =>
                {
                    await ReloadAsync();
                    StateHasChanged();
                });
        }
    }

    /// <summary>Reads the rows again.</summary>
    public async Task ReloadAsync()
    {
        if (Source is not null)
        {
            var rows = await Source();
            _agents = [.. rows.Select(r => (r.AgentId, r.AgentName)).Distinct().OrderBy(a => a.AgentName)];
            _items = [.. Filter.Order(rows.Where(Filter.Matches))];
            _total = _items.Count;
        }
        else
        {
            _pauses = await Calibration.MineAsync(Actor);
            var page = await Queries.PageOpenAsync(Queue.Id, Filter, _offset, _pageSize, Actor.Roles);
            if (page.Items.Count == 0 && _offset > 0 && page.Total > 0)
            {
                // The page emptied meanwhile (items resolved elsewhere): show the last page there is.
                _offset = (page.Total - 1) / _pageSize * _pageSize;
                page = await Queries.PageOpenAsync(Queue.Id, Filter, _offset, _pageSize, Actor.Roles);
            }

            _items = DecisionQueries.BlindFor(Actor, Domain.Training.Calibration.CalibrationQueries.Mark(_pauses, await Certifications.MarkAsync(Actor, page.Items))).ToList();
            _total = page.Total;
        }

        await CountChanged.InvokeAsync(_total);
    }

    /// <summary>"1–25 of 100,000".</summary>
    private string Range => _items.Count == 0
        ? $"None of {_total.ToString("N0", CultureInfo.InvariantCulture)}"
        : $"{(_offset + 1).ToString("N0", CultureInfo.InvariantCulture)}–{(_offset + _items.Count).ToString("N0", CultureInfo.InvariantCulture)} of {_total.ToString("N0", CultureInfo.InvariantCulture)}";

    private async Task GoToAsync(int offset)
    {
        _offset = Math.Max(0, offset);
        _selected.Clear();
        await ReloadAsync();
    }

    private Task OnPageSizeSelectedAsync(ChangeEventArgs e)
    {
        _pageSize = int.TryParse(e.Value as string, CultureInfo.InvariantCulture, out var size) && PageSizes.Contains(size) ? size : PageSizes[0];
        return GoToAsync(0);
    }

    /// <summary>Rows can be chosen for a bulk review by whoever may act on decisions (not in a sandbox).</summary>
    private bool MaySelect => Source is null && Actor.Can(Permissions.ActOnDecisions) && Queue.MayAct(Actor);

    private void Toggle(Guid id, bool selected)
    {
        _selected.Remove(id);
        if (selected)
        {
            _selected.Add(id);
            _bulkShown = true;
        }
    }

    private void SelectAll(ChangeEventArgs e)
    {
        _selected.Clear();
        if (e.Value is true)
        {
            _selected.AddRange(_items.Select(i => i.Id));
            _bulkShown = true;
        }
    }

    private async Task OnBulkCleared(bool keepShown)
    {
        _selected.Clear();
        _bulkShown = keepShown;
        await ReloadAsync();
    }

    private string Href(DecisionListItem item) => HrefFor?.Invoke(item) ?? $"/decisions/{item.Id}";

    private async Task ApplyAsync(DecisionEvent e)
    {
        var item = await LiveItems.GetAsync(e, Actor.Roles, () => Queries.GetListItemAsync(e.DecisionId, Actor.Roles));
        if (item?.Certification is not null)
        {
            // The shared row is the same for every viewer; whether this viewer holds its certification is theirs.
            item = (await Certifications.MarkAsync(Actor, [item]))[0];
        }

        if (item is not null)
        {
            item = Domain.Training.Calibration.CalibrationQueries.Mark(_pauses, [item])[0];
            item = DecisionQueries.BlindFor(Actor, [item])[0];
        }

        var index = _items.FindIndex(i => i.Id == e.DecisionId);
        var belongs = item is not null && item.QueueId == Queue.Id && item.Status.IsOpen() && Filter.Matches(item);
        _total = Math.Max(0, _total + CountChange(e, item, index >= 0, belongs));
        if (belongs && index >= 0)
        {
            _items[index] = item!;
            _items = Filter.Order(_items).ToList();
        }
        else if (belongs && OnThisPage(item!))
        {
            _items.Add(item!);
            _items = Filter.Order(_items).ToList();
            if (_items.Count > _pageSize)
            {
                _items.RemoveAt(_items.Count - 1);
            }

            _arrived.Add(item!.Id);
            _ = ForgetArrivalAsync(item.Id);
        }
        else if (index >= 0)
        {
            _items.RemoveAt(index);
            _selected.Remove(e.DecisionId);
            RefillIfShort();
        }

        await CountChanged.InvokeAsync(_total);
        StateHasChanged();
    }

    /// <summary>
    /// How an event changes the number of matching open items: an item entering the queue (new, or escalated here) or
    /// leaving it (resolved, or escalated on). Rows not on this page are counted by the event alone; a reload sets the
    /// count again from the database.
    /// </summary>
    private int CountChange(DecisionEvent e, DecisionListItem? item, bool shown, bool belongs)
    {
        var entered = e.QueueId == Queue.Id && (e.Kind == DecisionEventKind.Queued || (e.Kind == DecisionEventKind.Escalated && e.PreviousQueueId != Queue.Id));
        if (entered)
        {
            return belongs && !shown ? 1 : 0;
        }

        var left = shown || (item is not null && Filter.Matches(item));
        return left && !belongs && (!e.Status.IsOpen() || (e.Kind == DecisionEventKind.Escalated && e.QueueId != Queue.Id)) ? -1 : 0;
    }

    /// <summary>Whether a row not shown yet sorts into this page: on a page not full (the last), or before its last row.</summary>
    private bool OnThisPage(DecisionListItem item) =>
        _items.Count < _pageSize
            ? _offset + _items.Count >= _total - 1
            : Filter.SortsBefore(item, _items[^1]) && (_offset == 0 || Filter.SortsBefore(_items[0], item));

    /// <summary>
    /// Rows that left are not replaced one by one: when a page falls below four fifths of its size while more items
    /// wait, it is read again once, a moment later (one query per console for a burst of resolutions).
    /// </summary>
    private void RefillIfShort()
    {
        var more = _total > _offset + _items.Count;
        if ((_items.Count >= _pageSize * 4 / 5 && _items.Count > 0) || !more || Interlocked.Exchange(ref _refillPending, 1) == 1)
        {
            return;
        }

        _ = InvokeAsync(async () =>
        {
            await Task.Delay(TimeSpan.FromMilliseconds(300));
            Interlocked.Exchange(ref _refillPending, 0);
            await ReloadAsync();
            StateHasChanged();
        });
    }

    private async Task ForgetArrivalAsync(Guid id)
    {
        await Task.Delay(TimeSpan.FromSeconds(5));
        await InvokeAsync(() =>
        {
            if (_arrived.Remove(id))
            {
                StateHasChanged();
            }
        });
    }

    private Task OnSavedSelectedAsync(ChangeEventArgs e)
    {
        var saved = Guid.TryParse(e.Value as string, out var id) ? _saved.FirstOrDefault(f => f.Id == id) : null;
        _savedId = saved?.Id;
        if (saved is null)
        {
            return Task.CompletedTask;
        }

        var choice = saved.Choice;
        _agentId = choice.AgentId;
        _minRisk = choice.MinRisk;
        _confidenceBand = ConfidenceBands.Any(b => b.Key == choice.ConfidenceBand) ? choice.ConfidenceBand : "any";
        _sort = choice.Sort;
        _offset = 0;
        return ReloadAsync();
    }

    private async Task SaveFilterAsync()
    {
        try
        {
            var saved = await SavedFilters.SaveAsync(Actor, Queue.Id, _filterName, new QueueFilterChoice(_agentId, _minRisk, _confidenceBand, _sort));
            _saved = await SavedFilters.ListAsync(Actor, Queue.Id);
            _savedId = saved.Id;
            _naming = false;
            _filterName = null;
            _filterError = null;
        }
        catch (DomainException ex)
        {
            _filterError = ex.FieldErrors.TryGetValue("name", out var messages) ? string.Join(" ", messages) : ex.Message;
        }
    }

    private async Task DeleteFilterAsync()
    {
        if (_savedId is { } id)
        {
            try
            {
                await SavedFilters.DeleteAsync(Actor, id);
            }
            catch (DomainException)
            {
                // Deleted meanwhile (in another tab): the list below is read again either way.
            }

            _savedId = null;
            _saved = await SavedFilters.ListAsync(Actor, Queue.Id);
        }
    }

    private Task OnAgentSelectedAsync(ChangeEventArgs e)
    {
        _savedId = null;
        _offset = 0;
        _agentId = Guid.TryParse(e.Value as string, out var id) ? id : null;
        return ReloadAsync();
    }

    private Task OnRiskSelectedAsync(ChangeEventArgs e)
    {
        _savedId = null;
        _offset = 0;
        _minRisk = Enum.TryParse<RiskLevel>(e.Value as string, out var risk) ? risk : null;
        return ReloadAsync();
    }

    private Task OnConfidenceSelectedAsync(ChangeEventArgs e)
    {
        _savedId = null;
        _offset = 0;
        _confidenceBand = ConfidenceBands.Any(b => b.Key == e.Value as string) ? (string)e.Value! : "any";
        return ReloadAsync();
    }

    private Task OnSortSelectedAsync(ChangeEventArgs e)
    {
        _savedId = null;
        _offset = 0;
        _sort = Enum.TryParse<DecisionSort>(e.Value as string, out var sort) ? sort : DecisionSort.DueAt;
        return ReloadAsync();
    }

}
