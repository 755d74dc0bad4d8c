using System.Text.Json.Nodes;
using AgentConsole.Domain.Agents;

namespace AgentConsole.Domain.Policies;

/// <summary>One case field hidden from a viewer, as a page or an API client shows it.</summary>
/// <param name="Name">The input field, e.g. <c>marginFloorPercent</c>.</param>
/// <param name="Label">How people call it, e.g. "Margin floor".</param>
/// <param name="Show">How much of its value still shows in the case inputs.</param>
/// <param name="MayReveal">Whether the viewer may reveal it on this decision, giving a reason.</param>
public sealed record MaskedField(string Name, string Label, MaskStyle Show, bool MayReveal);

/// <summary>
/// The case fields one viewer may not see in one decision, from the masking rules of the policy version that
/// routed it and the viewer's roles. A field several rules hide shows only what the strictest allows, and may be
/// revealed only when every rule that hides it lets the viewer. When the routing policy cannot be read, every
/// field is hidden and none may be revealed: masking fails closed.
/// </summary>
public sealed class CaseMask
{
    private readonly Dictionary<string, MaskedField> _fields;

    private CaseMask(IEnumerable<MaskedField> fields, IReadOnlyList<string> revealed, bool policyUnreadable)
    {
        _fields = fields.ToDictionary(f => f.Name, StringComparer.Ordinal);
        Revealed = revealed;
        PolicyUnreadable = policyUnreadable;
    }

    /// <summary>Nothing is hidden.</summary>
    public static CaseMask None { get; } = new([], [], false);

    /// <summary>The hidden fields, in the order their rules come.</summary>
    public IReadOnlyList<MaskedField> Fields => [.. _fields.Values];

    /// <summary>Fields hidden by the policy that this viewer revealed for the current page or answer.</summary>
    public IReadOnlyList<string> Revealed { get; }

    /// <summary>The policy that routed the decision could not be read, so every field is hidden.</summary>
    public bool PolicyUnreadable { get; }

    public bool IsEmpty => _fields.Count == 0;

    public bool Hides(string field) => _fields.ContainsKey(field);

    public MaskedField? this[string field] => _fields.GetValueOrDefault(field);

    /// <summary>What the rules hide from someone with these roles.</summary>
    public static CaseMask For(IReadOnlyList<MaskingRule> rules, IReadOnlyCollection<string> viewerRoles)
    {
        var fields = new Dictionary<string, MaskedField>(StringComparer.Ordinal);
        foreach (var rule in rules.Where(r => r.Field.StartsWith("inputs.", StringComparison.Ordinal) && r.Hides(viewerRoles)))
        {
            var name = rule.InputName;
            var field = new MaskedField(name, CaseSchema.Label(name), rule.Show, rule.LetsReveal(viewerRoles));
            fields[name] = fields.TryGetValue(name, out var earlier)
                ? earlier with { Show = earlier.Show == MaskStyle.Last4 && field.Show == MaskStyle.Last4 ? MaskStyle.Last4 : MaskStyle.Nothing, MayReveal = earlier.MayReveal && field.MayReveal }
                : field;
        }

        return fields.Count == 0 ? None : new CaseMask(fields.Values, [], false);
    }

    /// <summary>Every field of the case hidden, none revealable: for a decision whose routing policy cannot be read.</summary>
    public static CaseMask Everything(JsonObject inputs) =>
        new(inputs.Select(p => new MaskedField(p.Key, CaseSchema.Label(p.Key), MaskStyle.Nothing, false)), [], true);

    /// <summary>The same mask with these fields shown, for a viewer who revealed them (only fields they may reveal).</summary>
    public CaseMask Revealing(IEnumerable<string> fields)
    {
        var shown = fields.Where(f => _fields.TryGetValue(f, out var field) && field.MayReveal).Distinct(StringComparer.Ordinal).ToList();
        return shown.Count == 0
            ? this
            : new CaseMask(_fields.Values.Where(f => !shown.Contains(f.Name)), [.. Revealed, .. shown], PolicyUnreadable);
    }
}
