using AgentConsole.Domain.Notifications;
using Microsoft.Extensions.Options;

namespace AgentConsole.Web.Notifications.Components;

/// <summary>Admins list, add, change and remove the tenant's webhooks; errors show beside their fields; a secret is never shown back.</summary>
public sealed partial class WebhookEditor
{
    private readonly PendingAction _action = new();
    private readonly HashSet<NotificationKind> _kinds = [];
    private IReadOnlyList<WebhookView>? _hooks;
    private WebhookView? _editing;
    private Actor? _actor;
    private string? _name;
    private string? _url;
    private string? _secret;
    private bool _active = true;
    private bool _generated;
    private WebhookInput? _refused;

    [Inject]
    private WebhookAdministration Webhooks { get; set; } = default!;

    [Inject]
    private ConsoleUser User { get; set; } = default!;

    [Inject]
    private IOptions<NotificationOptions> Options { get; set; } = default!;

    [Inject]
    private ISnackbar Snackbar { get; set; } = default!;

    private string UrlHelp => Options.Value.AllowHttpWebhooks
        ? "https:// (plain http is allowed here because this is a Development installation)"
        : "Must start with https://";

    private bool HasFieldErrors => _action.Refusal?.FieldErrors.Count > 0;

    protected override async Task OnInitializedAsync()
    {
        _actor = await User.GetAsync();
        _hooks = await Webhooks.ListAsync(_actor);
    }

    // A field's error shows until its value changes: what was refused is what is still marked.
    private bool HasError(string field) => ErrorFor(field) is not null;

    private string? ErrorFor(string field) =>
        _action.Refusal?.FieldErrors.TryGetValue(field, out var messages) == true && _refused is { } refused && Unchanged(field, refused) ? string.Join(" ", messages) : null;

    private bool Unchanged(string field, WebhookInput refused) => field switch
    {
        "name" => refused.Name == _name,
        "url" => refused.Url == _url,
        "secret" => refused.Secret == _secret,
        "kinds" => refused.Kinds?.Count == _kinds.Count && _kinds.All(k => refused.Kinds.Contains(k.ToString())),
        _ => true,
    };

    private void Toggle(NotificationKind kind, bool on)
    {
        if (on)
        {
            _kinds.Add(kind);
        }
        else
        {
            _kinds.Remove(kind);
        }
    }

    private void Generate()
    {
        _secret = WebhookAdministration.NewSecret();
        _generated = true;
    }

    private void Edit(WebhookView hook)
    {
        _editing = hook;
        _name = hook.Name;
        _url = hook.Url;
        _secret = null;
        _generated = false;
        _active = hook.IsActive;
        _kinds.Clear();
        _kinds.UnionWith(hook.Kinds);
        _action.Error = null;
    }

    private void Clear()
    {
        _editing = null;
        _name = _url = _secret = null;
        _generated = false;
        _active = true;
        _kinds.Clear();
        _action.Error = null;
    }

    private async Task SaveAsync()
    {
        var input = new WebhookInput(_name, _url, _secret, [.. _kinds.Select(k => k.ToString())], _active);
        var editing = _editing;
        _refused = input;
        if (await _action.RunAsync(async () =>
            {
                _ = editing is null ? await Webhooks.CreateAsync(_actor!, input) : await Webhooks.ChangeAsync(_actor!, editing.Id, input);
            }))
        {
            Snackbar.Add(editing is null ? $"Added {input.Name}." : $"Saved {input.Name}.", Severity.Success);
            Clear();
            _hooks = await Webhooks.ListAsync(_actor!);
        }
    }

    private async Task RemoveAsync(WebhookView hook)
    {
        if (await _action.RunAsync(() => Webhooks.RemoveAsync(_actor!, hook.Id)))
        {
            Snackbar.Add($"Removed {hook.Name}: it receives nothing more; its deliveries stay in the log.", Severity.Success);
            if (_editing?.Id == hook.Id)
            {
                Clear();
            }

            _hooks = await Webhooks.ListAsync(_actor!);
        }
    }
}
