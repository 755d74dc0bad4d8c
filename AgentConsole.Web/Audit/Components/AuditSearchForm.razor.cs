namespace AgentConsole.Web.Audit.Components;

/// <summary>The audit search's fields, each with the message that says what is wrong with it.</summary>
public sealed partial class AuditSearchForm
{
    private AuditSearchInput _draft = new();

    /// <summary>The search shown (the one in the address).</summary>
    [Parameter, EditorRequired]
    public AuditSearchInput Input { get; set; } = default!;

    /// <summary>Messages per field (API names: actor, action, entityType, entityId, from, to, text).</summary>
    [Parameter, EditorRequired]
    public IReadOnlyDictionary<string, string[]> Errors { get; set; } = default!;

    /// <summary>Asked when the person searches: with the fields as they typed them.</summary>
    [Parameter, EditorRequired]
    public EventCallback<AuditSearchInput> Search { get; set; }

    /// <summary>The known entity types, and a type typed into the address that is not one of them.</summary>
    private IEnumerable<string> EntityTypes =>
        Input.EntityType is { Length: > 0 } typed && !AuditEntityTypes.Known.Contains(typed) ? [.. AuditEntityTypes.Known, typed] : AuditEntityTypes.Known;

    protected override void OnParametersSet() => _draft = new AuditSearchInput
    {
        Actor = Input.Actor, Action = Input.Action, EntityType = Input.EntityType, EntityId = Input.EntityId, From = Input.From, To = Input.To, Text = Input.Text,
    };

    private bool Has(string field) => Errors.ContainsKey(field);

    private string? ErrorOf(string field) => Errors.TryGetValue(field, out var messages) ? messages[0] : null;

    private Task SubmitAsync() => Search.InvokeAsync(_draft);
}
