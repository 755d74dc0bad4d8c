using System.Text.Json.Nodes;
using AgentConsole.Domain.Agents;
using AgentConsole.Domain.Agents.BuiltIn;
using AgentConsole.Tests.Infrastructure;

namespace AgentConsole.Tests.Unit.Agents;

public sealed class CaseSchemaTests
{
    [Theory]
    [InlineData(UseCase.PartnerOnboarding)]
    [InlineData(UseCase.DynamicPricing)]
    [InlineData(UseCase.ContractReview)]
    [InlineData(UseCase.InvoicePolicy)]
    public async Task Validate_AcceptsEveryGeneratedCase_AndTheAgentReadsIt(UseCase useCase)
    {
        var generator = new SyntheticCaseGenerator(new Random(42));
        var agent = BuiltInAgent(useCase);

        for (var i = 0; i < 300; i++)
        {
            var inputs = JsonNode.Parse(generator.Next(useCase).Inputs.ToJsonString())!.AsObject();
            Assert.Empty(CaseSchema.For(useCase).Validate(inputs));
            await agent.ProposeAsync(inputs, CancellationToken.None);
        }
    }

    [Fact]
    public void Validate_NamesEachFieldTheAgentCannotRead()
    {
        var inputs = Parsed(TestCases.UncertainPricing().Inputs);
        inputs.Remove("quoteValueEur");
        inputs["comparableDeals"] = 2.5;
        inputs["segment"] = "smb";
        inputs["marginFloorPercent"] = "25";
        inputs["competitorGapPercent"] = 140;

        var errors = CaseSchema.DynamicPricing.Validate(inputs);

        Assert.Equal("Required: a number.", Assert.Single(errors["inputs.quoteValueEur"]));
        Assert.Equal("Must be a whole number.", Assert.Single(errors["inputs.comparableDeals"]));
        Assert.Equal("Must be one of SMB, MidMarket, Enterprise.", Assert.Single(errors["inputs.segment"]));
        Assert.Equal("Must be a number.", Assert.Single(errors["inputs.marginFloorPercent"]));
        Assert.Equal("Must be between 0 and 100.", Assert.Single(errors["inputs.competitorGapPercent"]));
        Assert.Equal(5, errors.Count);
    }

    [Fact]
    public void Validate_KeepsFieldsBeyondTheSchema_AndAllowsAnOptionalOneToBeMissing()
    {
        var contract = Parsed(new SyntheticCaseGenerator(new Random(1)).Next(UseCase.ContractReview).Inputs);
        contract.Remove("clauseText");
        contract["crmId"] = "A-17";

        Assert.Empty(CaseSchema.ContractReview.Validate(contract));
    }

    [Fact]
    public void Validate_RefusesAYesForABoolean_AndEmptyText()
    {
        var invoice = Parsed(new SyntheticCaseGenerator(new Random(3)).Next(UseCase.InvoicePolicy).Inputs);
        invoice["poMatched"] = "yes";
        invoice["supplier"] = " ";

        var errors = CaseSchema.InvoicePolicy.Validate(invoice);

        Assert.Equal("Must be true or false.", Assert.Single(errors["inputs.poMatched"]));
        Assert.Equal("Required: text, e.g. Granite Metals AG.", Assert.Single(errors["inputs.supplier"]));
    }

    private static JsonObject Parsed(JsonObject inputs) => JsonNode.Parse(inputs.ToJsonString())!.AsObject();

    private static IDecisionAgent BuiltInAgent(UseCase useCase) => useCase switch
    {
        UseCase.PartnerOnboarding => new PartnerOnboardingAgent(),
        UseCase.DynamicPricing => new DynamicPricingAgent(),
        UseCase.ContractReview => new ContractReviewAgent(),
        _ => new InvoicePolicyAgent(),
    };
}
