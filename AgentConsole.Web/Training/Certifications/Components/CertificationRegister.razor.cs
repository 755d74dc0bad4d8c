namespace AgentConsole.Web.Training.Certifications.Components;

/// <summary>
/// Who holds which certification in the viewer's tenant, filtered by person or certification and by status, with what
/// expires in the next 30 days; trainers revoke one here with a reason, through <see cref="CertificationRevocation"/>.
/// </summary>
public sealed partial class CertificationRegister
{
    private IReadOnlyList<CertificationView>? _all;
    private IReadOnlyList<CertificationView> _expiring = [];
    private Actor? _actor;
    private bool _mayRevoke;
    private string? _search;
    private CertificationStatus? _status;
    private CertificationView? _revoking;
    private string? _reason;
    private readonly PendingAction _action = new();

    [Inject]
    private CertificationQueries Queries { get; set; } = default!;

    [Inject]
    private CertificationRevocation Revocation { get; set; } = default!;

    [Inject]
    private ConsoleUser User { get; set; } = default!;

    [Inject]
    private ISnackbar Snackbar { get; set; } = default!;

    [Inject]
    private TimeProvider Clock { get; set; } = default!;

    private DateTimeOffset Now => Clock.GetUtcNow();

    private bool Filtered => !string.IsNullOrWhiteSpace(_search) || _status is not null;

    protected override async Task OnInitializedAsync()
    {
        _actor = await User.GetAsync();
        _mayRevoke = _actor.Can(Permissions.ManageTraining);
        await LoadAsync();
    }

    private async Task LoadAsync()
    {
        _all = await Queries.ListAsync(_actor!, _search, _status);
        _expiring = await Queries.ExpiringAsync(_actor!);
    }

    private async Task OnSearchAsync(ChangeEventArgs e)
    {
        _search = e.Value?.ToString();
        await LoadAsync();
    }

    private async Task OnStatusAsync(ChangeEventArgs e)
    {
        _status = Enum.TryParse<CertificationStatus>(e.Value?.ToString(), out var status) ? status : null;
        await LoadAsync();
    }

    private void Open(CertificationView certification)
    {
        _revoking = certification;
        _reason = null;
        _action.Error = null;
    }

    private async Task RevokeAsync()
    {
        var target = _revoking!;
        await _action.RunAsync(async () =>
        {
            await Revocation.RevokeAsync(target.Id, _actor!, _reason ?? "");
            Snackbar.Add($"{target.HolderName}'s {target.DisplayName} certification is revoked.", Severity.Success);
            _revoking = null;
            await LoadAsync();
        });
    }

    private string DaysLeft(CertificationView c) => (c.ExpiresAt - Now).TotalDays switch
    {
        < 1 => "in less than a day",
        < 2 => "in 1 day",
        var days => $"in {(int)days} days",
    };

    private string StatusText(CertificationView c) =>
        c.ExpiresWithin(CertificationQueries.ExpiringWindow, Now) ? "Valid · expires soon" : c.Status.ToString();

    private string StatusTone(CertificationView c) => c.Status switch
    {
        CertificationStatus.Valid when c.ExpiresWithin(CertificationQueries.ExpiringWindow, Now) => "ac-tone-warning",
        CertificationStatus.Valid => "ac-tone-success",
        CertificationStatus.Expired => "ac-tone-default",
        _ => "ac-chip-filled ac-tone-error",
    };
}
