using AgentConsole.Tests.E2E.Pages;
using AgentConsole.Tests.Infrastructure;
using Microsoft.Playwright;

namespace AgentConsole.Tests.E2E;

/// <summary>An operator follows a queue item to its decision and on to the run's trace, and back.</summary>
[Collection(BrowserCollection.Name)]
public sealed class TraceScreenTests(BrowserFixture fixture)
{
    [Fact]
    public async Task FromAQueueItem_ToItsDecision_ViewTrace_ShowsTheRunsSpansAsAWaterfall()
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

        await trace.ChooseAsync("invoke_agent builtin:pricing/1");
        await Assertions.Expect(trace.Details.Locator("tr[data-key='gen_ai.request.model'] td")).ToHaveTextAsync("builtin:pricing/1");
        await Assertions.Expect(trace.Details.Locator("tr[data-key='gen_ai.operation.name'] td")).ToHaveTextAsync("invoke_agent");

        await trace.BackToDecisionAsync();
        Assert.EndsWith($"/decisions/{decision.Id}", olivia.Url, StringComparison.Ordinal);
        await olivia.Context.CloseAsync();
    }
}
