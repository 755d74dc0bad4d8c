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

    protected override void OnInitialized() => Live.Changed += OnLiveChanged;

    public void Dispose() => Live.Changed -= OnLiveChanged;

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
