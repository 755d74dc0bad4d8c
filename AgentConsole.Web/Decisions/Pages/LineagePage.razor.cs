namespace AgentConsole.Web.Decisions.Pages;

/// <summary>
/// One decision's lineage — case, agent, policy, reviewers, execution, outcome — masked for the viewer as the decision
/// page is, and followed live while the decision is still moving.
/// </summary>
public sealed partial class LineagePage
{
    private DecisionLineage? _lineage;
    private Actor? _actor;
    private bool _loaded;

    /// <summary>The decision, from the address.</summary>
    [Parameter]
    public Guid DecisionId { get; set; }

    [Inject]
    private ConsoleUser User { get; set; } = default!;

    [Inject]
    private DecisionLineageQueries Lineages { get; set; } = default!;

    protected override async Task OnParametersSetAsync()
    {
        _actor = await User.GetAsync();
        await ReloadAsync();
        _loaded = true;
    }

    protected override void OnAfterRender(bool firstRender)
    {
        if (firstRender)
        {
            ReloadOnEvents(e => e.DecisionId == DecisionId && e.TenantId == _actor?.TenantId, TimeSpan.Zero, ReloadAsync);
        }
    }

    private async Task ReloadAsync() => _lineage = await Lineages.GetAsync(DecisionId, _actor!);
}
