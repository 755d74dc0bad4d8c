namespace AgentConsole.Web.Tenancy.Components;

/// <summary>What an admin does to an account.</summary>
public enum UserAction
{
    Grant,
    Remove,
    Disable,
    Enable,
}

/// <summary>
/// The accounts of the admin's tenant with their roles (provider or granted), last sign-in and status; an admin disables
/// or enables an account and grants or removes console roles, each with a reason, through <see cref="UserAdministration"/>.
/// </summary>
public sealed partial class UserAccounts
{
    private IReadOnlyList<UserListItem>? _users;
    private Actor? _actor;
    private Change? _change;
    private string? _reason;
    private readonly PendingAction _action = new();

    [Inject]
    private UserAdministration Administration { get; set; } = default!;

    [Inject]
    private ConsoleUser User { get; set; } = default!;

    [Inject]
    private ISnackbar Snackbar { get; set; } = default!;

    [Inject]
    private TimeProvider Clock { get; set; } = default!;

    protected override async Task OnInitializedAsync()
    {
        _actor = await User.GetAsync();
        await LoadAsync();
    }

    private async Task LoadAsync() => _users = await Administration.ListAsync(_actor!);

    private void Open(UserListItem user, UserAction action, string? role = null)
    {
        _change = new Change(user, action, role);
        _reason = null;
        _action.Error = null;
    }

    private void Choose(string role) => _change = _change! with { Role = role };

    private void Cancel() => _change = null;

    private async Task SaveAsync()
    {
        var change = _change!;
        var reason = _reason ?? "";
        await _action.RunAsync(async () =>
        {
            _ = change.Action switch
            {
                UserAction.Grant => await Administration.GrantRoleAsync(change.User.Id, change.Role!, _actor!, reason),
                UserAction.Remove => await Administration.RemoveRoleAsync(change.User.Id, change.Role!, _actor!, reason),
                UserAction.Disable => await Administration.DisableAsync(change.User.Id, _actor!, reason),
                _ => await Administration.EnableAsync(change.User.Id, _actor!, reason),
            };
            Snackbar.Add(change.Done, Severity.Success);
            _change = null;
            await LoadAsync();
        });
    }

    /// <summary>A change being written: whose, which, and how it reads.</summary>
    private sealed record Change(UserListItem User, UserAction Action, string? Role)
    {
        public string Title => Action switch
        {
            UserAction.Grant => $"Grant a console role to {User.DisplayName}",
            UserAction.Remove => $"Remove the role {Roles.Label(Role!)} from {User.DisplayName}",
            UserAction.Disable => $"Disable {User.DisplayName}: they cannot sign in, and their open consoles end",
            _ => $"Enable {User.DisplayName} again",
        };

        public string Verb => Action switch
        {
            UserAction.Grant => Role is null ? "Grant" : $"Grant {Roles.Label(Role)}",
            UserAction.Remove => "Remove role",
            UserAction.Disable => "Disable",
            _ => "Enable",
        };

        public string Done => Action switch
        {
            UserAction.Grant => $"{User.DisplayName} now has the role {Roles.Label(Role!)}.",
            UserAction.Remove => $"{User.DisplayName} no longer has the role {Roles.Label(Role!)}.",
            UserAction.Disable => $"{User.DisplayName} is disabled.",
            _ => $"{User.DisplayName} is enabled.",
        };
    }
}
