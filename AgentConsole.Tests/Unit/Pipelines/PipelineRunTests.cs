using AgentConsole.Domain;
using AgentConsole.Domain.Agents;
using AgentConsole.Domain.Pipelines;

namespace AgentConsole.Tests.Unit.Pipelines;

/// <summary>A run moves through its steps in order and refuses a move its state does not allow, as a decision does.</summary>
public sealed class PipelineRunTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);

    private static PipelineRun NewRun() => new(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), UseCase.DynamicPricing, "Discount", "{}", "{}", null, Now);

    [Fact]
    public void AReviewedRun_IsExecuted_ThenCompleted()
    {
        var run = NewRun();
        run.StartAttempt(Now);
        run.Proposed(Guid.NewGuid(), awaitsReview: true, executable: false, Now);
        run.Reviewed(executable: true, Now);
        run.ExecutionAttemptFailed("Attempt 1: unavailable", Now);
        run.ExecutionSucceeded(Now);

        Assert.Equal(RunStatus.Completed, run.Status);
        Assert.Equal(ExecutionStatus.Succeeded, run.ExecutionStatus);
    }

    [Fact]
    public void Proposed_IsRefused_BeforeAnAttemptStarted()
    {
        var run = NewRun();

        var error = Assert.Throws<DomainException>(() => run.Proposed(Guid.NewGuid(), awaitsReview: true, executable: false, Now));

        Assert.Equal(DomainErrorKind.Conflict, error.Kind);
        Assert.Equal(RunStatus.Pending, run.Status);
    }

    [Fact]
    public void Reviewed_IsRefused_ForARunThatNeverWaitedForReview()
    {
        var run = NewRun();
        run.StartAttempt(Now);
        run.Proposed(Guid.NewGuid(), awaitsReview: false, executable: false, Now);

        Assert.Throws<DomainException>(() => run.Reviewed(executable: true, Now));
        Assert.Equal(RunStatus.Completed, run.Status);
    }

    [Fact]
    public void ExecutionOutcomes_AreRefused_OnceTheExecutionEnded()
    {
        var run = NewRun();
        run.StartAttempt(Now);
        run.Proposed(Guid.NewGuid(), awaitsReview: false, executable: true, Now);
        run.ExecutionSucceeded(Now);

        Assert.Throws<DomainException>(() => run.ExecutionGaveUp(compensated: true, "late", Now));
        Assert.Throws<DomainException>(() => run.ExecutionAttemptFailed("late", Now));
        Assert.Equal(ExecutionStatus.Succeeded, run.ExecutionStatus);
    }

    [Fact]
    public void Fail_AndRedrive_AreRefused_ForACompletedRun()
    {
        var run = NewRun();
        run.StartAttempt(Now);
        run.Proposed(Guid.NewGuid(), awaitsReview: false, executable: false, Now);

        Assert.Throws<DomainException>(() => run.Fail(PipelineRun.ProposeStep, "late", Now));
        Assert.Throws<DomainException>(() => run.Redriven(Now));
    }
}
