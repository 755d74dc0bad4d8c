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
}
