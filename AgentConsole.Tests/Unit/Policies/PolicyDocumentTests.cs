using AgentConsole.Domain.Policies;
using static AgentConsole.Tests.Unit.Policies.PolicyFixtures;

namespace AgentConsole.Tests.Unit.Policies;

/// <summary>Invalid documents are refused with a message and the line and column of the problem.</summary>
public sealed class PolicyDocumentTests
{
    [Fact]
    public void BrokenYaml_ReportsWhereItBreaks()
    {
        var problem = Assert.Single(Problems("autoApprove:\n  minConfidence: [0.8\n"));

        Assert.Equal(3, problem.Line);
        Assert.StartsWith("The YAML is not well formed", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownSetting_IsNamedWithTheSettingsThatExist()
    {
        var problem = Assert.Single(Problems(PricingDocument().Replace("minConfidence: 0.85", "minConfidence: 0.85\n  minConfidance: 0.9", StringComparison.Ordinal)));

        Assert.Equal((3, 3), (problem.Line, problem.Column));
        Assert.Equal("'minConfidance' is not a setting of autoApprove. Expected one of: minConfidence, maxRisk, agents.", problem.Message);
    }

    [Fact]
    public void OutOfRangeThreshold_PointsAtTheValue()
    {
        var problem = Assert.Single(Problems(PricingDocument().Replace("0.85", "1.5", StringComparison.Ordinal)));

        Assert.Equal((2, 18), (problem.Line, problem.Column));
        Assert.Equal("autoApprove.minConfidence must be at most 1.", problem.Message);
    }

    [Fact]
    public void MissingSection_IsNamed()
    {
        var problem = Assert.Single(Problems("autoApprove:\n  minConfidence: 0.8\n"));

        Assert.Equal("The document needs 'reviewRequirements'.", problem.Message);
    }

    [Fact]
    public void WrongEnumValue_ListsTheChoices()
    {
        var problem = Assert.Single(Problems(PricingDocument("""
            riskRules:
              - id: x
                when: confidence < 0.5
                then: escalate
            """)));

        Assert.Equal((6, 11), (problem.Line, problem.Column));
        Assert.Equal("riskRules[1].then must be one of: review, block.", problem.Message);
    }

    [Fact]
    public void TierWithoutQueue_IsRefused()
    {
        var problem = Assert.Single(Problems(PricingDocument("""
            riskRules:
              - id: x
                when: confidence < 0.5
                then: review
                tier: 3
            """)));

        Assert.Equal(7, problem.Line);
        Assert.Equal("No dynamic pricing queue has tier 3. Tiers: 1, 2.", problem.Message);
    }

    [Fact]
    public void BrokenCondition_ReportsTheColumnInsideTheDocument()
    {
        var problem = Assert.Single(Problems(PricingDocument("""
            riskRules:
              - id: x
                when: proposal.discountPercent > 15 andd inputs.segment == 'SMB'
                then: review
            """)));

        Assert.Equal(5, problem.Line);
        Assert.Equal(41, problem.Column);
        Assert.Equal("riskRules[1].when: The condition is not a valid expression near 'andd inputs.segment'.", problem.Message);
    }

    [Fact]
    public void BrokenCondition_InALiteralBlock_PointsAtItsLine()
    {
        var problem = Assert.Single(Problems(PricingDocument("""
            riskRules:
              - id: x
                when: |
                  proposal.discountPercent > 15
                    andd confidence > 0.5
                then: review
            """)));

        Assert.Equal((7, 9), (problem.Line, problem.Column));
    }

    [Fact]
    public void UnknownField_ListsTheFieldsThatExist()
    {
        var problem = Assert.Single(Problems(PricingDocument("""
            riskRules:
              - id: x
                when: proposal.discount > 15
                then: review
            """)));

        Assert.Equal((5, 11), (problem.Line, problem.Column));
        Assert.Contains("has no field 'discount'. Its fields: discountPercent.", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ConditionThatIsNotTrueOrFalse_IsRefused()
    {
        var problem = Assert.Single(Problems(PricingDocument("""
            riskRules:
              - id: x
                when: proposal.discountPercent * 2
                then: review
            """)));

        Assert.Contains("must be true or false, but gives a number", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ComparingTextWithANumber_IsRefusedBeforeItRuns()
    {
        var problem = Assert.Single(Problems(PricingDocument("""
            riskRules:
              - id: x
                when: inputs.segment > 5
                then: review
            """)));

        Assert.Contains("cannot be evaluated on a sample case", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DuplicateIds_AndDuplicateKeys_AreRefused()
    {
        var ids = Problems(PricingDocument("""
            riskRules:
              - { id: same, when: confidence < 0.5, then: review }
            authorityLimits:
              - { id: same, field: proposal.discountPercent, max: 30 }
            """));
        var keys = Problems(PricingDocument().Replace("minConfidence: 0.85", "minConfidence: 0.85\n  minConfidence: 0.9", StringComparison.Ordinal));

        Assert.Contains(ids, p => p.Message.Contains("already has the id 'same'", StringComparison.Ordinal));
        Assert.Equal("'minConfidence' appears twice here; keep one.", Assert.Single(keys).Message);
    }

    [Fact]
    public void LimitNeedsAFieldOrACondition()
    {
        var problem = Assert.Single(Problems(PricingDocument("""
            authorityLimits:
              - id: cap
                field: proposal.discountPercent
            """)));

        Assert.Equal("Authority limit 'cap' needs either 'when' (the breach) or 'field' with 'min' and/or 'max'.", problem.Message);
    }

    [Fact]
    public void SlaLadder_StepsMustComeInOrder_AndQueuesMustExist()
    {
        var problems = Problems(PricingDocument("""
            slaLadder:
              pricing-t1: { warnAfter: 2h, escalateAfter: 1h }
              pricing-t2: { escalateAfter: 1h }
              pricing-t9: { warnAfter: 1h }
            """));

        Assert.Contains(problems, p => p.Message.StartsWith("escalateAfter must come after warnAfter", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Message == "Queue 'pricing-t2' is the top tier; there is no queue to escalate to.");
        Assert.Contains(problems, p => p.Message == "No dynamic pricing queue has the key 'pricing-t9'. Queues: pricing-t1, pricing-t2.");
    }

    [Fact]
    public void SlaLadder_AutoDecisionNeedsItsTime()
    {
        var problem = Assert.Single(Problems(PricingDocument("""
            slaLadder:
              pricing-t1: { autoDecision: approve }
            """)));

        Assert.Equal("autoDecision needs autoDecideAfter: when should the decision be taken?", problem.Message);
    }

    [Fact]
    public void BadDuration_AndBadRole_AreExplained()
    {
        var problems = Problems(PricingDocument("""
            slaLadder:
              pricing-t1: { warnAfter: soon }
            masking:
              - field: inputs.segment
                roles: [Janitor]
            """));

        Assert.Contains(problems, p => p.Message == "slaLadder.pricing-t1.warnAfter must be a duration such as 30m, 4h or 2d.");
        Assert.Contains(problems, p => p.Message.StartsWith("masking[1].roles[1] must be one of: Operator, SeniorOperator", StringComparison.Ordinal));
    }

    [Fact]
    public void ReviewRole_MustBeOneThatDecides_AndWelcomeInItsQueue()
    {
        var admin = Problems(PricingDocument().Replace("high:     { tier: 2, role: SeniorOperator }", "high:     { tier: 2, role: Admin }", StringComparison.Ordinal));
        var operatorsOnly = Pricing with { Queues = [new PolicyQueue("pricing-t1", 1, true, ["Operator"]), Pricing.Queues[1]] };
        var seniorInOperatorQueue = Problems(PricingDocument().Replace("low:      { tier: 1, role: Operator }", "low:      { tier: 1, role: SeniorOperator }", StringComparison.Ordinal), operatorsOnly);
        var operatorInSeniorQueue = PolicyDocumentParser.Parse(PricingDocument().Replace("high:     { tier: 2, role: SeniorOperator }", "high:     { tier: 2, role: Operator }", StringComparison.Ordinal), Pricing);

        Assert.Equal("A admin does not decide reviewed decisions; use Operator or SeniorOperator.", Assert.Single(admin).Message);
        Assert.Equal("Queue 'pricing-t1' (tier 1) admits only Operator, so no senior operator could decide these decisions there.", Assert.Single(seniorInOperatorQueue).Message);
        Assert.True(operatorInSeniorQueue.IsValid, "A senior operator may always decide what an operator may.");
    }

    [Theory]
    [InlineData("autoApprove:\n  minConfidence: 1e999\n", "autoApprove.minConfidence must be a number.")]
    [InlineData("x: [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]\n", "nested more than 24 levels deep")]
    public void HostileDocuments_GetAProblem_NotACrash(string yaml, string expected)
    {
        Assert.Contains(Problems(yaml), p => p.Message.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Masking_NamesCaseFieldsOnly()
    {
        var problem = Assert.Single(Problems(PricingDocument("""
            masking:
              - { field: proposal.discountPercent, roles: [Trainee] }
            """)));

        Assert.Equal("masking[1].field must name a case field as inputs.<field>.", problem.Message);
    }

    [Fact]
    public void Masking_NamesWhoMayReveal_AndTheDocumentKeepsIt()
    {
        var policy = Compile(PricingDocument("""
            masking:
              - field: inputs.marginFloorPercent
                roles: [Operator, Auditor]
                reveal: [Operator]
              - field: inputs.quoteValueEur
                roles: [Operator]
            """));

        var floor = policy.Document.Masking[0];
        Assert.Equal(["Operator"], floor.RevealRoles);
        Assert.True(floor.LetsReveal(["Operator"]));
        Assert.False(floor.LetsReveal(["Auditor"]));
        Assert.Null(policy.Document.Masking[1].RevealRoles);
        Assert.False(policy.Document.Masking[1].LetsReveal(["Operator"]));
    }

    [Fact]
    public void Reveal_ByARoleTheFieldIsNotHiddenFrom_IsRefusedWithItsLineAndColumn()
    {
        var problem = Assert.Single(Problems(PricingDocument("""
            masking:
              - field: inputs.marginFloorPercent
                roles: [Operator]
                reveal: [Operator, SeniorOperator]
            """)));

        Assert.Equal((6, 24), (problem.Line, problem.Column));
        Assert.Equal("/masking/0/reveal/1", problem.Path);
        Assert.Equal("A senior operator sees inputs.marginFloorPercent anyway (the role is not under roles), so has nothing to reveal; add it to roles, or remove it here.", problem.Message);
    }

    [Fact]
    public void Reveal_ByARoleThatDoesNotSeeDecisions_IsRefusedWithItsLineAndColumn()
    {
        var problem = Assert.Single(Problems(PricingDocument("""
            masking:
              - field: inputs.marginFloorPercent
                roles: [Trainee, Operator]
                reveal:
                  - Operator
                  - Trainee
            """)));

        Assert.Equal((8, 9), (problem.Line, problem.Column));
        Assert.Equal("A trainee does not see decisions, so cannot reveal inputs.marginFloorPercent on one; remove it here.", problem.Message);
    }

    [Fact]
    public void Reveal_ByAnUnknownRole_Empty_OrTwice_IsExplainedWithItsLineAndColumn()
    {
        var unknown = Assert.Single(Problems(PricingDocument("""
            masking:
              - { field: inputs.segment, roles: [Operator], reveal: [Janitor] }
            """)));
        var empty = Assert.Single(Problems(PricingDocument("""
            masking:
              - { field: inputs.segment, roles: [Operator], reveal: [] }
            """)));
        var twice = Assert.Single(Problems(PricingDocument("""
            masking:
              - field: inputs.segment
                roles: [Operator]
                reveal: [Operator, Operator]
            """)));

        Assert.Equal((4, 58), (unknown.Line, unknown.Column));
        Assert.StartsWith("masking[1].reveal[1] must be one of: Operator, SeniorOperator", unknown.Message, StringComparison.Ordinal);
        Assert.Equal((4, 57), (empty.Line, empty.Column));
        Assert.Equal("masking[1].reveal needs at least 1 entry.", empty.Message);
        Assert.Equal((6, 13), (twice.Line, twice.Column));
        Assert.Equal("masking[1].reveal lists the same value twice.", twice.Message);
    }

    [Fact]
    public void UnknownAgentThreshold_IsRefused()
    {
        var problem = Assert.Single(Problems(PricingDocument().Replace("minConfidence: 0.85", "minConfidence: 0.85\n  agents:\n    pricing-us: 0.9", StringComparison.Ordinal)));

        Assert.Equal("No dynamic pricing agent has the key 'pricing-us'. Agents: pricing, pricing-eu.", problem.Message);
    }

    [Fact]
    public void EmptyDocument_AndSecondDocument_AreRefused()
    {
        Assert.Contains("is empty or a single value", Assert.Single(Problems("")).Message, StringComparison.Ordinal);
        Assert.Contains("one YAML document", Assert.Single(Problems(PricingDocument() + "\n---\nautoApprove: {}\n")).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Anchors_AreRefused_SoNoDocumentExpandsExponentially()
    {
        var problems = Problems("""
            autoApprove: &a { minConfidence: 0.8 }
            x: *a
            """);

        Assert.Contains(problems, p => p.Message.StartsWith("Anchors and aliases", StringComparison.Ordinal));
    }

    [Fact]
    public void OversizedDocument_IsRefused()
    {
        var problem = Assert.Single(Problems("# " + new string('x', PolicyDocumentParser.MaxDocumentLength)));

        Assert.Contains("at most 65,536 are allowed", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ShippedSchema_DescribesEverySection()
    {
        var schema = System.Text.Json.Nodes.JsonNode.Parse(PolicyDocumentParser.SchemaText)!;

        Assert.Equal("https://json-schema.org/draft/2020-12/schema", schema["$schema"]!.GetValue<string>());
        Assert.Equal(["autoApprove", "riskRules", "authorityLimits", "reviewRequirements", "slaLadder", "calibration", "agentPause", "circuitBreaker", "masking"], schema["properties"]!.AsObject().Select(p => p.Key));
    }
}
