using AgentConsole.Domain.Decisions;
using AgentConsole.Domain.Pipelines;
using AgentConsole.Domain.Tenancy;
using AgentConsole.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace AgentConsole.Tests.Integration.Pipelines;

public sealed class FailedAttemptTests
{
    [Fact]
    public async Task AFailingAttempt_IsCounted_WithItsError_AndProposesNothing()
    {
        await using var harness = await DomainHarness.CreateAsync(configure: s => s.Replace(ServiceDescriptor.Singleton<IDecisionRouter, FailingRouter>()));
        var runId = await harness.StartRunAsync(TestCases.UncertainPricing());

        for (var attempt = 0; attempt < 2; attempt++)
        {
            await using var scope = harness.Scope(DemoData.ContosoId);
            await Assert.ThrowsAsync<TimeoutException>(() => scope.ServiceProvider.GetRequiredService<PipelineService>().ProcessRunAsync(runId));
        }

        var run = await harness.WithDbAsync(db => db.Runs.SingleAsync(r => r.Id == runId));
        Assert.Equal(2, run.Attempts);
        Assert.Equal(RunStatus.Running, run.Status);
        Assert.Equal("The routing service did not answer.", run.LastError);
        Assert.False(await harness.WithDbAsync(db => db.Decisions.AnyAsync(d => d.RunId == runId)));
    }

    private sealed class FailingRouter : IDecisionRouter
    {
        public Task<RoutingResult> RouteAsync(AgentConsole.Domain.Persistence.AgentConsoleDbContext db, RoutingRequest request, CancellationToken cancellationToken = default) =>
            throw new TimeoutException("The routing service did not answer.");
    }
}
