using AgentConsole.Domain.Traces;
using AgentConsole.Web.Traces.Components;
using Microsoft.Extensions.Options;

namespace AgentConsole.Web.Traces.Pages;

/// <summary>
/// One trace as a waterfall, with a span's details beside it (the first failed span, else the first span, until
/// another is chosen); links back to the decision and run it carried, and to the tracing backend when configured.
/// </summary>
public sealed partial class TracePage
{
    private TraceDetail? _detail;
    private WaterfallRow? _selected;
    private string? _invalid;
    private bool _loaded;

    /// <summary>The W3C trace id (32 hex characters), from the address.</summary>
    [Parameter]
    public string TraceId { get; set; } = "";

    [Inject]
    private TraceQueries Traces { get; set; } = default!;

    [Inject]
    private ConsoleUser User { get; set; } = default!;

    [Inject]
    private IOptions<TracesOptions> Options { get; set; } = default!;

    private int RetentionDays => Options.Value.RetentionDays;

    private List<BreadcrumbItem> Breadcrumbs =>
    [
        new("Traces", "/traces"),
        new(SpanTime.Short(TraceId), null, disabled: true),
    ];

    protected override async Task OnParametersSetAsync()
    {
        await User.GetAsync();
        _invalid = null;
        try
        {
            _detail = await Traces.GetAsync(TraceId);
        }
        catch (DomainException ex)
        {
            _detail = null;
            _invalid = ex.Message;
        }

        _selected = _detail?.View.Rows.FirstOrDefault(r => r.IsError) ?? (_detail?.View.Rows is [var first, ..] ? first : null);
        _loaded = true;
    }

    private void Select(WaterfallRow row) => _selected = row;
}
