using AgentConsole.Domain.Persistence;
using AgentConsole.Domain.Queues.Leases;
using Microsoft.Extensions.Options;
using Microsoft.JSInterop;

namespace AgentConsole.Web.Queues.Components;

/// <summary>
/// Beside a decision: its SLA warning, who it is assigned to, the reviewer's lease (renewed by a heartbeat every
/// <see cref="QueueOptions.HeartbeatSeconds"/> while the page is open, released when it closes), and for senior
/// operators, assign, reassign and take back with a reason.
/// </summary>
public sealed partial class WorkPanel : IAsyncDisposable
{
    private IReadOnlyList<Assignee> _candidates = [];
    private IReadOnlyDictionary<string, string[]> _fieldErrors = new Dictionary<string, string[]>();
    private CancellationTokenSource? _heartbeat;
    private Guid? _assigneeId;
    private string? _reason;
    private string? _error;
    private string? _leaseLost;
    private bool _busy;
    private bool _interactive;
    private Guid _candidatesFor;

    /// <summary>The decision as its page shows it.</summary>
    [Parameter, EditorRequired]
    public DecisionDetail Detail { get; set; } = default!;

    /// <summary>Who is looking.</summary>
    [Parameter, EditorRequired]
    public Actor Actor { get; set; } = default!;

    /// <summary>Raised after a change, so the page reloads.</summary>
    [Parameter]
    public EventCallback Changed { get; set; }

    [Inject]
    private ClaimLeases Leases { get; set; } = default!;

    [Inject]
    private Assignments Assignments { get; set; } = default!;

    [Inject]
    private IOptions<QueueOptions> Options { get; set; } = default!;

    [Inject]
    private TimeProvider Clock { get; set; } = default!;

    [Inject]
    private ISnackbar Snackbar { get; set; } = default!;

    [Inject]
    private IJSRuntime JS { get; set; } = default!;

    [Inject]
    private ILogger<WorkPanel> Logger { get; set; } = default!;

    private bool HoldsClaim => Detail.Decision.Status == DecisionStatus.InReview && Detail.Decision.ClaimedById == Actor.Id;

    private bool Supervises => Actor.Can(Permissions.SuperviseQueues) && Detail.Queue is { } q && q.MayAct(Actor);

    protected override async Task OnParametersSetAsync()
    {
        if (HoldsClaim)
        {
            _leaseLost = null;
        }

        if (Supervises && Detail.Decision.Status.IsOpen() && _candidatesFor != Detail.Decision.Id)
        {
            _candidates = await Assignments.CandidatesAsync(Detail.Decision.Id, Actor);
            _candidatesFor = Detail.Decision.Id;
        }

        if (_interactive)
        {
            FollowLease();
        }
    }

    protected override void OnAfterRender(bool firstRender)
    {
        // Never during prerendering: a prerendered copy is thrown away, and must neither beat nor release.
        if (firstRender)
        {
            _interactive = true;
            FollowLease();
        }
    }

    /// <summary>Beats while this person holds the claim, and stops when they no longer do.</summary>
    private void FollowLease()
    {
        if (HoldsClaim && _heartbeat is null)
        {
            _heartbeat = new CancellationTokenSource();
            _ = BeatAsync(Detail.Decision.Id, _heartbeat.Token);
        }
        else if (!HoldsClaim && _heartbeat is not null)
        {
            _heartbeat.Cancel();
            _heartbeat.Dispose();
            _heartbeat = null;
        }
    }

    private async Task BeatAsync(Guid decisionId, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(Options.Value.HeartbeatSeconds));
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                if (await BrowserAnswersAsync(cancellationToken))
                {
                    await Leases.RenewAsync(decisionId, Actor, cancellationToken);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The page closed or the claim ended.
        }
        catch (DomainException ex)
        {
            await InvokeAsync(async () =>
            {
                _leaseLost = ex.Message;
                await Changed.InvokeAsync();
                StateHasChanged();
            });
        }
        catch (Exception ex)
        {
            // A database hiccup: the next page load shows how the claim stands; the sweep expires it if it lapsed.
            Logger.LogWarning(ex, "A lease heartbeat for decision {DecisionId} failed", decisionId);
        }
    }

    /// <summary>
    /// Whether the reviewer's browser is still there: a circuit outlives a closed or crashed tab for minutes, and
    /// must not keep the claim alive for nobody. A page that comes back finds out whether its claim lapsed meanwhile.
    /// </summary>
    private async Task<bool> BrowserAnswersAsync(CancellationToken cancellationToken)
    {
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        wait.CancelAfter(TimeSpan.FromSeconds(Math.Max(2, Options.Value.HeartbeatSeconds / 2)));
        try
        {
            await JS.InvokeAsync<double>("Date.now", wait.Token);
            return true;
        }
        catch (Exception ex) when (ex is JSDisconnectedException or JSException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return false;
        }
    }

    private bool HasError(string field) => _fieldErrors.ContainsKey(field);

    private string? ErrorFor(string field) => _fieldErrors.TryGetValue(field, out var messages) ? string.Join(" ", messages) : null;

    private Task AssignAsync() => RunAsync(async () =>
    {
        var decision = await Assignments.AssignAsync(Detail.Decision.Id, Actor, _assigneeId, _reason);
        return $"Assigned to {decision.AssignedToName}.";
    });

    private Task ReleaseAsync() => RunAsync(async () =>
    {
        await Assignments.ReleaseAsync(Detail.Decision.Id, Actor, _reason);
        return "Taken back: the decision is in its queue for anyone to claim.";
    });

    private async Task RunAsync(Func<Task<string>> action)
    {
        _busy = true;
        _error = null;
        _fieldErrors = new Dictionary<string, string[]>();
        try
        {
            Snackbar.Add(await action(), Severity.Success);
            _reason = null;
            _assigneeId = null;
            await Changed.InvokeAsync();
        }
        catch (DomainException ex)
        {
            _fieldErrors = ex.FieldErrors;
            _error = ex.FieldErrors.Count > 0 ? "Please correct the marked fields." : ex.Message;
        }
        catch (Exception ex) when (DatabaseFailures.IsUnavailable(ex))
        {
            _error = DatabaseFailures.UnavailableMessage;
        }
        finally
        {
            _busy = false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_heartbeat is not null)
        {
            await _heartbeat.CancelAsync();
            _heartbeat.Dispose();
            _heartbeat = null;
        }

        if (_interactive && HoldsClaim)
        {
            try
            {
                await Leases.ReleaseOnCloseAsync(Detail.Decision.Id, Actor);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The sweep releases it when its lease lapses.
                Logger.LogWarning(ex, "Could not release decision {DecisionId} on closing its page", Detail.Decision.Id);
            }
        }
    }
}
