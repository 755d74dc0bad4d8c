using AgentConsole.Domain;
using AgentConsole.Web.Components;

namespace AgentConsole.Tests.Unit.Web;

public sealed class PendingActionTests
{
    [Fact]
    public async Task RunAsync_IsBusyWhileTheActionRuns_AndClearsTheLastError()
    {
        var action = new PendingAction { Error = "an earlier refusal" };
        var sawBusy = false;

        var done = await action.RunAsync(() =>
        {
            sawBusy = action.Busy;
            return Task.CompletedTask;
        });

        Assert.True(done);
        Assert.True(sawBusy);
        Assert.False(action.Busy);
        Assert.Null(action.Error);
    }

    [Fact]
    public async Task RunAsync_SaysWhyADomainRuleRefused_AndKeepsTheRefusal()
    {
        var action = new PendingAction();

        var done = await action.RunAsync(() => throw DomainException.Conflict("test.conflict", "Someone else acted first."));

        Assert.False(done);
        Assert.Equal("Someone else acted first.", action.Error);
        Assert.Equal(DomainErrorKind.Conflict, action.Refusal!.Kind);
        Assert.False(action.Busy);
    }

    [Fact]
    public async Task RunAsync_LetsAnUnexpectedFailureThrough()
    {
        var action = new PendingAction();

        await Assert.ThrowsAsync<InvalidOperationException>(() => action.RunAsync(() => throw new InvalidOperationException("bug")));
        Assert.False(action.Busy);
    }
}
