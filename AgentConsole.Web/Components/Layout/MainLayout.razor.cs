using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server.ProtectedBrowserStorage;

namespace AgentConsole.Web.Components.Layout;

public sealed partial class MainLayout : IDisposable
{
    private const string DarkModeKey = "agentconsole.dark-mode";
    private bool _drawerOpen = true;
    private bool _darkMode;
    private bool _interactive;

    [Inject]
    private ProtectedLocalStorage Storage { get; set; } = default!;

    [Inject]
    private LiveUpdates Live { get; set; } = default!;

    [Inject]
    private DatabaseWatch Database { get; set; } = default!;

    private bool LiveUpdatesPaused => Live.Paused || !Database.Available;

    private bool _signedIn;
    private string? _tenantName;
    private string? _userName;
    private string? _roles;

    [CascadingParameter]
    private Task<AuthenticationState>? Authentication { get; set; }

    protected override void OnInitialized()
    {
        Live.Changed += OnLiveChanged;
        Database.Changed += OnLiveChanged;
    }

    protected override async Task OnParametersSetAsync()
    {
        var user = Authentication is null ? null : (await Authentication).User;
        _signedIn = user?.Identity?.IsAuthenticated == true;
        _tenantName = user?.FindFirst(ConsoleClaims.TenantName)?.Value;
        _userName = user?.Identity?.Name;
        _roles = user is null ? null : string.Join(", ", user.FindAll(System.Security.Claims.ClaimTypes.Role).Select(r => Roles.Label(r.Value)));
    }

    public void Dispose()
    {
        Live.Changed -= OnLiveChanged;
        Database.Changed -= OnLiveChanged;
    }

    private void OnLiveChanged() => _ = InvokeAsync(StateHasChanged);

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (!firstRender)
        {
            return;
        }

        // Marks the page as live: clicks before this point would be lost on a prerendered page.
        _interactive = true;
        try
        {
            var stored = await Storage.GetAsync<bool>(DarkModeKey);
            _darkMode = stored.Success && stored.Value;
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            // A value written under another data-protection key ring: start in light mode.
        }

        StateHasChanged();
    }

    private async Task ToggleDarkModeAsync()
    {
        _darkMode = !_darkMode;
        await Storage.SetAsync(DarkModeKey, _darkMode);
    }
}
