using AgentConsole.Domain.Agents;
using AgentConsole.Domain.Decisions;
using AgentConsole.Domain.Policies;
using static AgentConsole.Tests.Unit.Policies.PolicyFixtures;

namespace AgentConsole.Tests.Unit.Policies;

/// <summary>The policy's calibration section: read into its compiled form, and bad values refused with line and column.</summary>
public sealed class CalibrationSectionTests
{
    private static readonly PolicyContext WithTracks = Pricing with { PublishedTracks = ["pricing-reviewer"] };

    /// <summary>A calibration section starting on line 3 of the document, one setting a line (queues' item on line 5).</summary>
    private static string Calibration(string queue = "pricing-t1", string gold = "{ count: 2, per: hour }", string source = "source: generated",
        string pauseBelow = "0.6", string minimum = "5", string window = "7d", string pauseFrom = "[critical, high]") =>
        PricingDocument($"""
            calibration:
              queues:
                - {queue}
              goldItems: {gold}
              {source}
              pauseBelow: {pauseBelow}
              minimumAnswers: {minimum}
              window: {window}
              pauseFrom: {pauseFrom}
            """);

    [Fact]
    public void ASection_CompilesIntoItsSettings()
    {
        var settings = Compile(Calibration()).Document.Calibration!;

        Assert.Equal(["pricing-t1"], settings.Queues);
        Assert.Equal((2, TimeSpan.FromHours(1), TimeSpan.FromMinutes(30)), (settings.Count, settings.Period, settings.Interval));
        Assert.Equal((CalibrationSource.Generated, (string?)null), (settings.Source, settings.Track));
        Assert.Equal((0.6, 5, TimeSpan.FromDays(7)), (settings.PauseBelow, settings.MinimumAnswers, settings.Window));
        Assert.Equal([RiskLevel.High, RiskLevel.Critical], settings.PauseFrom);
    }

    [Fact]
    public void NoSection_MeansNoCalibration()
    {
        Assert.Null(Compile(PricingDocument()).Document.Calibration);
    }

    [Fact]
    public void APublishedTrack_IsASource()
    {
        var settings = Compile(Calibration(source: "source: track\n  track: pricing-reviewer"), WithTracks).Document.Calibration!;

        Assert.Equal((CalibrationSource.Track, "pricing-reviewer"), (settings.Source, settings.Track));
    }

    [Fact]
    public void AnUnknownQueue_IsRefusedAtItsItem()
    {
        var problem = Assert.Single(Problems(Calibration(queue: "pricing-t9")));

        Assert.Equal((5, 7), (problem.Line, problem.Column));
        Assert.Equal("No dynamic pricing queue has the key 'pricing-t9'. Queues: pricing-t1, pricing-t2.", problem.Message);
    }

    [Fact]
    public void AnAccuracyAboveOne_IsRefusedAtTheValue()
    {
        var problem = Assert.Single(Problems(Calibration(pauseBelow: "60")));

        Assert.Equal((8, 15), (problem.Line, problem.Column));
        Assert.Equal("calibration.pauseBelow must be at most 1.", problem.Message);
    }

    [Fact]
    public void ARateOtherThanPerHourOrDay_ListsTheChoices()
    {
        var problem = Assert.Single(Problems(Calibration(gold: "{ count: 2, per: week }")));

        Assert.Equal(6, problem.Line);
        Assert.Equal("calibration.goldItems.per must be one of: hour, day.", problem.Message);
    }

    [Fact]
    public void AWindowThatIsNotADuration_IsRefused()
    {
        var problem = Assert.Single(Problems(Calibration(window: "a week")));

        Assert.Equal((10, 11), (problem.Line, problem.Column));
        Assert.Contains("calibration.window", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ATrackSource_WithoutATrack_IsRefusedAtTheSource()
    {
        var problem = Assert.Single(Problems(Calibration(source: "source: track"), WithTracks));

        Assert.Equal(7, problem.Line);
        Assert.Equal("source: track needs track: the key of a published training track whose scenarios are the gold items.", problem.Message);
    }

    [Fact]
    public void ATrackThatIsNotPublished_IsNamedWithThoseThatAre()
    {
        var problem = Assert.Single(Problems(Calibration(source: "source: track\n  track: contract-reviewer"), WithTracks));

        Assert.Equal((8, 10), (problem.Line, problem.Column));
        Assert.Equal("No published dynamic pricing training track has the key 'contract-reviewer'. Published: pricing-reviewer.", problem.Message);
    }

    [Fact]
    public void AMinimumTheWindowCanNeverHold_IsRefused()
    {
        var problem = Assert.Single(Problems(Calibration(gold: "{ count: 1, per: day }", window: "2d")));

        Assert.Equal(9, problem.Line);
        Assert.Equal("At 1 gold item per day in 1 queue, a window of 2d holds at most 2; minimumAnswers 5 could never be reached. Lengthen the window or raise the rate.", problem.Message);
    }

    [Fact]
    public void InAnAgentsOwnPolicy_CalibrationIsRefused()
    {
        var problem = Assert.Single(Problems(Calibration(), Pricing with { AgentKey = "pricing" }));

        Assert.Equal(3, problem.Line);
        Assert.Equal("Calibration measures the people who review all dynamic pricing decisions; set it in the use case's policy, not in the policy of the agent 'pricing'.", problem.Message);
    }

    [Fact]
    public void TheShippedPricingPolicy_SeedsTwoAnHourInTheFirstTier()
    {
        var document = DefaultPolicies.For(UseCase.DynamicPricing, "pricing-t1", "pricing-t2");

        var settings = Compile(document).Document.Calibration!;

        Assert.Equal(["pricing-t1"], settings.Queues);
        Assert.Equal((2, TimeSpan.FromHours(1)), (settings.Count, settings.Period));
        Assert.Equal((0.6, 5, CalibrationSource.Generated), (settings.PauseBelow, settings.MinimumAnswers, settings.Source));
    }

    [Fact]
    public void AnAgentsDraft_StartsFromTheUseCasesPolicyWithoutItsCalibration()
    {
        var document = DefaultPolicies.For(UseCase.DynamicPricing, "pricing-t1", "pricing-t2");

        var withoutIt = Domain.Training.Calibration.CalibrationSection.Without(document);

        Assert.Null(Compile(withoutIt, Pricing with { AgentKey = "pricing" }).Document.Calibration);
        Assert.Contains(Domain.Training.Calibration.CalibrationSection.Note, withoutIt, StringComparison.Ordinal);
        Assert.Equal(Compile(document).Document.Masking.Count, Compile(withoutIt).Document.Masking.Count);
        Assert.Equal(withoutIt, Domain.Training.Calibration.CalibrationSection.Without(withoutIt));
    }
}
