using AgentConsole.Domain.Agents;
using AgentConsole.Domain.Policies;

namespace AgentConsole.Tests.Unit.Policies;

/// <summary>Conditions cannot reach outside the sandbox, nor run for long.</summary>
public sealed class PolicySandboxTests
{
    private static readonly PolicyFields Fields = PolicyFields.For(UseCase.DynamicPricing);

    private static ConditionProblem Refused(string condition)
    {
        var compiled = PolicyCondition.TryCompile(condition, Fields, out var problem);
        Assert.Null(compiled);
        return Assert.IsType<ConditionProblem>(problem);
    }

    [Theory]
    [InlineData("System.IO.File.Delete('x') == 1")]
    [InlineData("Environment.Exit(1) == 0")]
    [InlineData("typeof(System.Console) == 1")]
    [InlineData("inputs.segment.GetType() == 'x'")]
    public void MemberAccessAndTypes_DoNotParse(string condition)
    {
        var problem = Refused(condition);

        Assert.True(problem.Message.StartsWith("The condition is not a valid expression", StringComparison.Ordinal)
            || problem.Message.StartsWith("Unknown name", StringComparison.Ordinal)
            || problem.Message.StartsWith("The function", StringComparison.Ordinal), problem.Message);
    }

    [Theory]
    [InlineData("Exec('rm -rf /') == 0", "Exec")]
    [InlineData("ReadFile('/etc/passwd') == ''", "ReadFile")]
    [InlineData("Sleep(100000) == 0", "Sleep")]
    public void UnknownFunctions_AreRefusedByName(string condition, string name)
    {
        var problem = Refused(condition);

        Assert.StartsWith($"The function '{name}' is not allowed. Conditions may call: Abs, Ceiling", problem.Message, StringComparison.Ordinal);
        Assert.Equal(1, problem.Column);
    }

    [Fact]
    public void Like_IsRefused_BecauseItBuildsRegularExpressions()
    {
        var problem = Refused("inputs.product like '%a%a%a%a%a%a%a%a%'");

        Assert.StartsWith("The 'like' operator is not allowed", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownNames_AreRefused()
    {
        var problem = Refused("secret > 1");

        Assert.StartsWith("Unknown name 'secret'", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LongConditions_AreRefused()
    {
        var problem = Refused(string.Join(" and ", Enumerable.Repeat("confidence > 0.1", 80)));

        Assert.Contains("at most 1000 are allowed", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DeepNesting_IsRefusedBeforeParsing()
    {
        var problem = Refused(new string('(', 30) + "confidence > 0.5" + new string(')', 30));

        Assert.Contains("nests more than 24 levels", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AllowedFunctionsAndOperators_Compile()
    {
        var compiled = PolicyCondition.TryCompile(
            "Abs(proposal.discountPercent - inputs.marginFloorPercent) > 2 and in(inputs.segment, 'SMB', 'MidMarket') and if(exposure > 1000, confidence < 0.9, false) and not (risk == 'low')",
            Fields, out var problem);

        Assert.Null(problem);
        Assert.NotNull(compiled);
        Assert.Equal(["confidence", "exposure", "inputs.marginFloorPercent", "inputs.segment", "proposal.discountPercent", "risk"], compiled.Names);
    }

    [Fact]
    public void BracketedNames_AreAcceptedToo()
    {
        var compiled = PolicyCondition.TryCompile("[proposal.discountPercent] > 15 and {inputs.quoteValueEur} > 1000", Fields, out var problem);

        Assert.Null(problem);
        Assert.Equal(["inputs.quoteValueEur", "proposal.discountPercent"], compiled!.Names);
    }

    [Fact]
    public void DottedTextInsideQuotes_IsLeftAlone()
    {
        var compiled = PolicyCondition.TryCompile("inputs.product == 'ERP seats.v2'", Fields, out var problem);

        Assert.Null(problem);
        Assert.Equal(["inputs.product"], compiled!.Names);
    }

    [Theory]
    [InlineData("'\\'' == '' or ((((((((((((((((((((((((((((((confidence > 0.5))))))))))))))))))))))))))))))", "nests more than 24 levels")]
    [InlineData("------confidence > 0", "more than four signs in a row")]
    [InlineData("not not not not not (confidence > 0.5)", "repeats 'not'")]
    public void NestingTricks_AreRefused(string condition, string expected)
    {
        Assert.Contains(expected, Refused(condition).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DivisionByZero_OnARealProposal_SendsItToReview()
    {
        var policy = PolicyFixtures.Compile(PolicyFixtures.PricingDocument("""
            riskRules:
              - id: odd
                when: 1 % if(confidence > 0.9, 0, 1) == 0
                then: review
            """));

        var outcome = policy.Evaluate(PolicyFixtures.Discount(5, confidence: 0.95));

        Assert.Equal(AgentConsole.Domain.Decisions.DecisionRoute.Review, outcome.Route);
        Assert.Contains("unevaluable:odd", outcome.RulesFired);
    }
}
