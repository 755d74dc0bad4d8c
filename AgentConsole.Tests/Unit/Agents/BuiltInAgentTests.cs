using AgentConsole.Domain.Agents;
using AgentConsole.Domain.Agents.BuiltIn;
using AgentConsole.Tests.Infrastructure;

namespace AgentConsole.Tests.Unit.Agents;

public sealed class BuiltInAgentTests
{
    [Fact]
    public async Task Evidence_CountsAsPeopleWrite_OneYearNotOneYears()
    {
        var inputs = TestCases.UncertainPricing().Inputs;
        inputs["customerTenureYears"] = 1;
        inputs["comparableDeals"] = 1;

        var evidence = (await new DynamicPricingAgent().ProposeAsync(inputs, CancellationToken.None)).Evidence.Select(e => e.Text).ToList();

        Assert.Contains("Customer tenure 1 year.", evidence);
        Assert.Contains("1 comparable won deal in the last 12 months.", evidence);
        Assert.DoesNotContain(evidence, line => line.Contains("1 years", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ContractCases_NameTheirClauseInWords_NotAsAnIdentifier()
    {
        var generator = new SyntheticCaseGenerator(new Random(3));
        for (var i = 0; i < 50; i++)
        {
            var c = generator.Next(UseCase.ContractReview);
            var proposal = await new ContractReviewAgent().ProposeAsync(c.Inputs, CancellationToken.None);

            Assert.DoesNotMatch("[a-z][A-Z]", c.Subject.Split(" — ")[0]);
            Assert.DoesNotMatch("[a-z][A-Z]", proposal.Rationale.Text);
        }
    }

    [Theory]
    [MemberData(nameof(BuiltInAgents.UseCases), MemberType = typeof(BuiltInAgents))]
    public async Task Propose_GivesAValidProposalWithRationaleAndEvidence(UseCase useCase)
    {
        var generator = new SyntheticCaseGenerator(new Random(7));
        var agent = BuiltInAgents.For(useCase);
        for (var i = 0; i < 200; i++)
        {
            var c = generator.Next(useCase);
            var proposal = await agent.ProposeAsync(c.Inputs, CancellationToken.None);

            var errors = ProposalSchema.For(useCase).TryParse(ProposalSchema.ToStrings(proposal.Values), out _);
            Assert.Empty(errors);
            Assert.InRange(proposal.Confidence, 0.0, 1.0);
            Assert.False(string.IsNullOrWhiteSpace(proposal.Rationale.Text));
            Assert.NotEmpty(proposal.Evidence);
            Assert.NotNull(c.Truth[ProposalSchema.For(useCase).OutcomeField]);
        }
    }

    /// <summary>Confidence means what it says: in each band, the share of right proposals is close to the band's mean confidence.</summary>
    [Theory]
    [MemberData(nameof(BuiltInAgents.UseCases), MemberType = typeof(BuiltInAgents))]
    public async Task Confidence_IsCalibratedAgainstTheHiddenTruth(UseCase useCase)
    {
        var generator = new SyntheticCaseGenerator(new Random(42));
        var agent = BuiltInAgents.For(useCase);
        var schema = ProposalSchema.For(useCase);
        var samples = new List<(double Confidence, bool Right)>();
        for (var i = 0; i < 6000; i++)
        {
            var c = generator.Next(useCase);
            var p = await agent.ProposeAsync(c.Inputs, CancellationToken.None);
            samples.Add((p.Confidence, schema.SameOutcome(p.Values, c.Truth)));
        }

        foreach (var band in samples.GroupBy(s => Math.Min(4, (int)(s.Confidence * 5))).Where(g => g.Count() >= 300))
        {
            var expected = band.Average(s => s.Confidence);
            var actual = band.Count(s => s.Right) / (double)band.Count();
            Assert.True(Math.Abs(expected - actual) < 0.08, $"{useCase} band {band.Key}: confidence {expected:0.00} but {actual:0.00} right over {band.Count()} cases");
        }
    }
}
