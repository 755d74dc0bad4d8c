using AgentConsole.Domain.Pipelines;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AgentConsole.Domain.Tenancy;

/// <summary>
/// The demo of the embedded default, kept alive one tick at a time: in every tenant the business feed adds
/// cases for the agents whose queues have room (<see cref="CaseFeed"/>), and the demo colleagues work the
/// queues nobody signed in is working (<see cref="DemoColleagues"/>). A timer calls <see cref="TickAsync(CancellationToken)"/>
/// where the job server runs; a test calls it with an accelerated clock.
/// </summary>
public sealed class LiveDemo(IServiceScopeFactory scopes, UserDirectory directory, IOptions<DemoOptions> options)
{
    /// <summary>One tick in every tenant.</summary>
    public async Task TickAsync(CancellationToken cancellationToken = default)
    {
        foreach (var tenant in await directory.TenantsAsync(cancellationToken))
        {
            await TickAsync(tenant.Id, cancellationToken);
        }
    }

    /// <summary>One tick in one tenant: the feed first, then the colleagues.</summary>
    public async Task TickAsync(Guid tenantId, CancellationToken cancellationToken = default)
    {
        var o = options.Value;
        await using var scope = scopes.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantContext>().Use(tenantId);
        await scope.ServiceProvider.GetRequiredService<CaseFeed>().FeedAsync(o.CasesPerTick, o.MaxOpenPerQueue, cancellationToken);
        if (o.Colleagues)
        {
            await scope.ServiceProvider.GetRequiredService<DemoColleagues>().TickAsync(cancellationToken);
        }
    }
}
