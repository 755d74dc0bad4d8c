using AgentConsole.Domain.Agents;
using AgentConsole.Tests.Infrastructure;

namespace AgentConsole.Tests.Integration.Web;

/// <summary>The real host on its own database, for tests that change which policy is in force.</summary>
public sealed class MaskingWebFixture : IAsyncLifetime
{
    private bool _floorHidden;

    public ConsoleFactory Factory { get; } = new();

    /// <summary>Once: a pricing policy in force that hides the margin floor from operators and auditors, and lets operators reveal it (a class's tests run one at a time).</summary>
    public async Task FloorHiddenFromOperatorsAndAuditorsAsync()
    {
        if (!_floorHidden)
        {
            await PolicyVersions.ActivateAsync(Factory.Services, UseCase.DynamicPricing,
                d => PolicyVersions.WithMasking(d, PolicyVersions.Masking("marginFloorPercent", "Operator, Auditor", "Operator")));
            _floorHidden = true;
        }
    }

    public Task InitializeAsync()
    {
        Factory.Start();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await Factory.DisposeAsync();
}
