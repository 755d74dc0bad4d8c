using AgentConsole.Domain.Execution;
using AgentConsole.Domain.Traces;
using AgentConsole.Tests.E2E.Pages;
using AgentConsole.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Playwright;

namespace AgentConsole.Tests.E2E;

/// <summary>
/// An operator follows a queue item to its decision and on to the run's trace, and back; approves it, the execution
/// fails, and the trace shows the failure highlighted; the decision's lineage shows her review and leads back to the trace.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class TraceScreenTests(BrowserFixture fixture)
{
    [Fact]
    public async Task FromAQueueItem_ToItsDecision_ViewTrace_ShowsTheRunsSpansAsAWaterfall_WithAFailureHighlighted()
    {
        var olivia = await fixture.SignedInPageAsync("operator");
        var decision = await fixture.Factory.ProposeAsync(TestCases.UncertainPricing("Trace Screen Oy"));
        var queue = new QueuePage(olivia);
        await queue.OpenAsync(ConsoleFactory.QueueId("pricing-t1"));
        await queue.WaitForRowAsync(decision.Id, 5_000);
        await queue.OpenDecisionAsync(decision.Id);

        var trace = new TraceScreen(olivia);
        await trace.OpenFromDecisionAsync();

        foreach (var span in new[] { "intake pricing", "job ProposeAsync", "pipeline run", "step propose", "invoke_agent builtin:pricing/1", "step route", "policy evaluate" })
        {
            await Assertions.Expect(trace.Row(span)).ToBeVisibleAsync();
        }

        await Assertions.Expect(trace.Errors).ToHaveCountAsync(0);
        await trace.ChooseAsync("invoke_agent builtin:pricing/1");
        await Assertions.Expect(trace.Details.Locator("tr[data-key='gen_ai.request.model'] td")).ToHaveTextAsync("builtin:pricing/1");
        await Assertions.Expect(trace.Details.Locator("tr[data-key='gen_ai.operation.name'] td")).ToHaveTextAsync("invoke_agent");

        await trace.BackToDecisionAsync();
        Assert.EndsWith($"/decisions/{decision.Id}", olivia.Url, StringComparison.Ordinal);

        // She approves; the ERP refuses every attempt. The trace shows her review joined in and the failed calls highlighted.
        var attempts = fixture.Factory.Services.GetRequiredService<IOptions<ExecutionOptions>>().Value.MaxAttempts;
        fixture.Factory.Services.GetRequiredService<SimulatedErpFaults>().FailNext(attempts, ErpFault.FailBeforeApply);
        var decisionPage = new DecisionPage(olivia);
        await decisionPage.ApproveAsync("Within the margin floor");
        await Assertions.Expect(decisionPage.Resolved).ToContainTextAsync("Approved by Olivia Operator");
        await fixture.Factory.WaitForAsync(db => db.StoredSpans.FirstOrDefaultAsync(s => s.DecisionId == decision.Id && s.Name == "step execute" && s.Status == SpanStatus.Error), seconds: 30);

        await trace.OpenFromDecisionAsync();
        await Assertions.Expect(trace.ErrorSummary).ToContainTextAsync("failed");
        await Assertions.Expect(trace.Errors.First).ToBeVisibleAsync();
        await Assertions.Expect(trace.Row("execute Simulated ERP").First).ToHaveAttributeAsync("data-status", "Error");
        await Assertions.Expect(trace.Row("review approve")).ToHaveAttributeAsync("data-linked", "true");
        // The first failed span is chosen, its error beside the waterfall.
        await Assertions.Expect(trace.Details.Locator("[data-testid=span-error]")).ToBeVisibleAsync();

        await trace.BackToDecisionAsync();
        Assert.EndsWith($"/decisions/{decision.Id}", olivia.Url, StringComparison.Ordinal);

        // From the decision to its lineage: her review with its reason, the execution that failed, and back to the trace.
        await olivia.Locator("[data-testid=lineage-link]").ClickAsync();
        await olivia.WaitForURLAsync(url => url.EndsWith($"/decisions/{decision.Id}/lineage", StringComparison.Ordinal));
        await Assertions.Expect(olivia.Locator("[data-testid=lineage-review-reason]", new() { HasText = "Within the margin floor" })).ToHaveCountAsync(1);
        await Assertions.Expect(olivia.Locator("[data-testid=lineage-review]").Last).ToContainTextAsync("Olivia Operator");
        await Assertions.Expect(olivia.Locator("[data-testid=lineage-execution-status]")).ToBeVisibleAsync();
        await Screens.SaveAsync(olivia, "trace-lineage");
        await olivia.Locator("[data-testid=lineage-run-trace]").ClickAsync();
        await olivia.WaitForURLAsync(url => new Uri(url).AbsolutePath.StartsWith("/traces/", StringComparison.Ordinal));
        await Assertions.Expect(trace.Row("pipeline run")).ToBeVisibleAsync();
        await olivia.Context.CloseAsync();
    }
}
