using AgentConsole.Domain.Agents;
using AgentConsole.Domain.Decisions;
using AgentConsole.Domain.Pipelines;
using AgentConsole.Tests.Infrastructure;
using AgentConsole.Web.Decisions.Components;
using Bunit;
using Microsoft.Extensions.DependencyInjection;

namespace AgentConsole.Tests.Components;

/// <summary>The pipeline run under a decision says in plain words where its action stands.</summary>
public sealed class DecisionRunTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);

    private static PipelineRun NewRun()
    {
        var run = new PipelineRun(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), UseCase.DynamicPricing, "Discount", "{}", "{}", null, Now);
        run.StartAttempt(Now);
        return run;
    }

    private static async Task<(ComponentTestContext Ctx, Decision Decision)> PendingDecisionAsync()
    {
        var ctx = await ComponentTestContext.CreateAsync();
        return (ctx, await ctx.Harness.ProposeAsync(TestCases.UncertainPricing("Run Words AG")));
    }

    [Fact]
    public async Task WhileTheDecisionWaits_ExecutionComesAfterApproval_AndNothingSaysPendingOrNotRequired()
    {
        var (ctx, decision) = await PendingDecisionAsync();
        await using var _ = ctx;
        var run = NewRun();
        run.Proposed(decision.Id, awaitsReview: true, executable: false, Now);

        var view = ctx.Bunit.Render<DecisionRun>(p => p.Add(c => c.Run, run).Add(c => c.Decision, decision));

        Assert.Equal("execute: after approval", view.Find("[data-testid=step-execute]").TextContent.Trim());
        Assert.Equal("review: waiting for a reviewer", view.Find("[data-testid=step-review]").TextContent.Trim());
        Assert.Contains("once a reviewer approves it", view.Find("[data-testid=run-execution]").TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("NotRequired", view.Markup, StringComparison.Ordinal);
        Assert.DoesNotContain(": Pending", view.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AFailedAttemptThatWillBeRetried_IsAWarningThatSaysSo_NotAnError()
    {
        var (ctx, decision) = await PendingDecisionAsync();
        await using var _ = ctx;
        var run = NewRun();
        run.Proposed(decision.Id, awaitsReview: true, executable: false, Now);
        run.Reviewed(executable: true, Now);
        run.ExecutionAttemptFailed("Attempt 1: Simulated ERP is unavailable (HTTP 503)", Now);

        var view = ctx.Bunit.Render<DecisionRun>(p => p.Add(c => c.Run, run).Add(c => c.Decision, decision));

        var line = view.Find("[data-testid=run-execution]");
        Assert.Contains("Simulated ERP is unavailable (HTTP 503). AgentConsole retries by itself (up to 4 attempts)", line.TextContent, StringComparison.Ordinal);
        Assert.Contains("mud-warning-text", line.ClassName, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WhenRetriesRunOut_ItIsAnError_ThatSaysTheActionWasNotCarriedOut()
    {
        var (ctx, decision) = await PendingDecisionAsync();
        await using var _ = ctx;
        var run = NewRun();
        run.Proposed(decision.Id, awaitsReview: true, executable: false, Now);
        run.Reviewed(executable: true, Now);
        run.ExecutionGaveUp(compensated: true, "Gave up after 4 attempts: Simulated ERP is unavailable (HTTP 503) The partial posting was reversed.", Now);

        var view = ctx.Bunit.Render<DecisionRun>(p => p.Add(c => c.Run, run).Add(c => c.Decision, decision));

        var line = view.Find("[data-testid=run-execution]");
        Assert.StartsWith("Not carried out.", line.TextContent.Trim(), StringComparison.Ordinal);
        Assert.Contains("mud-error-text", line.ClassName, StringComparison.Ordinal);
    }
}
