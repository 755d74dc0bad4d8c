using AgentConsole.Domain.Agents;
using AgentConsole.Domain.Tenancy;
using AgentConsole.Domain.Training.Certifications;
using AgentConsole.Domain.Training.Scenarios;
using AgentConsole.Tests.E2E.Pages;
using AgentConsole.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace AgentConsole.Tests.E2E;

/// <summary>
/// In the browser: an operator without the certification an item needs sees it marked in the queue and on its page, with
/// the actions it gates not offered; she passes the track's exam in the sandbox, which grants it, and then approves.
/// Trainers revoke in the register.
/// </summary>
public sealed class CertificationScreenTests(CertificationScreenTests.Host host) : IClassFixture<CertificationScreenTests.Host>
{
    private static readonly Guid PricingQueue = ConsoleFactory.QueueId("pricing-t1");

    [Fact]
    public async Task AnOperatorWithoutTheCertification_IsRefusedTheApproval_PassesTheExam_AndThenApproves()
    {
        var decision = await host.Factory.ProposeAsync(TestCases.UncertainPricing("Browser Certified AB"));
        var page = await host.SignedInPageAsync("operator");
        var queue = new QueuePage(page);
        await queue.OpenAsync(PricingQueue);

        await Assertions.Expect(queue.Row(decision.Id).Locator("[data-testid=needs-certification]")).ToHaveTextAsync("Needs certification pricing-reviewer — you don't hold it");
        await queue.OpenDecisionAsync(decision.Id);
        var actions = page.Locator("[data-testid=decision-actions]");
        await Assertions.Expect(actions.Locator("[data-testid=needs-certification]")).ToContainTextAsync("Needs certification pricing-reviewer — you don't hold it (you have never held it).");
        await Assertions.Expect(actions.Locator("[data-testid=mode-approve]")).ToHaveCountAsync(0);
        await Assertions.Expect(actions.Locator("[data-testid=claim]")).ToHaveCountAsync(0);
        await Assertions.Expect(actions.Locator("[data-testid=mode-escalate]")).ToBeVisibleAsync();

        // She takes the pricing reviewer exam in the sandbox and answers every item as its gold answer says.
        await page.GotoAsync("/learning");
        await Interactive.WaitAsync(page);
        var offer = page.Locator("[data-testid=track-offer]", new() { HasText = "Pricing reviewer" });
        await Assertions.Expect(offer.Locator("[data-testid=offer-standing]")).ToContainTextAsync("Not certified: pricing-reviewer — you have never held it");
        await offer.Locator("[data-testid=start-exam]").ClickAsync();
        await page.WaitForURLAsync("**/learning/sessions/*");
        await Interactive.WaitAsync(page);
        await Assertions.Expect(page.Locator("[data-testid=time-left]")).ToContainTextAsync("left");
        await page.Locator("[data-testid=decision-link]").First.ClickAsync();
        var sandbox = new DecisionPage(page);
        for (var answered = 0; answered < 10; answered++)
        {
            await page.WaitForURLAsync("**/items/*");
            await Interactive.WaitAsync(page);
            await Assertions.Expect(page.Locator("[data-testid=sandbox-chip]")).ToBeVisibleAsync();
            var itemId = page.Url[(page.Url.LastIndexOf('/') + 1)..];
            var (action, discount) = await GoldOfAsync(Guid.Parse(itemId));
            switch (action)
            {
                case GoldAction.Approve:
                    await sandbox.ApproveAsync("Within the discount policy");
                    break;
                case GoldAction.Override:
                    await sandbox.OverrideAsync("discountPercent", discount!, "The discount is off the case's figures");
                    break;
                default:
                    await sandbox.ActAsync(action.ToString().ToLowerInvariant(), "Not what the case supports");
                    break;
            }

            // An exam moves on by itself: to the next item, and after the last to the result.
            await page.WaitForURLAsync(url => !url.EndsWith(itemId, StringComparison.Ordinal));
        }

        await Assertions.Expect(page.Locator("[data-testid=exam-passed]")).ToContainTextAsync("Passed with 100% (pass mark 80%)");
        await Assertions.Expect(page.Locator("[data-testid=score-correct]")).ToHaveTextAsync("10 of 10");

        var decisionPage = new DecisionPage(page);
        await decisionPage.OpenAsync(decision.Id);
        await Assertions.Expect(actions.Locator("[data-testid=needs-certification]")).ToHaveCountAsync(0);
        await decisionPage.ApproveAsync("Within the discount policy");

        await Assertions.Expect(decisionPage.Resolved).ToContainTextAsync("Approved by Olivia Operator");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task ATrainer_RevokesWithAReason_ShownBesideTheFieldWhenMissing_AndTheCodeThenChecksRevoked()
    {
        var page = await host.SignedInPageAsync("trainer");
        var register = new CertificationsPage(page);
        await register.OpenAsync();
        await Assertions.Expect(register.Expiring.Filter(new() { HasText = "Sienna Senior" })).ToHaveCountAsync(1);

        await register.RevokeAsync("Sam Senior", "high-risk-approval", "");
        await Assertions.Expect(register.RevokeForm).ToContainTextAsync("Give the reason for revoking");
        await Assertions.Expect(register.Row("Sam Senior", "high-risk-approval")).ToHaveAttributeAsync("data-status", "Valid");
        await register.SubmitReasonAsync("Missed the annual refresher");

        await Assertions.Expect(register.Row("Sam Senior", "high-risk-approval")).ToHaveAttributeAsync("data-status", "Revoked");
        await Assertions.Expect(register.Row("Sam Senior", "high-risk-approval")).ToContainTextAsync("by Tara Trainer: Missed the annual refresher");

        var code = await CodeOfAsync("senior", "high-risk-approval");
        await page.GotoAsync($"/certificates/verify?code={code}");
        await Assertions.Expect(page.Locator("[data-testid=verify-result]")).ToHaveAttributeAsync("data-status", "Revoked");
        await page.Locator("[data-testid=verify-code]").FillAsync("AAAA-BBBB-CCCC-DDDD-EEEE-FFFFFF");
        await page.Locator("[data-testid=verify-submit]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=verify-error]")).ToContainTextAsync("No certificate has this verification code");
        await page.Context.CloseAsync();
    }

    /// <summary>The gold answer of a sandbox item: its action and, for an override, the discount.</summary>
    private Task<(GoldAction Action, string? Discount)> GoldOfAsync(Guid itemId) => host.Factory.ReadAsync(async db =>
    {
        var scenario = await db.TrainingSessionItems.Where(i => i.Id == itemId).Join(db.TrainingScenarios, i => i.ScenarioId, s => s.Id, (_, s) => s).SingleAsync();
        return (scenario.GoldAction, scenario.GoldValues?["discountPercent"]?.ToString());
    });

    private async Task<string> CodeOfAsync(string userName, string key)
    {
        var user = await host.Factory.Services.GetRequiredService<UserDirectory>().FindAsync(userName) ?? throw new InvalidOperationException(userName);
        await using var scope = host.Factory.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantContext>().Use(DemoData.ContosoId);
        var mine = await scope.ServiceProvider.GetRequiredService<CertificationQueries>().MineAsync(user.User.ToActor());
        return mine.Single(m => m.Certification.Key == key).Code;
    }

    /// <summary>A console of its own on a real port, whose pricing policy asks first-line reviewers for the certification.</summary>
    public sealed class Host : IAsyncLifetime
    {
        private IPlaywright? _playwright;
        private IBrowser? _browser;

        public ConsoleFactory Factory { get; } = new() { Kestrel = true };

        public Task<IPage> SignedInPageAsync(string userName) => Chromium.SignedInPageAsync(_browser!, Factory.ServerAddress, userName);

        public async Task InitializeAsync()
        {
            Factory.Start();
            await PolicyVersions.ActivateAsync(Factory.Services, UseCase.DynamicPricing, Integration.Training.CertificationGateTests.RequireCertificationForLowRisk);
            _playwright = await Playwright.CreateAsync();
            _browser = await Chromium.LaunchAsync(_playwright);
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
