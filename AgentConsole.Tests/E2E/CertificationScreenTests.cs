using AgentConsole.Domain.Agents;
using AgentConsole.Domain.Tenancy;
using AgentConsole.Domain.Training.Certifications;
using AgentConsole.Tests.E2E.Pages;
using AgentConsole.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace AgentConsole.Tests.E2E;

/// <summary>
/// In the browser: an operator without the certification an item needs sees it marked in the queue and on its page, with
/// the actions it gates not offered; once a passed exam grants it, she approves. Trainers revoke in the register.
/// </summary>
public sealed class CertificationScreenTests(CertificationScreenTests.Host host) : IClassFixture<CertificationScreenTests.Host>
{
    private static readonly Guid PricingQueue = ConsoleFactory.QueueId("pricing-t1");

    [Fact]
    public async Task AnOperatorWithoutTheCertification_SeesTheItemMarked_AndCannotApprove_UntilItIsGranted()
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

        // She passes the exam: the exam grants the certification through the Domain service.
        await GrantAsync("operator");
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

    private async Task GrantAsync(string userName)
    {
        var user = await host.Factory.Services.GetRequiredService<UserDirectory>().FindAsync(userName) ?? throw new InvalidOperationException(userName);
        await using var scope = host.Factory.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantContext>().Use(DemoData.ContosoId);
        await scope.ServiceProvider.GetRequiredService<CertificationGrants>().GrantAsync(Actor.System(DemoData.ContosoId, "exam"), user.User.Id.ToString(),
            new CertificationGrant("pricing-reviewer", "Pricing reviewer", TimeSpan.FromDays(365), "Pricing reviewer track", 90m), "Passed the pricing reviewer exam");
    }

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
