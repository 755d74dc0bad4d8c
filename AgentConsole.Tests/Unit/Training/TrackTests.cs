using AgentConsole.Domain;
using AgentConsole.Domain.Training.Tracks;

namespace AgentConsole.Tests.Unit.Training;

public sealed class TrackTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);

    private static TrackSettings Valid => new("pricing-reviewer", "Pricing reviewer", "", "pricing-reviewer", 80, 20, 3, 365);

    [Fact]
    public void Settings_NameEachWrongField()
    {
        var errors = new TrackSettings("Pricing Reviewer!", " ", new string('x', 2001), "", 0, 600, 0, 4000).Validate();

        Assert.Equal(
            ["attemptsAllowed", "certificationKey", "description", "key", "name", "passMarkPercent", "timeLimitMinutes", "validityDays"],
            errors.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("The pass mark is a percentage between 1 and 100.", errors["passMarkPercent"][0]);
    }

    [Fact]
    public void Create_IsRefused_WithTheFieldsNamed()
    {
        var ex = Assert.Throws<DomainException>(() => new Track(Guid.NewGuid(), Guid.NewGuid(), Valid with { PassMarkPercent = 101 }, "t", Now));

        Assert.Equal(DomainErrorKind.Invalid, ex.Kind);
        Assert.Equal(["passMarkPercent"], ex.FieldErrors.Keys);
    }

    [Fact]
    public void Publish_IsRefused_ForAnExerciseWithoutScenarios()
    {
        var track = new Track(Guid.NewGuid(), Guid.NewGuid(), Valid, "t", Now);
        Assert.Equal("training.track-empty", Assert.Throws<DomainException>(() => track.Publish(Now)).Code);

        track.AddExercise(Guid.NewGuid(), "Discounts", "", Now);
        Assert.Equal("training.track-empty", Assert.Throws<DomainException>(() => track.Publish(Now)).Code);
        Assert.Equal(TrackState.Draft, track.State);
    }
}
