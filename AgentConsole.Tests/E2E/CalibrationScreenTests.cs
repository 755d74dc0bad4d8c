using AgentConsole.Domain.Agents;
using AgentConsole.Domain.Decisions;
using AgentConsole.Domain.Tenancy;
using AgentConsole.Domain.Training.Calibration;
using AgentConsole.Domain.Training.Scenarios;
using AgentConsole.Tests.E2E.Pages;
using AgentConsole.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace AgentConsole.Tests.E2E;

/// <summary>
/// In the browser: an operator paused by a run of wrong answers to gold items sees why on her queue and on the decision
/// page, with no claim or verdict offered; a trainer sees her paused on the dashboard and clears the pause with a reason
/// (refused without one), after which she claims again.
/// </summary>
public sealed class CalibrationScreenTests(CalibrationScreenTests.Host host) : IClassFixture<CalibrationScreenTests.Host>
{
    private static readonly Guid PricingQueue = ConsoleFactory.QueueId("pricing-t1");

    [Fact]
    public async Task APausedOperator_SeesWhy_AndATrainerClearsThePause_AfterWhichSheClaimsAgain()
    {
        await host.PauseAsync("operator");
        var decision = await host.Factory.ProposeAsync(TestCases.UncertainPricing("Browser Calibration AB"));

        var page = await host.SignedInPageAsync("operator");
        var queue = new QueuePage(page);
        await queue.OpenAsync(PricingQueue);
        await Assertions.Expect(page.Locator("[data-testid=queue-paused]")).ToContainTextAsync("You are paused from low-, medium-, high- and critical-risk dynamic pricing decisions");
        await Assertions.Expect(queue.Row(decision.Id).Locator("[data-testid=paused-from-item]")).ToHaveTextAsync("Paused from low-risk items");
        await queue.OpenDecisionAsync(decision.Id);
        var actions = page.Locator("[data-testid=decision-actions]");
        await Assertions.Expect(actions.Locator("[data-testid=calibration-paused]")).ToContainTextAsync("A trainer must clear the pause.");
        await Assertions.Expect(actions.Locator("[data-testid=claim]")).ToHaveCountAsync(0);
        await Assertions.Expect(actions.Locator("[data-testid=mode-approve]")).ToHaveCountAsync(0);

        var trainerPage = await host.SignedInPageAsync("trainer");
        var dashboard = new CalibrationPage(trainerPage);
        await dashboard.OpenAsync();
        await Assertions.Expect(dashboard.Paused("Olivia Operator")).ToContainTextAsync("accuracy 0% over the last 3 gold items (7 days), below the policy's 60%");
        await Assertions.Expect(dashboard.Operator("Olivia Operator").Locator("[data-testid=operator-accuracy]")).ToHaveTextAsync("0 %");
        await dashboard.ClearAsync("Olivia Operator", "");
        await Assertions.Expect(dashboard.ClearForm).ToContainTextAsync("Give the reason for clearing the pause");
        await dashboard.SubmitReasonAsync("Retrained on margin floors");
        await Assertions.Expect(dashboard.NobodyPaused).ToBeVisibleAsync();

        var decisionPage = new DecisionPage(page);
        await decisionPage.OpenAsync(decision.Id);
        await Assertions.Expect(actions.Locator("[data-testid=calibration-paused]")).ToHaveCountAsync(0);
        await Assertions.Expect(actions.Locator("[data-testid=claim]")).ToBeVisibleAsync();
        await trainerPage.Context.CloseAsync();
        await page.Context.CloseAsync();
    }

    /// <summary>A console of its own on a real port, whose pricing policy pauses after three gold answers, from every risk level.</summary>
    public sealed class Host : IAsyncLifetime
    {
        private static readonly TimeSpan Slot = TimeSpan.FromMinutes(30);
        private readonly ManualClock _clock = new(GoldItemSeeding.SlotOf(DateTimeOffset.UtcNow, Slot) + TimeSpan.FromMinutes(25));
        private IPlaywright? _playwright;
        private IBrowser? _browser;

        public Host() => Factory = new() { Kestrel = true, ReplaceServices = s => s.AddSingleton<TimeProvider>(_clock) };

        public ConsoleFactory Factory { get; }

        public Task<IPage> SignedInPageAsync(string userName) => Chromium.SignedInPageAsync(_browser!, Factory.ServerAddress, userName);

        public async Task InitializeAsync()
        {
            Factory.Start();
            await PolicyVersions.ActivateAsync(Factory.Services, UseCase.DynamicPricing, d => d
                .Replace("minimumAnswers: 5", "minimumAnswers: 3", StringComparison.Ordinal)
                .Replace("pauseFrom: [medium, high, critical]", "pauseFrom: [low, medium, high, critical]", StringComparison.Ordinal));
            _playwright = await Playwright.CreateAsync();
            _browser = await Chromium.LaunchAsync(_playwright);
        }

        /// <summary>Three gold items seeded and answered wrongly by the person, through the product's own services.</summary>
        public async Task PauseAsync(string userName)
        {
            var person = (await Factory.Services.GetRequiredService<UserDirectory>().FindAsync(userName))!.Value.User.ToActor();
            for (var i = 0; i < 3; i++)
            {
                _clock.Advance(Slot);
                await using var scope = Factory.Services.CreateAsyncScope();
                scope.ServiceProvider.GetRequiredService<TenantContext>().Use(DemoData.ContosoId);
                await scope.ServiceProvider.GetRequiredService<GoldItemSeeding>().SeedDueAsync();
                await using var db = scope.ServiceProvider.GetRequiredService<Domain.Persistence.IAgentConsoleDbFactory>().Create();
                var gold = await db.GoldItems.AsNoTracking().OrderByDescending(g => g.SlotStart).FirstAsync();
                var decisions = scope.ServiceProvider.GetRequiredService<DecisionService>();
                await decisions.ClaimAsync(gold.DecisionId, person);
                _ = gold.GoldAction == GoldAction.Approve
                    ? await decisions.RejectAsync(gold.DecisionId, person, "Not justified")
                    : await decisions.ApproveAsync(gold.DecisionId, person, "Within policy");
            }
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
