using AgentConsole.Domain.Traces;
using AgentConsole.Web.Traces.Components;
using Microsoft.Extensions.Options;

namespace AgentConsole.Web.Traces.Pages;

/// <summary>
/// One trace as a waterfall, with a span's details beside it (the first failed span, else the first span, until
/// another is chosen); links back to the decision and run it carried, and to the tracing backend when configured.
/// Spans are written a moment after their work ends: while a trace is that fresh (or not there yet), the page looks
/// again every second for a few seconds and fills in what arrived.
/// </summary>
public sealed partial class TracePage : IDisposable
{
    /// <summary>A trace whose last span ended this recently may still be receiving spans.</summary>
    private static readonly TimeSpan Fresh = TimeSpan.FromSeconds(10);

    private const int FreshLooks = 10;

    private readonly CancellationTokenSource _disposed = new();
    private TraceDetail? _detail;
    private WaterfallRow? _selected;
    private string? _invalid;
    private bool _loaded;
    private bool _looking = true;

    /// <summary>The W3C trace id (32 hex characters), from the address.</summary>
    [Parameter]
    public string TraceId { get; set; } = "";

    [Inject]
    private TraceQueries Traces { get; set; } = default!;

    [Inject]
    private ConsoleUser User { get; set; } = default!;

    [Inject]
    private IOptions<TracesOptions> Options { get; set; } = default!;

    [Inject]
    private TimeProvider Clock { get; set; } = default!;

    private int RetentionDays => Options.Value.RetentionDays;

    private List<BreadcrumbItem> Breadcrumbs =>
    [
        new("Traces", "/traces"),
        new(SpanTime.Short(TraceId), null, disabled: true),
    ];

    private bool StillArriving =>
        _invalid is null && (_detail is null || Clock.GetUtcNow() - (_detail.View.StartedAt + _detail.View.Duration) < Fresh);

    protected override async Task OnParametersSetAsync()
    {
        await User.GetAsync();
        _selected = null;
        await LoadAsync();
        _loaded = true;
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (!firstRender)
        {
            return;
        }

        try
        {
            for (var look = 0; look < FreshLooks && StillArriving; look++)
            {
                await Task.Delay(TimeSpan.FromSeconds(1), _disposed.Token);
                var before = _detail?.View.Rows.Count;
                await LoadAsync();
                if (_detail?.View.Rows.Count != before)
                {
                    StateHasChanged();
                }
            }
        }
        catch (OperationCanceledException) when (_disposed.IsCancellationRequested)
        {
            // The person left the page.
            return;
        }

        _looking = false;
        StateHasChanged();
    }

    // Cancelled, never disposed: a look still running when the person leaves reads its token afterwards.
    public void Dispose() => _disposed.Cancel();

    private async Task LoadAsync()
    {
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

        var rows = _detail?.View.Rows ?? [];
        _selected = (_selected is { } chosen ? rows.FirstOrDefault(r => r.Span.Id == chosen.Span.Id) : null)
            ?? rows.FirstOrDefault(r => r.IsError) ?? (rows is [var first, ..] ? first : null);
    }

    private void Select(WaterfallRow row) => _selected = row;
}
