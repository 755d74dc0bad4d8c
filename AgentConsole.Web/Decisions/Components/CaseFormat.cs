using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AgentConsole.Web.Decisions.Components;

/// <summary>How a case's values read on the console's pages: proposal values with their units, inputs by their kind.</summary>
public static class CaseFormat
{
    /// <summary>A proposal field's value, e.g. "12.5 %" or "250,000 EUR"; "—" when it has none.</summary>
    public static string Proposal(JsonObject values, ProposalField field)
    {
        var node = values[field.Name];
        if (node is null)
        {
            return "—";
        }

        var text = ProposalSchema.FormatValue(node);
        return field.Unit switch
        {
            "%" => text + " %",
            "EUR" when decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out var eur) => eur.ToString("#,0", CultureInfo.InvariantCulture) + " EUR",
            _ => text,
        };
    }

    /// <summary>A case input's value: yes/no, amounts in EUR, percentages, numbers with separators, or the text.</summary>
    public static string Input(string key, JsonNode? value)
    {
        if (value is null)
        {
            return "—";
        }

        if (value is JsonValue v && v.TryGetValue<bool>(out var flag))
        {
            return flag ? "Yes" : "No";
        }

        if (value is JsonValue n && n.GetValueKind() == JsonValueKind.Number)
        {
            var number = n.GetValue<decimal>();
            return key.EndsWith("Eur", StringComparison.Ordinal) ? number.ToString("#,0.##", CultureInfo.InvariantCulture) + " EUR"
                : key.EndsWith("Percent", StringComparison.Ordinal) ? number.ToString("0.##", CultureInfo.InvariantCulture) + " %"
                : number.ToString("#,0.##", CultureInfo.InvariantCulture);
        }

        return ProposalSchema.FormatValue(value);
    }
}
