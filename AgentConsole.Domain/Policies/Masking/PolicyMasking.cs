using System.Text.Json.Nodes;

namespace AgentConsole.Domain.Policies;

/// <summary>Hides the fields a mask names in a copy of a decision's case inputs.</summary>
public static class PolicyMasking
{
    public const string Hidden = "•••• (hidden for your role)";

    /// <summary>The masked copy of the inputs: each hidden field replaced by <see cref="Hidden"/>, or its last four characters where the policy shows them.</summary>
    public static JsonObject MaskInputs(JsonObject inputs, CaseMask mask)
    {
        var copy = inputs.DeepClone().AsObject();
        foreach (var field in mask.Fields)
        {
            if (copy[field.Name] is not { } value)
            {
                continue;
            }

            var text = value.ToString();
            copy[field.Name] = field.Show == MaskStyle.Last4 && text.Length > 4 ? "••••" + text[^4..] : Hidden;
        }

        return copy;
    }
}
