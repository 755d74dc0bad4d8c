using System.Text.Json.Nodes;

namespace AgentConsole.Domain.Policies;

/// <summary>Hides the fields a policy masks from the viewer's roles, in copies of a decision's values.</summary>
public static class PolicyMasking
{
    public const string Hidden = "•••• (hidden for your role)";

    /// <summary>The masked copy of one group of values (<c>inputs</c> or <c>proposal</c>), and which fields were masked.</summary>
    public static (JsonObject Values, IReadOnlySet<string> Masked) Apply(JsonObject values, string group, IReadOnlyList<MaskingRule> rules, IReadOnlySet<string> viewerRoles)
    {
        var copy = values.DeepClone().AsObject();
        var masked = new HashSet<string>(StringComparer.Ordinal);
        foreach (var rule in rules)
        {
            if (!rule.Field.StartsWith(group + ".", StringComparison.Ordinal) || !rule.Roles.Any(viewerRoles.Contains))
            {
                continue;
            }

            var name = rule.Field[(group.Length + 1)..];
            if (copy[name] is not { } value)
            {
                continue;
            }

            var text = value.ToString();
            copy[name] = rule.Show == MaskStyle.Last4 && text.Length > 4 ? "••••" + text[^4..] : Hidden;
            masked.Add(name);
        }

        return (copy, masked);
    }
}
