using AgentConsole.Web.Components;

namespace AgentConsole.Tests.Unit.Web;

public sealed class TimeTextTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(42, "in 42 min")]
    [InlineData(-5, "overdue 5 min")]
    [InlineData(125, "in 2 h 5 min")]
    [InlineData(0.5, "in <1 min")]
    public void Due_IsRelativeToNow(double minutes, string expected) =>
        Assert.Equal(expected, TimeText.Due(Now.AddMinutes(minutes), Now));

    [Fact]
    public void Due_OfNothing_IsADash() => Assert.Equal("—", TimeText.Due(null, Now));

    [Theory]
    [InlineData(0.2, "just now")]
    [InlineData(7, "7 min ago")]
    [InlineData(180, "3 h 0 min ago")]
    [InlineData(3000, "2026-11-22 10:00 UTC")]
    public void Ago_IsRelativeForADay_ThenADate(double minutes, string expected) =>
        Assert.Equal(expected, TimeText.Ago(Now.AddMinutes(-minutes), Now));
}
