namespace AgentConsole.Web.Audit.Pages;

/// <summary>
/// The auditor's workspace: the audit trail of the tenant, searched by actor, action, entity, time and words in
/// reasons, a page at a time, with exports of the same search. The search lives in the address, so a search can be
/// bookmarked and shared, and a field that cannot be read is named beside it.
/// </summary>
public sealed partial class AuditPage
{
    /// <summary>The furthest page the database can be asked for.</summary>
    private const int MaxPage = int.MaxValue / AuditQueries.DefaultPageSize;

    private AuditSearchInput _input = new();
    private IReadOnlyDictionary<string, string[]> _errors = new Dictionary<string, string[]>();
    private AuditSearchResult? _page;
    private Actor? _actor;

    [SupplyParameterFromQuery(Name = "actor")]
    public string? Actor { get; set; }

    [SupplyParameterFromQuery(Name = "action")]
    public string? Action { get; set; }

    [SupplyParameterFromQuery(Name = "entityType")]
    public string? EntityType { get; set; }

    [SupplyParameterFromQuery(Name = "entityId")]
    public string? EntityId { get; set; }

    [SupplyParameterFromQuery(Name = "from")]
    public string? From { get; set; }

    [SupplyParameterFromQuery(Name = "to")]
    public string? To { get; set; }

    [SupplyParameterFromQuery(Name = "text")]
    public string? Text { get; set; }

    /// <summary>The page of results, from 1.</summary>
    [SupplyParameterFromQuery(Name = "page")]
    public string? PageNumber { get; set; }

    [Inject]
    private ConsoleUser User { get; set; } = default!;

    [Inject]
    private AuditQueries Audit { get; set; } = default!;

    [Inject]
    private TimeProvider Clock { get; set; } = default!;

    [Inject]
    private NavigationManager Navigation { get; set; } = default!;

    protected override async Task OnParametersSetAsync()
    {
        _actor = await User.GetAsync();
        _input = new AuditSearchInput { Actor = Actor, Action = Action, EntityType = EntityType, EntityId = EntityId, From = From, To = To, Text = Text };
        var (filter, errors) = AuditFilter.Parse(_input, Clock.GetUtcNow());
        if (filter is not null && await Audit.UnknownActionAsync(filter) is { } unknown)
        {
            (filter, errors) = (null, new Dictionary<string, string[]> { ["action"] = [unknown] });
        }

        _errors = errors;
        _page = filter is null ? null : await SearchAsync(filter, _actor);
    }

    /// <summary>The page in the address, read leniently (it is only ever a link's): 1 when it is not a number.</summary>
    private int RequestedPage => long.TryParse(PageNumber, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var page)
        ? (int)Math.Clamp(page, 1, MaxPage)
        : 1;

    /// <summary>The page asked for; past the last page (an old or edited address), the last page.</summary>
    private async Task<AuditSearchResult> SearchAsync(AuditFilter filter, Actor actor)
    {
        var page = await Audit.SearchAsync(filter, Math.Clamp(RequestedPage, 1, MaxPage), AuditQueries.DefaultPageSize, actor.Roles);
        return page.Page > page.Pages && page.Pages > 0
            ? await Audit.SearchAsync(filter, page.Pages, AuditQueries.DefaultPageSize, actor.Roles)
            : page;
    }

    private void Search(AuditSearchInput input) => Navigation.NavigateTo(Address("/audit", input, page: null));

    private string PageHref(int page) => Address("/audit", _input, page);

    private string ExportHref(string format) => Address("/api/audit/entries/export", _input, page: null, format);

    /// <summary>An address carrying the search in its query, leaving out empty fields.</summary>
    private string Address(string path, AuditSearchInput input, int? page, string? format = null)
    {
        var query = new Dictionary<string, object?>
        {
            ["format"] = format,
            ["actor"] = Blank(input.Actor),
            ["action"] = Blank(input.Action),
            ["entityType"] = Blank(input.EntityType),
            ["entityId"] = Blank(input.EntityId),
            ["from"] = Blank(input.From),
            ["to"] = Blank(input.To),
            ["text"] = Blank(input.Text),
            ["page"] = page is > 1 ? page : null,
        };
        return Navigation.ToBaseRelativePath(Navigation.GetUriWithQueryParameters(Navigation.ToAbsoluteUri(path).ToString(), query)).Insert(0, "/");
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
