using System.Globalization;
using System.Text.Json;

namespace AgentConsole.Web.Audit.Components;

/// <summary>
/// A page of audit entries, newest first: each entry links to what it is about — a decision (or a run's decision) to
/// its lineage, a policy version to its page, a user to what they did — and its trace; its before/after snapshots open in place.
/// </summary>
public sealed partial class AuditResults
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private readonly HashSet<long> _open = [];

    /// <summary>The page of entries shown.</summary>
    [Parameter, EditorRequired]
    public AuditSearchResult Page { get; set; } = default!;

    /// <summary>Who reads: which links lead somewhere for them.</summary>
    [Parameter, EditorRequired]
    public Actor Viewer { get; set; } = default!;

    /// <summary>Whether the search narrows the trail (for the message when nothing matches).</summary>
    [Parameter]
    public bool Filtered { get; set; }

    /// <summary>The download address of the search in a format (<c>csv</c> or <c>jsonl</c>).</summary>
    [Parameter, EditorRequired]
    public Func<string, string> ExportHref { get; set; } = default!;

    /// <summary>The address of another page of the search.</summary>
    [Parameter, EditorRequired]
    public Func<int, string> PageHref { get; set; } = default!;

    private string Summary => Page.Total switch
    {
        0 => "No entries",
        1 => "1 entry",
        var n => $"{n.ToString("#,0", CultureInfo.InvariantCulture)} entries, newest first",
    };

    private void Toggle(long id)
    {
        if (!_open.Remove(id))
        {
            _open.Add(id);
        }
    }

    private static string ActorHref(AuditRecord e) => $"/audit?actor={Uri.EscapeDataString(e.ActorId)}";

    private static string Short(string id) => id.Length > 8 && Guid.TryParse(id, out _) ? id[..8] : id;

    private static string EntityText(AuditRecord e) => $"{AuditEntityTypes.Label(e.EntityType)} {Short(e.EntityId)}";

    private static string EntityTestId(AuditRecord e) => e.EntityType == AuditEntityTypes.Decision || e.EntityType == AuditEntityTypes.Run ? "lineage-link" : "entity-link";

    /// <summary>Where the entity of an entry is shown, for this viewer; null when it has no page.</summary>
    private string? EntityHref(AuditRecord e) => e.EntityType switch
    {
        AuditEntityTypes.Decision or AuditEntityTypes.Run when Page.DecisionOf(e) is { } decision => $"/decisions/{decision}/lineage",
        AuditEntityTypes.PolicyVersion when Viewer.Can(Permissions.ViewPolicies) => $"/policies/versions/{e.EntityId}",
        AuditEntityTypes.PolicyScope when Viewer.Can(Permissions.ViewPolicies) => $"/policies/{e.EntityId}",
        AuditEntityTypes.User when Viewer.Can(Permissions.Administer) => "/admin/users",
        AuditEntityTypes.User => $"/audit?actor={Uri.EscapeDataString(e.EntityId)}",
        _ => null,
    };

    private static string Pretty(string? json)
    {
        if (json is null)
        {
            return "—";
        }

        try
        {
            using var document = JsonDocument.Parse(json);
            return JsonSerializer.Serialize(document.RootElement, Indented);
        }
        catch (JsonException)
        {
            return json;
        }
    }
}
