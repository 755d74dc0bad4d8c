using System.Globalization;
using System.Text.Json.Nodes;
using AgentConsole.Domain.Agents;
using AgentConsole.Domain.Agents.BuiltIn;
using AgentConsole.Domain.Decisions;
using AgentConsole.Domain.Policies;
using AgentConsole.Domain.Tenancy;
using AgentConsole.Tests.Infrastructure;

namespace AgentConsole.Tests.Unit.Decisions;

/// <summary>What a viewer reads of a decision's case when the routing policy hides fields from them.</summary>
public sealed class DecisionViewTests
{
    private static readonly string[] Operator = [Roles.Operator];

    private static CaseMask Hiding(string field, bool reveal = false) =>
        CaseMask.For([new MaskingRule("inputs." + field, Operator, MaskStyle.Nothing, reveal ? Operator : null)], Operator);

    private static async Task<(JsonObject Inputs, AgentProposal Proposal)> PricingAsync()
    {
        var inputs = TestCases.UncertainPricing("Altura Foods AB").Inputs;
        return (inputs, await new DynamicPricingAgent().ProposeAsync(inputs, CancellationToken.None));
    }

    private static DecisionView View(JsonObject inputs, AgentProposal proposal, CaseMask mask, string subject = "Discount for Altura Foods AB — 20,000 EUR spare parts") =>
        DecisionView.Of(subject, inputs, proposal.Explanation, proposal.Values, null, mask);

    [Fact]
    public async Task AHiddenField_HidesEveryEvidenceLineThatStatesIt_AndNoOther()
    {
        var (inputs, proposal) = await PricingAsync();

        var view = View(inputs, proposal, Hiding("marginFloorPercent"));

        var hidden = Assert.Single(view.Evidence, e => e.Hidden);
        Assert.Equal("Hidden by policy: margin floor", hidden.Text);
        Assert.Contains(new EvidenceView("Quote value 20,000 EUR, segment SMB.", false), view.Evidence);
        Assert.Equal(PolicyMasking.Hidden, view.Inputs["marginFloorPercent"]!.GetValue<string>());
        Assert.Equal(20_000m, view.Inputs["quoteValueEur"]!.GetValue<decimal>());
        Assert.DoesNotContain(view.Evidence, e => e.Text.Contains("25", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TheRationale_IsToldFromTheProposalAlone_WhenItStatesAHiddenField()
    {
        var (inputs, proposal) = await PricingAsync();

        var view = View(inputs, proposal, Hiding("customer"));

        Assert.Equal("A 4.5 % discount matches the market.", view.Rationale);
        Assert.Equal("Shortened by policy: the agent's full rationale states the customer.", view.RationaleNote);
        Assert.Equal("Discount for ••• — 20,000 EUR spare parts", view.Subject);
    }

    [Fact]
    public void ARationaleThatCannotBeToldWithoutTheField_IsHidden_WithANote()
    {
        var explanation = new AgentExplanation(new AgentRationale("Revenue of 2,000,000 EUR is enough.", ["annualRevenueEur", "creditScore"]), []);
        var inputs = new JsonObject { ["annualRevenueEur"] = 2_000_000m, ["creditScore"] = 700 };
        var mask = CaseMask.For([new MaskingRule("inputs.annualRevenueEur", Operator, MaskStyle.Nothing), new MaskingRule("inputs.creditScore", Operator, MaskStyle.Nothing)], Operator);

        var view = DecisionView.Of("Onboard", inputs, explanation, new JsonObject(), null, mask);

        Assert.Null(view.Rationale);
        Assert.Equal("Hidden by policy: the agent's rationale states the annual revenue and credit score.", view.RationaleNote);
    }

    [Fact]
    public void RowsStoredBeforeAgentsDeclaredWhatTheyState_StayReadable_AndMaskedValuesInThemAreRedacted()
    {
        var legacy = AgentExplanation.Read("Floor is 25 and the quote 20,000.", """["Margin floor allows at most 25 % discount.","Quote value 20,000 EUR, segment SMB."]""");
        var inputs = TestCases.UncertainPricing().Inputs;

        var view = DecisionView.Of("Discount", inputs, legacy, new JsonObject { ["discountPercent"] = 4.5m }, null, Hiding("marginFloorPercent"));

        Assert.Equal(["Margin floor allows at most ••• % discount.", "Quote value 20,000 EUR, segment SMB."], view.Evidence.Select(e => e.Text));
        Assert.Equal("Floor is ••• and the quote 20,000.", view.Rationale);
        Assert.Null(view.RationaleNote);
    }

    [Fact]
    public void WhatAgentsNowStore_ReadsBackTheSame()
    {
        var explanation = new AgentExplanation(new AgentRationale("Because.", ["customer"], "Shorter."), [new EvidenceLine("Fact.", ["segment"]), new EvidenceLine("Other.", [])]);

        var read = AgentExplanation.Read("Because.", explanation.ToJson());

        Assert.Equal(explanation.Rationale.Fields, read.Rationale.Fields);
        Assert.Equal("Shorter.", read.Rationale.WithoutFields);
        Assert.Equal(explanation.Evidence.Select(e => (e.Text, string.Join(',', e.Fields!))), read.Evidence.Select(e => (e.Text, string.Join(',', e.Fields!))));
    }

    [Fact]
    public async Task APolicyThatCannotBeRead_HidesEveryField_AndLetsNoneBeRevealed()
    {
        var (inputs, proposal) = await PricingAsync();

        var view = View(inputs, proposal, CaseMask.Everything(inputs));

        Assert.True(view.Mask.PolicyUnreadable);
        Assert.All(view.Inputs, p => Assert.Equal(PolicyMasking.Hidden, p.Value!.GetValue<string>()));
        Assert.All(view.Evidence, e => Assert.Equal(new EvidenceView("Hidden: the policy that routed this decision cannot be read.", true), e));
        Assert.DoesNotContain(view.Mask.Fields, f => f.MayReveal);
        Assert.Equal("Discount for ••• — ••• EUR •••", view.Subject);
    }

    [Fact]
    public async Task Revealing_ShowsTheFieldAndTheLinesThatStateIt_OnlyWhereThePolicyLetsTheViewer()
    {
        var (inputs, proposal) = await PricingAsync();

        var revealed = View(inputs, proposal, Hiding("marginFloorPercent", reveal: true).Revealing(["marginFloorPercent"]));
        var refused = View(inputs, proposal, Hiding("marginFloorPercent", reveal: false).Revealing(["marginFloorPercent"]));

        Assert.Equal(25.0, revealed.Inputs["marginFloorPercent"]!.GetValue<double>());
        Assert.Contains(new EvidenceView("Margin floor allows at most 25 % discount.", false), revealed.Evidence);
        Assert.Equal(["marginFloorPercent"], revealed.Mask.Revealed);
        Assert.Equal(PolicyMasking.Hidden, refused.Inputs["marginFloorPercent"]!.GetValue<string>());
        Assert.Empty(refused.Mask.Revealed);
    }

    [Theory]
    [MemberData(nameof(BuiltInAgents.UseCases), MemberType = typeof(BuiltInAgents))]
    public async Task EveryFieldAnAgentSaysItStates_IsACaseFieldOfItsUseCase(UseCase useCase)
    {
        var names = CaseSchema.For(useCase).Fields.Select(f => f.Name).ToHashSet(StringComparer.Ordinal);
        var generator = new SyntheticCaseGenerator(new Random(11));
        for (var i = 0; i < 200; i++)
        {
            var proposal = await BuiltInAgents.For(useCase).ProposeAsync(generator.Next(useCase).Inputs, CancellationToken.None);

            Assert.All(proposal.Evidence, e => Assert.Subset(names, e.Fields!.ToHashSet()));
            Assert.Subset(names, proposal.Rationale.Fields!.ToHashSet());
            Assert.NotNull(proposal.Rationale.WithoutFields);
        }
    }

    /// <summary>
    /// By construction, not by search: when a hidden field's value changes and the agent's proposal does not, the
    /// viewer reads exactly the same inputs, rationale and evidence — no line, note, count or wording tells the value.
    /// </summary>
    [Theory]
    [MemberData(nameof(BuiltInAgents.UseCases), MemberType = typeof(BuiltInAgents))]
    public async Task ChangingAHiddenField_ChangesNothingTheViewerReads_UnlessTheProposalChanges(UseCase useCase)
    {
        var agent = BuiltInAgents.For(useCase);
        var generator = new SyntheticCaseGenerator(new Random(23));
        var compared = CaseSchema.For(useCase).Fields.ToDictionary(f => f.Name, _ => 0);
        for (var i = 0; i < 300; i++)
        {
            var c = generator.Next(useCase);
            var other = generator.Next(useCase);
            var proposal = await agent.ProposeAsync(c.Inputs, CancellationToken.None);
            foreach (var field in CaseSchema.For(useCase).Fields)
            {
                var changed = c.Inputs.DeepClone().AsObject();
                changed[field.Name] = Changed(field, c.Inputs[field.Name], other.Inputs[field.Name]);
                var second = await agent.ProposeAsync(changed, CancellationToken.None);
                if (!JsonNode.DeepEquals(proposal.Values, second.Values) || proposal.Risk != second.Risk)
                {
                    continue;
                }

                var mask = Hiding(field.Name);
                var before = DecisionView.Of("", c.Inputs, proposal.Explanation, proposal.Values, null, mask);
                var after = DecisionView.Of("", changed, second.Explanation, second.Values, null, mask);
                Assert.Equal(before.Inputs.ToJsonString(), after.Inputs.ToJsonString());
                Assert.Equal((before.Rationale, before.RationaleNote), (after.Rationale, after.RationaleNote));
                Assert.Equal(before.Evidence, after.Evidence);
                compared[field.Name]++;
            }
        }

        // A field that moves the proposal every time (a missing purchase order always changes the hold reason) is told by the proposal itself.
        Assert.True(compared.Count(p => p.Value > 0) >= compared.Count - 2, $"{useCase}: too few fields left the proposal as it was: {string.Join(", ", compared)}");
    }

    /// <summary>Another valid value for a field: the next whole number or cent, the other truth value, another case's text or choice.</summary>
    private static JsonNode? Changed(CaseField field, JsonNode? value, JsonNode? fromOtherCase)
    {
        switch (field.Kind)
        {
            case CaseFieldKind.Boolean:
                return !value!.GetValue<bool>();
            case CaseFieldKind.WholeNumber:
                var whole = value!.GetValue<int>();
                return JsonNode.Parse((field.Max is { } max && whole + 1 > max ? whole - 1 : whole + 1).ToString(CultureInfo.InvariantCulture));
            case CaseFieldKind.Number:
                var number = decimal.Parse(value!.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture);
                var step = field.Max == 1m ? 0.01m : number >= 1000 ? 1000m : 0.1m;
                return JsonNode.Parse((field.Max is { } top && number + step > top ? number - step : number + step).ToString(CultureInfo.InvariantCulture));
            default:
                var text = fromOtherCase!.GetValue<string>();
                return text == value!.GetValue<string>() ? (field.Choices is { } choices ? choices.First(c => c != text) : text + " Two") : text;
        }
    }
}
