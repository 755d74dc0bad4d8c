using AgentConsole.Domain.Persistence;
using Microsoft.JSInterop;

namespace AgentConsole.Web.Decisions.Components;

/// <summary>
/// Claim, release, approve, override, reject and escalate one decision. Every action needs a
/// reason; problems are shown beside the field they concern and nothing changes.
/// </summary>
public sealed partial class DecisionActions : IAsyncDisposable
{
    private DotNetObjectReference<DecisionActions>? _self;
    private IJSObjectReference? _hotkeys;
    private IJSObjectReference? _registration;
    private bool _focusForm;
    private readonly Dictionary<string, string?> _values = new(StringComparer.Ordinal);
    private IReadOnlyDictionary<string, string[]> _fieldErrors = new Dictionary<string, string[]>();
    private ActionMode _mode;
    private string? _reason;
    private string? _error;
    private bool _busy;
    private Guid _shownDecision;
    private string? _certificationMissing;
    private string? _pausedReason;
    private bool _certificationRead;
    private int _shownVersion;

    /// <summary>The decision to act on, as last read.</summary>
    [Parameter, EditorRequired]
    public DecisionDetail Detail { get; set; } = default!;

    /// <summary>Who acts.</summary>
    [Parameter, EditorRequired]
    public Actor Actor { get; set; } = default!;

    /// <summary>Raised after an action succeeded, so the page can read the decision again.</summary>
    [Parameter]
    public EventCallback Changed { get; set; }

    /// <summary>Raised after a verdict or escalation sent by keyboard (Ctrl+Enter) succeeded: the page opens the next item.</summary>
    [Parameter]
    public EventCallback ActedByKeyboard { get; set; }

    /// <summary>The next item of the queue, offered once this one is decided; none offers none.</summary>
    [Parameter]
    public string? NextHref { get; set; }

    /// <summary>What the actions act on: a sandbox session's item; none acts on the real decision.</summary>
    [Parameter]
    public IReviewTarget? Target { get; set; }

    [Inject]
    private DecisionService DecisionService { get; set; } = default!;

    private IReviewTarget Decisions => Target ?? new DecisionServiceTarget(DecisionService);

    [Inject]
    private CertificationQueries Certifications { get; set; } = default!;

    [Inject]
    private Domain.Training.Calibration.CalibrationQueries Calibration { get; set; } = default!;

    [Inject]
    private ISnackbar Snackbar { get; set; } = default!;

    [Inject]
    private IJSRuntime JS { get; set; } = default!;

    [Inject]
    private TimeProvider Clock { get; set; } = default!;

    internal enum ActionMode
    {
        None,
        Approve,
        Override,
        Reject,
        Escalate,
    }

    private ReviewQueue? Queue => Detail.Queue;

    private ProposalSchema Schema => ProposalSchema.For(Detail.Decision.UseCase);

    private bool ClaimedByMe => Detail.Decision.ClaimedById == Actor.Id;

    private bool CanAct => Target?.IsSandbox == true || (Actor.Can(Permissions.ActOnDecisions) && Queue?.MayAct(Actor) == true);

    private string ReadOnlyReason => !Actor.Can(Permissions.ActOnDecisions)
        ? "Your role may look at decisions but not act on them."
        : $"Only {string.Join(" or ", Queue?.AllowedRoles.Select(Roles.Label) ?? [])} may act on decisions in {Queue?.Name}.";

    private string SubmitLabel => _mode switch
    {
        ActionMode.Approve => "Approve",
        ActionMode.Override => "Override",
        ActionMode.Reject => "Reject",
        _ => "Escalate to the next tier",
    };

    private Color SubmitColor => _mode switch
    {
        ActionMode.Approve => Color.Success,
        ActionMode.Override => Color.Info,
        ActionMode.Reject => Color.Error,
        _ => Color.Secondary,
    };

    private string ReasonHelp => _mode switch
    {
        ActionMode.Override => "Why the proposal needed changes (required)",
        ActionMode.Escalate => "What the senior reviewer should look at (required)",
        _ => "Required; recorded in the audit trail",
    };

    protected override async Task OnParametersSetAsync()
    {
        // Read with every new state of the decision: a certification that expired or was revoked meanwhile shows at once.
        _certificationMissing = Detail.Decision.ReviewCertification is { } key && Detail.Decision.Status.IsOpen() && CanAct
            ? (await Certifications.StandingAsync(Actor, [key]))[key]
            : null;
        // A calibration pause begun or cleared meanwhile shows at once too.
        _pausedReason = Detail.Decision.Status.IsOpen() && CanAct && Target?.IsSandbox != true
            ? await Calibration.PausedFromAsync(Actor, Detail.Decision.UseCase, Detail.Decision.Risk)
            : null;
        _certificationRead = true;
    }

    /// <summary>
    /// Whether the viewer already gave their four-eyes verdict in this round, or may not decide it since reviewers
    /// disagreed in the top tier: approve and reject are not offered (escalation still is, where there is a next tier).
    /// </summary>
    private bool VerdictGiven => Target?.IsSandbox != true
        && (Detail.Decision.GaveVerdict(Actor.Id) || (Detail.Decision.NeedsSeniorDecision && !Detail.Decision.MayDecide(Actor)));

    /// <summary>Whether approve and reject (and override, where one reviewer may) are offered to the viewer.</summary>
    private bool MayGiveVerdict => Certified && !VerdictGiven;

    /// <summary>Whether the viewer may claim and decide as far as certification goes; until it is read, the actions it gates stay hidden.</summary>
    private bool Certified => (Detail.Decision.ReviewCertification is null || (_certificationRead && _certificationMissing is null)) && _pausedReason is null;

    protected override void OnParametersSet()
    {
        var d = Detail.Decision;
        if (_shownDecision != d.Id)
        {
            _shownDecision = d.Id;
            Choose(ActionMode.None);
        }
        else if (_mode != ActionMode.None && !_busy && d.Version != _shownVersion
            && (!d.Status.IsOpen() || (d.Status == DecisionStatus.InReview && !ClaimedByMe)))
        {
            // Someone else acted while this person was preparing an action: say that theirs was not saved.
            var verb = _mode.ToString().ToLowerInvariant();
            Choose(ActionMode.None);
            _error = $"Your {Decision.ActionNoun(verb)} was not saved: {d.StandingForLoser(justChanged: true)}.";
        }

        _shownVersion = d.Version;
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (firstRender)
        {
            _self = DotNetObjectReference.Create(this);
            _hotkeys = await JS.InvokeAsync<IJSObjectReference>("import", "./js/hotkeys.js");
            if (_hotkeys is not null)
            {
                _registration = await _hotkeys.InvokeAsync<IJSObjectReference>("register", _self);
            }
        }

        if (_focusForm && _hotkeys is not null)
        {
            _focusForm = false;

            // An override starts at the values to change; the other actions at their reason.
            var first = _mode == ActionMode.Override ? $"override-{Schema.Fields[0].Name}" : "reason";
            await _hotkeys.InvokeVoidAsync("focusIfIdle",
                $"textarea[data-testid={first}], input[data-testid={first}], [data-testid={first}] textarea, [data-testid={first}] input:not([type=hidden])");
        }
    }

    /// <summary>Keyboard shortcuts: c, a, o, r, e choose an action; "submit" sends the open form.</summary>
    [JSInvokable]
    public async Task OnHotkey(string key)
    {
        var d = Detail.Decision;
        if (!d.Status.IsOpen() || !CanAct || _busy)
        {
            return;
        }

        var mayResolve = d.Status != DecisionStatus.InReview || ClaimedByMe;
        var certified = MayGiveVerdict;
        switch (key)
        {
            case "c" when d.Status != DecisionStatus.InReview && Certified && (!VerdictGiven || Queue?.EscalatesToQueueId is not null):
                await ClaimAsync();
                break;
            case "a" when mayResolve && certified:
                Choose(ActionMode.Approve);
                break;
            case "o" when mayResolve && certified && d.ReviewersRequired == 1:
                Choose(ActionMode.Override);
                break;
            case "r" when mayResolve && certified:
                Choose(ActionMode.Reject);
                break;
            case "e" when mayResolve && Queue?.EscalatesToQueueId is not null:
                Choose(ActionMode.Escalate);
                break;
            case "submit" when _mode != ActionMode.None:
                await SubmitAsync(byKeyboard: true);
                break;
            default:
                return;
        }

        StateHasChanged();
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_registration is not null)
            {
                await _registration.InvokeVoidAsync("dispose");
                await _registration.DisposeAsync();
            }

            if (_hotkeys is not null)
            {
                await _hotkeys.DisposeAsync();
            }
        }
        catch (JSDisconnectedException)
        {
            // The browser is gone; its listener went with it.
        }

        _self?.Dispose();
    }

    private Variant Pick(ActionMode mode) => _mode == mode ? Variant.Filled : Variant.Outlined;

    private void Choose(ActionMode mode)
    {
        _mode = mode;
        _focusForm = mode != ActionMode.None;
        _error = null;
        _fieldErrors = new Dictionary<string, string[]>();
        _values.Clear();
        if (mode == ActionMode.Override)
        {
            foreach (var (key, value) in ProposalSchema.ToStrings(Detail.View.Proposal))
            {
                _values[key] = value;
            }
        }
    }

    private string? Value(string field) => _values.GetValueOrDefault(field);

    /// <summary>The fields whose value in the override form differs from the proposal's: label, proposed, yours.</summary>
    private List<(string Label, string From, string To)> OverrideChanges()
    {
        var proposed = ProposalSchema.ToStrings(Detail.View.Proposal);
        var changes = new List<(string, string, string)>();
        foreach (var field in Schema.Fields)
        {
            var from = proposed.GetValueOrDefault(field.Name)?.Trim() ?? "";
            var to = _values.GetValueOrDefault(field.Name)?.Trim() ?? "";
            if (!string.Equals(from, to, StringComparison.Ordinal))
            {
                var unit = field.Unit is null ? "" : $" {field.Unit}";
                changes.Add((field.Label, from.Length == 0 ? "—" : from + unit, to.Length == 0 ? "—" : to + unit));
            }
        }

        return changes;
    }

    private bool HasError(string field) => _fieldErrors.ContainsKey(field);

    private string? ErrorFor(string field) => _fieldErrors.TryGetValue(field, out var messages) ? string.Join(" ", messages) : null;

    private Task<bool> ClaimAsync() => RunAsync(() => Decisions.ClaimAsync(Detail.Decision.Id, Actor), "Claimed: you are working on this decision.");

    private Task<bool> ReleaseAsync() => RunAsync(() => Decisions.ReleaseAsync(Detail.Decision.Id, Actor), "Released back to the queue.");


    private Task SubmitAsync() => SubmitAsync(byKeyboard: false);

    /// <param name="byKeyboard">Sent with Ctrl+Enter: working by keyboard, the next item opens by itself afterwards.</param>
    private async Task SubmitAsync(bool byKeyboard)
    {
        if (await SubmitModeAsync() && byKeyboard)
        {
            await ActedByKeyboard.InvokeAsync();
        }
    }

    private Task<bool> SubmitModeAsync()
    {
        var id = Detail.Decision.Id;
        var version = Detail.Decision.Version;
        var reason = _reason ?? "";
        return _mode switch
        {
            ActionMode.Approve => RunAsync(() => Decisions.ApproveAsync(id, Actor, reason, version), VerdictText(approve: true)),
            ActionMode.Override => RunAsync(() => Decisions.OverrideAsync(id, Actor, new Dictionary<string, string?>(_values), reason, version), "Overridden: your values will be carried out."),
            ActionMode.Reject => RunAsync(() => Decisions.RejectAsync(id, Actor, reason, version), VerdictText(approve: false)),
            _ => RunAsync(() => Decisions.EscalateAsync(id, Actor, reason, version), "Escalated to the next tier."),
        };
    }

    /// <summary>What a verdict does, told before it is sent (a stale read fails on its version instead).</summary>
    private string VerdictText(bool approve)
    {
        var d = Detail.Decision;
        var done = approve ? "Approved." : "Rejected.";
        if (d.ReviewersRequired < 2 || d.NeedsSeniorDecision || Target?.IsSandbox == true)
        {
            return done;
        }

        var noun = approve ? "approval" : "rejection";
        if (d.VerdictsGiven + 1 < d.ReviewersRequired)
        {
            return $"Your {noun} is recorded; another reviewer must give their verdict too.";
        }

        var agree = approve ? d.Rejecters.Count == 0 : d.Approvers.Count == 0;
        return agree ? done
            : Queue?.EscalatesToQueueId is null
                ? $"Your {noun} is recorded. The reviewers disagreed: it stays in this queue for a senior operator's decision."
                : $"Your {noun} is recorded. The reviewers disagreed: it goes to the next tier with both verdicts attached.";
    }

    /// <summary>The current round as a reviewer who gave their verdict sees it, e.g. "Olivia Operator approved; you rejected."</summary>
    private string RoundText()
    {
        var given = Detail.RoundVerdicts.Select(r => $"{(r.ActorId == Actor.Id ? "you" : r.ActorName)} {(r.Action == ReviewAction.Approved ? "approved" : "rejected")}").ToList();
        var text = given.Count == 0 ? "" : " So far: " + string.Join(", ", given) + ".";
        return Detail.Decision.GaveVerdict(Actor.Id) ? text + " Another reviewer must give their verdict too." : text;
    }

    /// <summary>Runs the action; true when it succeeded.</summary>
    private async Task<bool> RunAsync(Func<Task> action, string success)
    {
        _busy = true;
        _error = null;
        _fieldErrors = new Dictionary<string, string[]>();
        try
        {
            await action();
            Snackbar.Add(success, Severity.Success);
            _mode = ActionMode.None;
            _reason = null;
            await Changed.InvokeAsync();
            return true;
        }
        catch (DomainException ex)
        {
            _fieldErrors = ex.FieldErrors;
            _error = ex.FieldErrors.Count > 0 ? "Please correct the marked fields." : ex.Message;
            if (ex.Kind == DomainErrorKind.Conflict)
            {
                await Changed.InvokeAsync();
            }
        }
        catch (Exception ex) when (DatabaseFailures.IsUnavailable(ex))
        {
            _error = DatabaseFailures.UnavailableMessage;
        }
        finally
        {
            _busy = false;
        }

        return false;
    }
}
