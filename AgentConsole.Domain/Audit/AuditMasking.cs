using System.Text.Json;
using System.Text.Json.Nodes;
using AgentConsole.Domain.Agents;
using AgentConsole.Domain.Persistence;
using AgentConsole.Domain.Policies;
using Microsoft.EntityFrameworkCore;

namespace AgentConsole.Domain.Audit;

/// <summary>
/// Keeps the masking promise in the audit trail: where an entry about a decision or its run states a case value the
/// routing policy hides from the reader — in a reason someone wrote, or a text in its before/after snapshot — the
/// value is redacted as on the decision page. When no policy version hides anything from the reader's roles (the
/// usual case for auditors), entries pass unchanged and nothing is looked up.
/// </summary>
internal sealed class AuditMasking
{
    /// <summary>How many entries are looked up together.</summary>
    public const int BatchSize = 500;

    private readonly AgentConsoleDbContext _db;
    private readonly CaseMasks.Reader _masks;
    private readonly IReadOnlyCollection<string> _roles;

    private AuditMasking(AgentConsoleDbContext db, CaseMasks.Reader masks, IReadOnlyCollection<string> roles, bool active)
    {
        _db = db;
        _masks = masks;
        _roles = roles;
        IsActive = active;
    }

    /// <summary>Whether some policy hides something from the reader, so entries must be looked at.</summary>
    public bool IsActive { get; }

    /// <param name="db">A context of its own: lookups run while the entries' reader is still open.</param>
    public static async Task<AuditMasking> OpenAsync(AgentConsoleDbContext db, CaseMasks masks, IReadOnlyCollection<string> viewerRoles, CancellationToken cancellationToken)
    {
        var reader = masks.Open(db);
        return new AuditMasking(db, reader, viewerRoles, await reader.MayHideAnythingFromAsync(viewerRoles, cancellationToken));
    }

    /// <summary>The entries as the reader may see them, in the same order.</summary>
    public async Task<IReadOnlyList<AuditRecord>> ApplyAsync(IReadOnlyList<AuditRecord> entries, CancellationToken cancellationToken)
    {
        if (!IsActive || entries.Count == 0)
        {
            return entries;
        }

        var cases = await CasesAsync(entries, cancellationToken);
        if (cases.Count == 0)
        {
            return entries;
        }

        var texts = new Dictionary<Guid, MaskedText>();
        var shown = new List<AuditRecord>(entries.Count);
        foreach (var entry in entries)
        {
            if (!Guid.TryParse(entry.EntityId, out var id) || !cases.TryGetValue((entry.EntityType, id), out var c))
            {
                shown.Add(entry);
                continue;
            }

            if (!texts.TryGetValue(c.Key, out var text))
            {
                var inputs = JsonNode.Parse(c.InputsJson)!.AsObject();
                var mask = await _masks.ForAsync(c.PolicyVersionId, c.AgentId, c.UseCase, inputs, _roles, cancellationToken);
                text = texts[c.Key] = mask.IsEmpty ? MaskedText.Nothing : new MaskedText(mask.Fields.Select(f => inputs[f.Name]), []);
            }

            shown.Add(ReferenceEquals(text, MaskedText.Nothing) ? entry : entry with
            {
                Reason = entry.Reason is null ? null : text.Redact(entry.Reason),
                BeforeJson = RedactJson(entry.BeforeJson, text),
                AfterJson = RedactJson(entry.AfterJson, text),
            });
        }

        return shown;
    }

    /// <summary>The case behind each decision and run the entries name: its inputs and what masks them.</summary>
    private async Task<Dictionary<(string, Guid), Case>> CasesAsync(IReadOnlyList<AuditRecord> entries, CancellationToken cancellationToken)
    {
        List<Guid> Ids(string type) => [.. entries.Where(e => e.EntityType == type).Select(e => Guid.TryParse(e.EntityId, out var id) ? id : Guid.Empty)
            .Where(id => id != Guid.Empty).Distinct()];
        var decisionIds = Ids(AuditEntityTypes.Decision);
        var runIds = Ids(AuditEntityTypes.Run);
        var found = new Dictionary<(string, Guid), Case>();
        if (decisionIds.Count > 0)
        {
            foreach (var d in await _db.Decisions.AsNoTracking().Where(d => decisionIds.Contains(d.Id))
                .Select(d => new { d.Id, d.InputsJson, d.PolicyVersionId, d.AgentId, d.UseCase }).ToListAsync(cancellationToken))
            {
                found[(AuditEntityTypes.Decision, d.Id)] = new Case(d.Id, d.InputsJson, d.PolicyVersionId, d.AgentId, d.UseCase);
            }
        }

        if (runIds.Count > 0)
        {
            var runs = await _db.Runs.AsNoTracking().Where(r => runIds.Contains(r.Id))
                .Select(r => new { r.Id, r.InputJson, r.AgentId, r.UseCase, r.DecisionId }).ToListAsync(cancellationToken);
            var proposed = runs.Where(r => r.DecisionId != null).Select(r => r.DecisionId!.Value).ToList();
            var routedBy = await _db.Decisions.AsNoTracking().Where(d => proposed.Contains(d.Id))
                .ToDictionaryAsync(d => d.Id, d => d.PolicyVersionId, cancellationToken);
            foreach (var r in runs)
            {
                // A run that proposed a decision is masked as its decision; one that did not, by the policy in force.
                var version = r.DecisionId is { } decisionId ? routedBy.GetValueOrDefault(decisionId) : null;
                found[(AuditEntityTypes.Run, r.Id)] = new Case(r.DecisionId ?? r.Id, r.InputJson, version, r.AgentId, r.UseCase);
            }
        }

        return found;
    }

    /// <summary>A snapshot with its texts redacted (a text holding JSON, such as a decision's final values, is searched inside); numbers and names of fields stay.</summary>
    private static string? RedactJson(string? json, MaskedText text)
    {
        if (json is null)
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(json) is { } node ? Redact(node, text)?.ToJsonString() : json;
        }
        catch (JsonException)
        {
            return text.Redact(json);
        }
    }

    private static JsonNode? Redact(JsonNode? node, MaskedText text) => node switch
    {
        JsonObject o => new JsonObject(o.Select(p => KeyValuePair.Create(p.Key, Redact(p.Value, text)))),
        JsonArray a => new JsonArray([.. a.Select(item => Redact(item, text))]),
        JsonValue v when v.GetValueKind() == JsonValueKind.String => JsonValue.Create(RedactText(v.GetValue<string>(), text)),
        _ => node?.DeepClone(),
    };

    private static string RedactText(string value, MaskedText text) =>
        value.TrimStart() is ['{' or '[', ..] ? RedactJson(value, text)! : text.Redact(value);

    private sealed record Case(Guid Key, string InputsJson, Guid? PolicyVersionId, Guid AgentId, UseCase UseCase);
}
