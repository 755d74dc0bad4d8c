using AgentConsole.Domain.Traces;
using AgentConsole.Jobs.Traces;
using AgentConsole.Web.Traces.Components;

namespace AgentConsole.Web.Traces.Pages;

/// <summary>
/// Searches the tenant's stored traces by decision, run, agent, status, time and duration. The filters live in the
/// address (shareable, and the back button works); a malformed filter is shown back with what is wrong, never run.
/// </summary>
public sealed partial class TracesPage
{
    private TraceFilterModel _filters = new();
    private IReadOnlyList<(string Key, string Name)> _agents = [];
    private TraceSearchResult? _result;
    private DomainException? _error;
    private DateTimeOffset _now;

    [SupplyParameterFromQuery]
    public string? DecisionId { get; set; }

    [SupplyParameterFromQuery]
    public string? RunId { get; set; }

    [SupplyParameterFromQuery]
    public string? Agent { get; set; }

    [SupplyParameterFromQuery]
    public string? Status { get; set; }

    /// <summary>A range from the list (<c>15m</c>, <c>1h</c>, <c>24h</c>, <c>7d</c>, <c>31d</c>, <c>any</c>, <c>between</c>).</summary>
    [SupplyParameterFromQuery]
    public string? Since { get; set; }

    /// <summary>The range's start, ISO 8601 (UTC without an offset).</summary>
    [SupplyParameterFromQuery]
    public string? From { get; set; }

    [SupplyParameterFromQuery]
    public string? To { get; set; }

    [SupplyParameterFromQuery]
    public string? MinDurationMs { get; set; }

    [SupplyParameterFromQuery]
    public string? Page { get; set; }

    [Inject]
    private TraceQueries Traces { get; set; } = default!;

    [Inject]
    private AgentQueries AgentCatalog { get; set; } = default!;

    [Inject]
    private SpanStore Store { get; set; } = default!;

    [Inject]
    private TimeProvider Clock { get; set; } = default!;

    [Inject]
    private NavigationManager Navigation { get; set; } = default!;

    [Inject]
    private ConsoleUser User { get; set; } = default!;

    private string StoreStatus => Store.Enabled
        ? $"Span store on this node: {Store.Stored:N0} stored, {Store.Dropped + Store.Failed:N0} dropped since it started"
        : "This node stores no spans (Traces:Store is off); traces stored earlier or by other nodes are still shown.";

    private IReadOnlyDictionary<string, string[]> FieldErrors => _error?.FieldErrors ?? new Dictionary<string, string[]>();

    /// <summary>Messages the form has no field to show beside (a malformed page number), or the refusal itself when it names no field.</summary>
    private List<string> Unplaced
    {
        get
        {
            if (_error is null)
            {
                return [];
            }

            var shown = TraceFilters.Shown(_filters);
            return _error.FieldErrors.Count == 0 ? [_error.Message] : [.. _error.FieldErrors.Where(e => !shown.Contains(e.Key)).SelectMany(e => e.Value)];
        }
    }

    protected override async Task OnInitializedAsync()
    {
        await User.GetAsync();
        _agents = [.. (await AgentCatalog.CatalogAsync()).Select(a => (a.Key, a.Name))];
    }

    protected override async Task OnParametersSetAsync()
    {
        _filters = new TraceFilterModel
        {
            DecisionId = DecisionId,
            RunId = RunId,
            Agent = Agent,
            Status = Status,
            Since = Since,
            From = From,
            To = To,
            MinDurationMs = MinDurationMs,
        };
        _now = Clock.GetUtcNow();
        _result = null;
        _error = null;
        try
        {
            _result = await Traces.SearchAsync(_filters.ToSearch(_now, Page));
        }
        catch (DomainException ex)
        {
            _error = ex;
        }
    }

    private void Search() => Navigation.NavigateTo(_filters.ToUri());

    private void GoToPage(int page) => Navigation.NavigateTo(_filters.ToUri(page));
}
