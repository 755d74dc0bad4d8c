namespace AgentConsole.Web.Audit.Components;

/// <summary>
/// The verification page's content: run a verification or write a checkpoint now, the latest result with its findings,
/// how the chain is checkpointed, and the history of runs — for the signed-in auditor's or admin's tenant.
/// </summary>
public sealed partial class AuditVerificationPanel
{
    private Actor? _actor;
    private AuditVerification? _latest;
    private IReadOnlyList<AuditVerificationSummary> _history = [];
    private AuditCheckpointSetup? _setup;
    private readonly PendingAction _action = new();
    private bool _verifying;

    [Inject]
    private ConsoleUser User { get; set; } = default!;

    [Inject]
    private AuditVerificationQueries Queries { get; set; } = default!;

    [Inject]
    private AuditVerifier Verifier { get; set; } = default!;

    [Inject]
    private AuditCheckpoints Checkpoints { get; set; } = default!;

    [Inject]
    private ISnackbar Snackbar { get; set; } = default!;

    [Inject]
    private TimeProvider Clock { get; set; } = default!;

    protected override async Task OnInitializedAsync()
    {
        _actor = await User.GetAsync();
        await LoadAsync();
    }

    private async Task LoadAsync()
    {
        _latest = await Queries.LatestAsync(_actor!);
        _history = await Queries.HistoryAsync(_actor!, 20);
        _setup = await Queries.CheckpointSetupAsync(_actor!);
    }

    private async Task VerifyAsync()
    {
        _verifying = true;
        await RunAsync(async () =>
        {
            var run = await Verifier.VerifyAsync(_actor!);
            Snackbar.Add(run.Outcome switch
            {
                AuditVerificationOutcome.Intact => $"The audit trail is intact: {run.EntriesChecked:#,0} entries checked.",
                AuditVerificationOutcome.Tampered => $"Tampering found: {run.FindingCount:#,0} {(run.FindingCount == 1 ? "finding" : "findings")}.",
                _ => "Verification stopped: the reason is shown below.",
            }, run.Outcome switch
            {
                AuditVerificationOutcome.Intact => Severity.Success,
                AuditVerificationOutcome.Tampered => Severity.Error,
                _ => Severity.Warning,
            });
        });
        _verifying = false;
    }

    private Task CheckpointAsync() => RunAsync(async () =>
    {
        var written = await Checkpoints.WriteNowAsync(_actor!);
        Snackbar.Add(written.Written
            ? $"Checkpoint of {written.Size:#,0} entries written to {written.Location}."
            : $"A checkpoint of {written.Size:#,0} entries already exists: nothing was added since.", Severity.Success);
    });

    private async Task RunAsync(Func<Task> action)
    {
        if (await _action.RunAsync(action))
        {
            await LoadAsync();
        }
    }
}
