using AgentConsole.Domain.Agents.Pause;
using AgentConsole.Domain.Persistence;
using AgentConsole.Domain.Tenancy;
using AgentConsole.Tests.E2E.Pages;
using AgentConsole.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace AgentConsole.Tests.E2E;

/// <summary>
/// In the browser: the circuit breaker pauses an agent and a senior with the queues overview open sees the alert arrive
/// without a reload; another senior resumes the agent on its page (refused without a reason, the message beside the
/// field), and the alert leaves the first senior's screen.
/// </summary>
public sealed class AgentPauseScreenTests(AgentPauseScreenTests.Host host) : IClassFixture<AgentPauseScreenTests.Host>
{
    private const string Figures = "overrides 9 of 20 (45%) in the last hour, above the policy's 30%";

    [Fact]
    public async Task TheBreakersAlert_ArrivesLive_AndLeavesWhenASeniorResumesTheAgent()
    {
        var watching = await host.SignedInPageAsync("senior2");
        var overview = new QueuesOverviewPage(watching);
        await overview.OpenAsync();
        await Assertions.Expect(overview.BreakerAlert("pricing")).ToHaveCountAsync(0);

        await host.TripAsync("pricing", Figures);
        await Assertions.Expect(overview.BreakerAlert("pricing")).ToContainTextAsync($"The circuit breaker paused Quote Discount Advisor");
        await Assertions.Expect(overview.BreakerAlert("pricing")).ToContainTextAsync(Figures);

        var acting = await host.SignedInPageAsync("senior");
        var agent = new AgentPage(acting);
        await agent.OpenAsync("pricing");
        await Assertions.Expect(agent.State).ToContainTextAsync("is paused by circuit breaker");
        await Assertions.Expect(agent.State).ToContainTextAsync("none is auto-approved");
        await agent.SubmitAsync("");
        await Assertions.Expect(agent.Panel).ToContainTextAsync("A reason is required to resume an agent");
        await agent.SubmitAsync("Overrides checked: a price list error, fixed");
        await Assertions.Expect(agent.State).ToContainTextAsync("Quote Discount Advisor is running.");

        await Assertions.Expect(overview.BreakerAlert("pricing")).ToHaveCountAsync(0);
        await acting.Context.CloseAsync();
        await watching.Context.CloseAsync();
    }

    /// <summary>A console of its own on a real port.</summary>
    public sealed class Host : IAsyncLifetime
    {
        private IPlaywright? _playwright;
        private IBrowser? _browser;

        public ConsoleFactory Factory { get; } = new() { Kestrel = true };

        public Task<IPage> SignedInPageAsync(string userName) => Chromium.SignedInPageAsync(_browser!, Factory.ServerAddress, userName);

        public async Task InitializeAsync()
        {
            Factory.Start();
            _playwright = await Playwright.CreateAsync();
            _browser = await Chromium.LaunchAsync(_playwright);
        }

        /// <summary>The breaker's own pause, through the product's service, as after a resolution over the limit.</summary>
        public async Task TripAsync(string agentKey, string reason)
        {
            await using var scope = Factory.Services.CreateAsyncScope();
            scope.ServiceProvider.GetRequiredService<TenantContext>().Use(DemoData.ContosoId);
            await using var db = scope.ServiceProvider.GetRequiredService<IAgentConsoleDbFactory>().Create();
            var agent = await db.Agents.SingleAsync(a => a.Key == agentKey);
            Assert.True(await scope.ServiceProvider.GetRequiredService<AgentPauseService>().PauseByBreakerAsync(db, agent, reason, default));
        }

        public async Task DisposeAsync()
        {
            if (_browser is not null)
            {
                await _browser.DisposeAsync();
            }

            _playwright?.Dispose();
            await Factory.DisposeAsync();
        }
    }
}
