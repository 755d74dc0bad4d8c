using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AgentConsole.Domain.Agents;

/// <summary>How a proposal field is edited and checked.</summary>
public enum ProposalFieldKind
{
    Number,
    Choice,
    Text,
}

/// <summary>One field of a proposal, e.g. the discount percent of a pricing proposal.</summary>
/// <param name="Step">For a number, the increment its values must be a multiple of (e.g. 0.5 for a discount); null means any.</param>
public sealed record ProposalField(
    string Name,
    string Label,
    ProposalFieldKind Kind,
    decimal? Min = null,
    decimal? Max = null,
    IReadOnlyList<string>? Choices = null,
    int MaxLength = 0,
    string? Unit = null,
    string? RequiredWhen = null,
    string? HelperText = null,
    decimal? Step = null)
{
    /// <summary>The nearest value on the field's step (the value itself when the field has none).</summary>
    public decimal Snap(decimal value) => Step is { } step ? Math.Round(value / step, MidpointRounding.AwayFromZero) * step : value;
}

/// <summary>
/// The shape of a use case's proposal: what a reviewer may edit in an override and which values
/// are valid. Validation returns messages per field, written for the person at the form.
/// </summary>
public sealed class ProposalSchema
{
    private ProposalSchema(UseCase useCase, IReadOnlyList<ProposalField> fields, string outcomeField)
    {
        UseCase = useCase;
        Fields = fields;
        OutcomeField = outcomeField;
    }

    public UseCase UseCase { get; }

    public IReadOnlyList<ProposalField> Fields { get; }

    /// <summary>The field whose value is "the decision" (compared with the hidden truth for accuracy).</summary>
    public string OutcomeField { get; }

    public static ProposalSchema PartnerOnboarding { get; } = new(UseCase.PartnerOnboarding,
    [
        new("decision", "Decision", ProposalFieldKind.Choice, Choices: ["Approve", "ManualKyc", "Decline"]),
        new("creditLimitEur", "Credit limit", ProposalFieldKind.Number, Min: 0, Max: 5_000_000, Unit: "EUR"),
        new("riskTier", "Risk tier", ProposalFieldKind.Choice, Choices: ["Low", "Medium", "High"]),
    ], "decision");

    public static ProposalSchema DynamicPricing { get; } = new(UseCase.DynamicPricing,
    [
        new("discountPercent", "Discount", ProposalFieldKind.Number, Min: 0, Max: 60, Unit: "%", HelperText: "0–60 %, in steps of 0.5", Step: 0.5m),
    ], "discountPercent");

    public static ProposalSchema ContractReview { get; } = new(UseCase.ContractReview,
    [
        new("verdict", "Verdict", ProposalFieldKind.Choice, Choices: ["Accept", "Redline", "Reject"]),
        new("redline", "Redline text", ProposalFieldKind.Text, MaxLength: 500, RequiredWhen: "verdict=Redline", HelperText: "Required for a redline"),
    ], "verdict");

    public static ProposalSchema InvoicePolicy { get; } = new(UseCase.InvoicePolicy,
    [
        new("action", "Action", ProposalFieldKind.Choice, Choices: ["Pay", "Hold", "Block"]),
        new("holdReason", "Hold / block reason", ProposalFieldKind.Text, MaxLength: 300, RequiredWhen: "action!=Pay", HelperText: "Required to hold or block"),
    ], "action");

    public static ProposalSchema For(UseCase useCase) => useCase switch
    {
        UseCase.PartnerOnboarding => PartnerOnboarding,
        UseCase.DynamicPricing => DynamicPricing,
        UseCase.ContractReview => ContractReview,
        UseCase.InvoicePolicy => InvoicePolicy,
        _ => throw new ArgumentOutOfRangeException(nameof(useCase)),
    };

    /// <summary>Reads a proposal's values as the strings a form shows.</summary>
    public static IReadOnlyDictionary<string, string?> ToStrings(JsonObject values) =>
        values.ToDictionary(p => p.Key, p => p.Value is null ? null : FormatValue(p.Value), StringComparer.Ordinal);

    public static string FormatValue(JsonNode node) =>
        node is JsonValue v && v.TryGetValue<decimal>(out var d) ? d.ToString(CultureInfo.InvariantCulture) : node.ToString();

    /// <summary>
    /// Reads edited values sent as JSON (the API) by the same rules as the console's form: a number field
    /// takes a JSON number or a numeric string, a choice or text field takes a string. Returns the field
    /// errors (empty when valid) and, when valid, the normalised values.
    /// </summary>
    public IReadOnlyDictionary<string, string[]> TryParse(JsonObject? json, out JsonObject? values)
    {
        values = null;
        if (json is null || json.Count == 0)
        {
            return new Dictionary<string, string[]>(StringComparer.Ordinal) { ["values"] = ["Give the proposal's values, edited."] };
        }

        var raw = new Dictionary<string, string?>(StringComparer.Ordinal);
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var (name, node) in json)
        {
            var field = Fields.FirstOrDefault(f => f.Name == name);
            switch (node)
            {
                case null:
                    raw[name] = null;
                    break;
                case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                    raw[name] = value.GetValue<string>();
                    break;
                case JsonValue value when value.GetValueKind() == JsonValueKind.Number && field?.Kind is null or ProposalFieldKind.Number:
                    raw[name] = value.TryGetValue<decimal>(out var number) ? number.ToString(CultureInfo.InvariantCulture) : value.ToJsonString();
                    break;
                default:
                    errors[name] = [field is null ? $"'{name}' is not a field of a {UseCase.Label().ToLowerInvariant()} proposal."
                        : field.Kind == ProposalFieldKind.Number ? $"{field.Label} must be a number, e.g. 12.5."
                        : field.Kind == ProposalFieldKind.Choice ? $"{field.Label} must be one of: {string.Join(", ", field.Choices!)}."
                        : $"{field.Label} must be text."];
                    break;
            }
        }

        var parsed = TryParse(raw, out values);
        if (errors.Count == 0)
        {
            return parsed;
        }

        values = null;
        foreach (var (name, messages) in parsed)
        {
            errors.TryAdd(name, messages);
        }

        return errors;
    }

    /// <summary>
    /// Parses edited values into a proposal. Returns the field errors (empty when valid) and, when valid,
    /// the normalised values.
    /// </summary>
    public IReadOnlyDictionary<string, string[]> TryParse(IReadOnlyDictionary<string, string?> raw, out JsonObject? values)
    {
        var errors = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        void Add(string field, string message)
        {
            if (!errors.TryGetValue(field, out var list))
            {
                errors[field] = list = [];
            }

            list.Add(message);
        }

        foreach (var unknown in raw.Keys.Where(k => Fields.All(f => f.Name != k)))
        {
            Add(unknown, $"'{unknown}' is not a field of a {UseCase.Label().ToLowerInvariant()} proposal.");
        }

        var result = new JsonObject();
        foreach (var field in Fields)
        {
            raw.TryGetValue(field.Name, out var text);
            text = text?.Trim();
            var required = field.RequiredWhen is null ? field.Kind != ProposalFieldKind.Text : ConditionHolds(field.RequiredWhen, raw);
            if (string.IsNullOrEmpty(text))
            {
                if (required)
                {
                    Add(field.Name, $"{field.Label} is required.");
                }

                continue;
            }

            switch (field.Kind)
            {
                case ProposalFieldKind.Number:
                    if (!decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out var number))
                    {
                        Add(field.Name, $"{field.Label} must be a number, e.g. 12.5.");
                    }
                    else if ((field.Min is { } min && number < min) || (field.Max is { } max && number > max))
                    {
                        Add(field.Name, $"{field.Label} must be between {field.Min:#,0.##} and {field.Max:#,0.##}{(field.Unit is "%" ? " %" : "")}.");
                    }
                    else if (field.Step is { } step && number % step != 0)
                    {
                        var below = Math.Floor(number / step) * step;
                        Add(field.Name, FormattableString.Invariant(
                            $"{field.Label} must be in steps of {step:0.##}{(field.Unit is "%" ? " %" : "")}, e.g. {below:0.##} or {below + step:0.##}."));
                    }
                    else
                    {
                        result[field.Name] = number;
                    }

                    break;
                case ProposalFieldKind.Choice:
                    var choice = field.Choices!.FirstOrDefault(c => string.Equals(c, text, StringComparison.OrdinalIgnoreCase));
                    if (choice is null)
                    {
                        Add(field.Name, $"{field.Label} must be one of: {string.Join(", ", field.Choices!)}.");
                    }
                    else
                    {
                        result[field.Name] = choice;
                    }

                    break;
                default:
                    if (text.Length > field.MaxLength)
                    {
                        Add(field.Name, $"{field.Label} must be at most {field.MaxLength} characters.");
                    }
                    else
                    {
                        result[field.Name] = text;
                    }

                    break;
            }
        }

        values = errors.Count == 0 ? result : null;
        return errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal);
    }

    /// <summary>Whether two proposals decide the same outcome (discounts within 2.5 points count as the same).</summary>
    public bool SameOutcome(JsonObject a, JsonObject b)
    {
        var x = a[OutcomeField];
        var y = b[OutcomeField];
        if (x is null || y is null)
        {
            return false;
        }

        return UseCase == UseCase.DynamicPricing
            ? Math.Abs(x.GetValue<decimal>() - y.GetValue<decimal>()) <= 2.5m
            : string.Equals(x.ToString(), y.ToString(), StringComparison.Ordinal);
    }

    private static bool ConditionHolds(string condition, IReadOnlyDictionary<string, string?> raw)
    {
        var negate = condition.Contains("!=", StringComparison.Ordinal);
        var parts = condition.Split(negate ? "!=" : "=");
        raw.TryGetValue(parts[0], out var actual);
        var equal = string.Equals(actual?.Trim(), parts[1], StringComparison.OrdinalIgnoreCase);
        return negate ? !equal && !string.IsNullOrWhiteSpace(actual) : equal;
    }
}
