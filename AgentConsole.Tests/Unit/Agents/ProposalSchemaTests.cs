using System.Text.Json.Nodes;
using AgentConsole.Domain.Agents;

namespace AgentConsole.Tests.Unit.Agents;

public sealed class ProposalSchemaTests
{
    [Fact]
    public void TryParse_NormalisesValidValues()
    {
        var errors = ProposalSchema.DynamicPricing.TryParse(new Dictionary<string, string?> { ["discountPercent"] = " 7.5 " }, out var values);

        Assert.Empty(errors);
        Assert.Equal(7.5m, values!["discountPercent"]!.GetValue<decimal>());
    }

    [Theory]
    [InlineData("abc", "must be a number")]
    [InlineData("75", "between 0 and 60")]
    [InlineData("-1", "between 0 and 60")]
    [InlineData("", "is required")]
    public void TryParse_ExplainsAnInvalidNumber(string raw, string expected)
    {
        var errors = ProposalSchema.DynamicPricing.TryParse(new Dictionary<string, string?> { ["discountPercent"] = raw }, out var values);

        Assert.Null(values);
        Assert.Contains(expected, Assert.Single(errors["discountPercent"]), StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_RefusesAChoiceOutsideTheList()
    {
        var errors = ProposalSchema.InvoicePolicy.TryParse(new Dictionary<string, string?> { ["action"] = "Shred" }, out _);

        Assert.Contains("Pay, Hold, Block", errors["action"][0], StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_RequiresAHoldReason_OnlyWhenHolding()
    {
        Assert.Empty(ProposalSchema.InvoicePolicy.TryParse(new Dictionary<string, string?> { ["action"] = "Pay" }, out _));
        var errors = ProposalSchema.InvoicePolicy.TryParse(new Dictionary<string, string?> { ["action"] = "Hold", ["holdReason"] = "" }, out _);

        Assert.True(errors.ContainsKey("holdReason"));
    }

    [Fact]
    public void TryParse_RequiresRedlineText_ForARedline()
    {
        var errors = ProposalSchema.ContractReview.TryParse(new Dictionary<string, string?> { ["verdict"] = "Redline" }, out _);

        Assert.Equal("Redline text is required.", errors["redline"][0]);
    }

    [Fact]
    public void TryParse_RefusesUnknownFields()
    {
        var errors = ProposalSchema.DynamicPricing.TryParse(new Dictionary<string, string?> { ["discountPercent"] = "5", ["bonus"] = "1" }, out _);

        Assert.True(errors.ContainsKey("bonus"));
    }

    [Theory]
    [InlineData("12.3", "Discount must be in steps of 0.5 %, e.g. 12 or 12.5.")]
    [InlineData("0.1", "Discount must be in steps of 0.5 %, e.g. 0 or 0.5.")]
    public void TryParse_RefusesADiscountBetweenItsSteps(string raw, string expected)
    {
        var errors = ProposalSchema.DynamicPricing.TryParse(new Dictionary<string, string?> { ["discountPercent"] = raw }, out var values);

        Assert.Null(values);
        Assert.Equal(expected, Assert.Single(errors["discountPercent"]));
    }

    [Fact]
    public void TryParse_Json_AppliesTheFormsRules_ToNumbersAndNumericStrings()
    {
        var number = ProposalSchema.DynamicPricing.TryParse(JsonNode.Parse("""{ "discountPercent": 12.3 }""")!.AsObject(), out var refused);
        var text = ProposalSchema.DynamicPricing.TryParse(new Dictionary<string, string?> { ["discountPercent"] = "12.3" }, out _);
        var accepted = ProposalSchema.DynamicPricing.TryParse(JsonNode.Parse("""{ "discountPercent": 12.5 }""")!.AsObject(), out var values);
        var asString = ProposalSchema.DynamicPricing.TryParse(JsonNode.Parse("""{ "discountPercent": "12.50" }""")!.AsObject(), out var fromString);

        Assert.Null(refused);
        Assert.Equal(text["discountPercent"], number["discountPercent"]);
        Assert.Empty(accepted);
        Assert.Equal(12.5m, values!["discountPercent"]!.GetValue<decimal>());
        Assert.Empty(asString);
        Assert.Equal(12.5m, fromString!["discountPercent"]!.GetValue<decimal>());
    }

    [Theory]
    [InlineData("""{ "verdict": "Redline", "redline": { "text": "x" } }""", "redline", "Redline text must be text.")]
    [InlineData("""{ "verdict": 1 }""", "verdict", "Verdict must be one of: Accept, Redline, Reject.")]
    [InlineData("""{ "verdict": "Redline", "redline": 5 }""", "redline", "Redline text must be text.")]
    [InlineData("""{ "verdict": ["Accept"] }""", "verdict", "Verdict must be one of: Accept, Redline, Reject.")]
    [InlineData("""{}""", "values", "Give the proposal's values, edited.")]
    public void TryParse_Json_RefusesValuesTheFormCouldNotSend(string json, string field, string expected)
    {
        var errors = ProposalSchema.ContractReview.TryParse(JsonNode.Parse(json)!.AsObject(), out var values);

        Assert.Null(values);
        Assert.Equal(expected, Assert.Single(errors[field]));
    }

    [Fact]
    public void Snap_MovesAValueToTheNearestStep()
    {
        var discount = ProposalSchema.DynamicPricing.Fields.Single();

        Assert.Equal(12.5m, discount.Snap(12.3m));
        Assert.Equal(12m, discount.Snap(12.2m));
    }
}
