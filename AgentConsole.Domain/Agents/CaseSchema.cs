using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentConsole.Domain.Agents.BuiltIn;

namespace AgentConsole.Domain.Agents;

/// <summary>What kind of value a case field holds.</summary>
public enum CaseFieldKind
{
    /// <summary>A JSON number (decimals allowed).</summary>
    Number,
    /// <summary>A JSON number without a fraction, within the range of a 32-bit integer.</summary>
    WholeNumber,
    /// <summary><c>true</c> or <c>false</c>.</summary>
    Boolean,
    /// <summary>A JSON string.</summary>
    Text,
    /// <summary>A JSON string from a fixed list, spelled as listed.</summary>
    Choice,
}

/// <summary>One field of a case, e.g. the quote value of a pricing case.</summary>
public sealed record CaseField(
    string Name,
    CaseFieldKind Kind,
    decimal? Min = null,
    decimal? Max = null,
    IReadOnlyList<string>? Choices = null,
    int MaxLength = 200,
    bool Required = true,
    string? Example = null);

/// <summary>
/// The inputs an agent of a use case reads, with their kinds and ranges. A case submitted by another
/// system is checked against it before its run is recorded, so a case the agent cannot read is refused
/// with the fields named, rather than accepted and failing in its job. Fields beyond these are kept as
/// context; the agent ignores them.
/// </summary>
public sealed class CaseSchema
{
    private CaseSchema(UseCase useCase, IReadOnlyList<CaseField> fields)
    {
        UseCase = useCase;
        Fields = fields;
    }

    public UseCase UseCase { get; }

    public IReadOnlyList<CaseField> Fields { get; }

    public static CaseSchema PartnerOnboarding { get; } = new(UseCase.PartnerOnboarding,
    [
        new("partnerName", CaseFieldKind.Text, Example: "Nordwind Logistics GmbH"),
        new("country", CaseFieldKind.Text, MaxLength: 2, Example: "DE (two-letter ISO code)"),
        new("yearsInBusiness", CaseFieldKind.WholeNumber, Min: 0, Max: 1000),
        new("annualRevenueEur", CaseFieldKind.Number, Min: 0),
        new("creditScore", CaseFieldKind.WholeNumber, Min: 300, Max: 900),
        new("ownershipDisclosed", CaseFieldKind.Boolean),
        new("adverseMedia", CaseFieldKind.Boolean),
        new("requestedCreditLimitEur", CaseFieldKind.Number, Min: 0),
    ]);

    public static CaseSchema DynamicPricing { get; } = new(UseCase.DynamicPricing,
    [
        new("customer", CaseFieldKind.Text, Example: "Altura Foods AB"),
        new("segment", CaseFieldKind.Choice, Choices: DynamicPricingAgent.Segments),
        new("product", CaseFieldKind.Text, Example: "spare parts"),
        new("quoteValueEur", CaseFieldKind.Number, Min: 0),
        new("competitorGapPercent", CaseFieldKind.Number, Min: 0, Max: 100),
        new("comparableDeals", CaseFieldKind.WholeNumber, Min: 0),
        new("customerTenureYears", CaseFieldKind.WholeNumber, Min: 0, Max: 200),
        new("marginFloorPercent", CaseFieldKind.Number, Min: 0, Max: 100),
    ]);

    public static CaseSchema ContractReview { get; } = new(UseCase.ContractReview,
    [
        new("counterparty", CaseFieldKind.Text, Example: "Bluepeak Systems Ltd"),
        new("contractValueEur", CaseFieldKind.Number, Min: 0),
        new("clauseType", CaseFieldKind.Choice, Choices: ContractReviewAgent.ClauseTypes),
        new("clauseText", CaseFieldKind.Text, MaxLength: 5000, Required: false),
        new("liabilityCapMultiple", CaseFieldKind.Number, Min: 0, Max: 1000),
        new("uncappedIndemnity", CaseFieldKind.Boolean),
        new("paymentTermsDays", CaseFieldKind.WholeNumber, Min: 0, Max: 3650),
        new("governingLaw", CaseFieldKind.Text, Example: "Germany"),
        new("autoRenewal", CaseFieldKind.Boolean),
    ]);

    public static CaseSchema InvoicePolicy { get; } = new(UseCase.InvoicePolicy,
    [
        new("supplier", CaseFieldKind.Text, Example: "Granite Metals AG"),
        new("invoiceNumber", CaseFieldKind.Text, MaxLength: 64, Example: "INV-10234"),
        new("amountEur", CaseFieldKind.Number, Min: 0),
        new("poMatched", CaseFieldKind.Boolean),
        new("receiptMatched", CaseFieldKind.Boolean),
        new("bankAccountChangedDaysAgo", CaseFieldKind.WholeNumber, Min: -1, Example: "-1 (unchanged) or the days since the change"),
        new("duplicateSimilarity", CaseFieldKind.Number, Min: 0, Max: 1),
        new("dueInDays", CaseFieldKind.WholeNumber, Min: -3650, Max: 3650),
    ]);

    /// <summary>A case field as people call it: <c>marginFloorPercent</c> is "Margin floor", <c>annualRevenueEur</c> "Annual revenue".</summary>
    public static string Label(string field)
    {
        if (field.Length == 0)
        {
            return field;
        }

        var bare = field.EndsWith("Eur", StringComparison.Ordinal) ? field[..^3]
            : field.EndsWith("Percent", StringComparison.Ordinal) ? field[..^7]
            : field;
        var words = System.Text.RegularExpressions.Regex.Replace(bare, "([a-z])([A-Z])", "$1 $2").ToLowerInvariant();
        return char.ToUpperInvariant(words[0]) + words[1..];
    }

    public static CaseSchema For(UseCase useCase) => useCase switch
    {
        UseCase.PartnerOnboarding => PartnerOnboarding,
        UseCase.DynamicPricing => DynamicPricing,
        UseCase.ContractReview => ContractReview,
        UseCase.InvoicePolicy => InvoicePolicy,
        _ => throw new ArgumentOutOfRangeException(nameof(useCase)),
    };

    /// <summary>Checks a case's inputs; returns messages per field (<c>inputs.&lt;name&gt;</c>), empty when the agent can read them.</summary>
    public IReadOnlyDictionary<string, string[]> Validate(JsonObject inputs)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var field in Fields)
        {
            if (Check(field, inputs[field.Name]) is { } problem)
            {
                errors["inputs." + field.Name] = [problem];
            }
        }

        return errors;
    }

    private static string? Check(CaseField field, JsonNode? node)
    {
        if (node is null)
        {
            return field.Required ? $"Required: {Expected(field)}." : null;
        }

        var value = node as JsonValue;
        var kind = value?.GetValueKind();
        switch (field.Kind)
        {
            // Numbers are read from their JSON text, as the agent reads the stored case.
            case CaseFieldKind.Number when kind == JsonValueKind.Number
                                          && decimal.TryParse(value!.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var number):
                return InRange(field, number);
            case CaseFieldKind.WholeNumber when kind == JsonValueKind.Number
                                               && int.TryParse(value!.ToJsonString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var whole):
                return InRange(field, whole);
            case CaseFieldKind.Boolean when kind is JsonValueKind.True or JsonValueKind.False:
                return null;
            case CaseFieldKind.Text when kind == JsonValueKind.String:
                var text = value!.GetValue<string>();
                return field.Required && string.IsNullOrWhiteSpace(text) ? $"Required: {Expected(field)}."
                    : text.Length > field.MaxLength ? $"At most {field.MaxLength} characters."
                    : null;
            case CaseFieldKind.Choice when kind == JsonValueKind.String && field.Choices!.Contains(value!.GetValue<string>(), StringComparer.Ordinal):
                return null;
            default:
                return $"Must be {Expected(field)}.";
        }
    }

    private static string? InRange(CaseField field, decimal value) =>
        (field.Min is { } min && value < min) || (field.Max is { } max && value > max)
            ? field.Max is null
                ? string.Create(CultureInfo.InvariantCulture, $"Must be at least {field.Min}.")
                : string.Create(CultureInfo.InvariantCulture, $"Must be between {field.Min} and {field.Max}.")
            : null;

    private static string Expected(CaseField field) => field.Kind switch
    {
        CaseFieldKind.Number => "a number" + Example(field),
        CaseFieldKind.WholeNumber => "a whole number" + Example(field),
        CaseFieldKind.Boolean => "true or false",
        CaseFieldKind.Choice => $"one of {string.Join(", ", field.Choices!)}",
        _ => "text" + Example(field),
    };

    private static string Example(CaseField field) => field.Example is null ? "" : $", e.g. {field.Example}";
}
