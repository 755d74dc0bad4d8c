using AgentConsole.Domain.Policies;
using static AgentConsole.Tests.Unit.Policies.PolicyFixtures;

namespace AgentConsole.Tests.Unit.Policies;

/// <summary>The policy's agentPause and circuitBreaker sections: read into their compiled form, bad values refused with line and column.</summary>
public sealed class AgentPauseSectionTests
{
    /// <summary>agentPause on line 3, circuitBreaker on line 5, one setting a line.</summary>
    private static string Sections(string whilePaused = "hold", string window = "1h", string minimum = "20", string? overrides = "0.3", string? rejections = "0.3") =>
        PricingDocument($"""
            agentPause:
              whilePaused: {whilePaused}
            circuitBreaker:
              window: {window}
              minDecisions: {minimum}
            {(overrides is null ? "" : $"  maxOverrideRate: {overrides}")}
            {(rejections is null ? "" : $"  maxRejectionRate: {rejections}")}
            """);

    [Fact]
    public void TheSections_CompileIntoTheirSettings()
    {
        var document = Compile(Sections()).Document;

        Assert.Equal(WhilePaused.Hold, document.PauseOrDefault.WhilePaused);
        Assert.Equal(new CircuitBreakerSettings(TimeSpan.FromHours(1), 20, 0.3, 0.3), document.CircuitBreaker);
    }

    [Fact]
    public void NoSections_MeanReviewWhilePaused_AndNoBreaker()
    {
        var document = Compile(PricingDocument()).Document;

        Assert.Equal(WhilePaused.Review, document.PauseOrDefault.WhilePaused);
        Assert.Null(document.CircuitBreaker);
    }

    [Fact]
    public void AnUnknownPauseMode_ListsTheChoicesAtItsLine()
    {
        var problem = Assert.Single(Problems(Sections(whilePaused: "skip")));

        Assert.Equal((4, 16), (problem.Line, problem.Column));
        Assert.Equal("agentPause.whilePaused must be one of: review, hold.", problem.Message);
    }

    [Fact]
    public void ARateAboveOne_IsRefusedAtTheValue()
    {
        var problem = Assert.Single(Problems(Sections(overrides: "1.5")));

        Assert.Equal((8, 20), (problem.Line, problem.Column));
        Assert.Equal("circuitBreaker.maxOverrideRate must be at most 1.", problem.Message);
    }

    [Fact]
    public void ARateOfZero_IsRefused()
    {
        var problem = Assert.Single(Problems(Sections(rejections: "0")));

        Assert.Equal(9, problem.Line);
        Assert.Contains("circuitBreaker.maxRejectionRate", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AWindowTooShort_IsRefusedAtTheValue()
    {
        var problem = Assert.Single(Problems(Sections(window: "5m")));

        Assert.Equal((6, 11), (problem.Line, problem.Column));
        Assert.Equal("The window must be between 10m and 30d; 5m is too short to hold enough resolutions.", problem.Message);
    }

    [Fact]
    public void ABreakerWithoutARate_IsRefusedAtTheSection()
    {
        var problem = Assert.Single(Problems(Sections(overrides: null, rejections: null)));

        Assert.Equal((5, 1), (problem.Line, problem.Column));
        Assert.Equal("The circuit breaker needs maxOverrideRate, maxRejectionRate or both: the rate above which the agent is paused.", problem.Message);
    }

    [Fact]
    public void AMinimumOfZero_IsRefusedAtTheValue()
    {
        var problem = Assert.Single(Problems(Sections(minimum: "0")));

        Assert.Equal(7, problem.Line);
        Assert.Equal("circuitBreaker.minDecisions must be at least 1.", problem.Message);
    }
}
