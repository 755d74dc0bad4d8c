using AgentConsole.Domain.Policies;

namespace AgentConsole.Web.Decisions.Components;

/// <summary>
/// "Reveal" beside a field the policy hides from the viewer but lets them reveal: asks why, reveals it through
/// <see cref="MaskedFieldReveal"/> (which audits the reveal) and hands the reveal to the page. Shown only to people
/// the policy lets reveal the field.
/// </summary>
public sealed partial class RevealField
{
    private bool _open;
    private readonly PendingAction _action = new();
    private string? _reason;

    /// <summary>The decision whose field is hidden.</summary>
    [Parameter, EditorRequired]
    public Guid DecisionId { get; set; }

    /// <summary>The hidden field.</summary>
    [Parameter, EditorRequired]
    public MaskedField Field { get; set; } = default!;

    /// <summary>Who reveals it.</summary>
    [Parameter, EditorRequired]
    public Actor Actor { get; set; } = default!;

    /// <summary>Raised once the reveal is audited.</summary>
    [Parameter]
    public EventCallback<FieldReveal> Revealed { get; set; }

    [Inject]
    private MaskedFieldReveal Reveal { get; set; } = default!;

    private void Open()
    {
        _open = true;
        _action.Error = null;
    }

    private void Close()
    {
        _open = false;
        _reason = null;
        _action.Error = null;
    }

    private async Task RevealAsync()
    {
        FieldReveal? revealed = null;
        if (await _action.RunAsync(async () => revealed = (await Reveal.RevealAsync(DecisionId, Actor, Field.Name, _reason)).Reveal))
        {
            Close();
            await Revealed.InvokeAsync(revealed!);
        }
        else if (_action.Refusal?.FieldErrors.TryGetValue("reason", out var messages) == true)
        {
            _action.Error = string.Join(" ", messages);
        }
    }
}
