using AgentConsole.Domain.Policies;
using Microsoft.JSInterop;

namespace AgentConsole.Web.Policies.Components;

/// <summary>
/// The author's editor for a draft: the YAML document with a line-number gutter and live
/// validation (every problem with its line and column, a click away), a form for the common
/// thresholds, the change note, and submission to the board.
/// </summary>
public sealed partial class PolicyEditor
{
    private static readonly TimeSpan ValidationPause = TimeSpan.FromMilliseconds(350);

    private ElementReference _textarea;
    private ElementReference _gutter;
    private IJSObjectReference? _module;
    private IJSObjectReference? _attached;
    private CancellationTokenSource? _pending;
    private string _text = "";
    private string? _note;
    private string? _noteError;
    private string? _effectiveError;
    private DateTime? _effectiveFrom;
    private IReadOnlyList<PolicyProblem> _problems = [];
    private ThresholdForm? _form;
    private bool _validating;
    private bool _dirty;
    private readonly PendingAction _action = new();
    private int _tab;
    private int _concurrency;
    private Guid _shown;

    /// <summary>The draft being edited.</summary>
    [Parameter, EditorRequired]
    public PolicyVersionDetail Detail { get; set; } = default!;

    /// <summary>Who edits: the draft's author.</summary>
    [Parameter, EditorRequired]
    public Actor Actor { get; set; } = default!;

    /// <summary>The agents a per-agent threshold may name.</summary>
    [Parameter]
    public IReadOnlyList<string> AgentKeys { get; set; } = [];

    /// <summary>Raised after the draft was saved, so the page can compare the saved text.</summary>
    [Parameter]
    public EventCallback Saved { get; set; }

    /// <summary>Raised after the draft was submitted, so the page can show it under review.</summary>
    [Parameter]
    public EventCallback Submitted { get; set; }

    [Inject]
    private PolicyService Policies { get; set; } = default!;

    [Inject]
    private ISnackbar Snackbar { get; set; } = default!;

    [Inject]
    private IJSRuntime JS { get; set; } = default!;

    [Inject]
    private NavigationManager Navigation { get; set; } = default!;

    protected override async Task OnParametersSetAsync()
    {
        if (_shown == Detail.Summary.Id)
        {
            return;
        }

        _shown = Detail.Summary.Id;
        _text = Detail.Document;
        _note = Detail.Summary.ChangeNote;
        _concurrency = Detail.ConcurrencyVersion;
        _dirty = false;
        await ValidateAsync(CancellationToken.None);
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (firstRender)
        {
            _module = await JS.InvokeAsync<IJSObjectReference>("import", "./js/policy-editor.js");
            _attached = await _module.InvokeAsync<IJSObjectReference>("attach", _textarea, _gutter);
        }
    }

    private async Task OnInput(ChangeEventArgs e)
    {
        _text = e.Value as string ?? "";
        _dirty = true;
        if (_pending is not null)
        {
            await _pending.CancelAsync();
            _pending.Dispose();
        }

        _pending = new CancellationTokenSource();
        var token = _pending.Token;
        _validating = true;
        try
        {
            await Task.Delay(ValidationPause, token);
            await ValidateAsync(token);
        }
        catch (OperationCanceledException)
        {
            // A later keystroke validates instead.
        }
    }

    private void OnNoteChanged(string? note)
    {
        _note = note;
        _dirty = true;
    }

    private async Task ValidateAsync(CancellationToken cancellationToken)
    {
        _validating = true;
        try
        {
            var problems = await Policies.ValidateAsync(Detail.Scope.Id, _text, cancellationToken);
            cancellationToken.ThrowIfCancellationRequested();
            _problems = problems;
            _form = PolicyThresholdForm.Read(_text) is { } settings && !problems.Any(p => p.Path.StartsWith("/autoApprove", StringComparison.Ordinal))
                ? ThresholdForm.From(settings, AgentKeys)
                : null;
        }
        finally
        {
            _validating = false;
        }
    }

    private string? LineText(int line)
    {
        var lines = _text.Split('\n');
        return line >= 1 && line <= lines.Length ? lines[line - 1].TrimEnd() : null;
    }

    private async Task GoToAsync(PolicyProblem problem)
    {
        _tab = 0;
        if (_module is not null)
        {
            await _module.InvokeVoidAsync("goTo", _textarea, problem.Line, problem.Column);
        }
    }

    private async Task ApplyFormAsync()
    {
        _text = PolicyThresholdForm.Write(_text, _form!.ToSettings());
        _dirty = true;
        await ValidateAsync(CancellationToken.None);
        _tab = 0;
        if (_attached is not null)
        {
            await _attached.InvokeVoidAsync("refresh");
        }

        Snackbar.Add("The thresholds were written into the document; save the draft to keep them.", Severity.Info);
    }

    private async Task<bool> SaveAsync()
    {
        _noteError = null;
        return await ActAsync(async () =>
        {
            var saved = await Policies.SaveDraftAsync(Actor, Detail.Summary.Id, _text, _note ?? "", _concurrency);
            _concurrency = saved.Version;
            _dirty = false;
            await Saved.InvokeAsync();
        });
    }

    private async Task SubmitAsync()
    {
        if (_dirty && !await SaveAsync())
        {
            return;
        }

        _noteError = null;
        _effectiveError = null;
        await ActAsync(async () =>
        {
            DateTimeOffset? from = _effectiveFrom is { } local ? new DateTimeOffset(DateTime.SpecifyKind(local, DateTimeKind.Utc)) : null;
            await Policies.SubmitAsync(Actor, Detail.Summary.Id, from, _concurrency);
            Snackbar.Add($"Version {Detail.Summary.Number} was sent to the governance board.", Severity.Success);
            await Submitted.InvokeAsync();
        });
    }

    private async Task DiscardAsync() => await ActAsync(async () =>
    {
        await Policies.WithdrawAsync(Actor, Detail.Summary.Id, "Draft discarded.", _concurrency);
        Navigation.NavigateTo($"/policies/{Detail.Scope.Id}");
    });

    /// <summary>Runs a change; a problem with the change note or the start time is shown beside its field, any other above the editor.</summary>
    private async Task<bool> ActAsync(Func<Task> change)
    {
        if (await _action.RunAsync(change))
        {
            return true;
        }

        _noteError = _action.Refusal?.FieldErrors.GetValueOrDefault("changeNote")?.FirstOrDefault();
        _effectiveError = _action.Refusal?.FieldErrors.GetValueOrDefault("effectiveFrom")?.FirstOrDefault();
        if (_noteError is not null || _effectiveError is not null)
        {
            _action.Error = null;
        }

        return false;
    }

    public async ValueTask DisposeAsync()
    {
        _pending?.Dispose();
        try
        {
            if (_attached is not null)
            {
                await _attached.DisposeAsync();
            }

            if (_module is not null)
            {
                await _module.DisposeAsync();
            }
        }
        catch (JSDisconnectedException)
        {
            // The circuit is gone; the browser cleaned up already.
        }
    }

    /// <summary>The form's mutable copy of the thresholds.</summary>
    private sealed class ThresholdForm
    {
        public double MinConfidence { get; set; }

        public RiskLevel MaxRisk { get; set; }

        public Dictionary<string, double?> Agents { get; } = new(StringComparer.Ordinal);

        public static ThresholdForm From(ThresholdSettings settings, IReadOnlyList<string> agentKeys)
        {
            var form = new ThresholdForm { MinConfidence = settings.MinConfidence, MaxRisk = settings.MaxRisk };
            foreach (var key in agentKeys)
            {
                form.Agents[key] = settings.AgentThresholds.TryGetValue(key, out var t) ? t : null;
            }

            return form;
        }

        public ThresholdSettings ToSettings() =>
            new(MinConfidence, MaxRisk, Agents.Where(a => a.Value is not null).ToDictionary(a => a.Key, a => a.Value!.Value, StringComparer.Ordinal));
    }
}
