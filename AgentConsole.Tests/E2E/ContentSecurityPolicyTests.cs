using AgentConsole.Tests.E2E.Pages;
using AgentConsole.Tests.Infrastructure;
using Microsoft.Playwright;

namespace AgentConsole.Tests.E2E;

/// <summary>
/// The console works under its Content-Security-Policy in a real browser: every main page loads, the Blazor
/// circuit connects over a same-origin WebSocket and carries actions, and the browser reports no violation.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ContentSecurityPolicyTests(BrowserFixture fixture)
{
    private static readonly Guid PricingQueue = ConsoleFactory.QueueId("pricing-t1");

    [Fact]
    public async Task MainPages_LoadAndWork_WithoutAPolicyViolation()
    {
        var decision = await fixture.Factory.ProposeAsync(TestCases.UncertainPricing("Policy Check Oy"));

        // Olivia signs in, walks through the queues to a decision and approves it through the circuit.
        var (olivia, violations) = await NewProfileAsync();
        var webSockets = new List<string>();
        olivia.WebSocket += (_, socket) => webSockets.Add(socket.Url);
        var signIn = await olivia.GotoAsync("/account/login");
        Assert.Contains("script-src 'self' 'nonce-", await signIn!.HeaderValueAsync("content-security-policy"), StringComparison.Ordinal);
        await new SignInPage(olivia).SignInAsDemoUserAsync("operator");
        await OpenAsync(olivia, "/queues", "[data-testid=queue-card]");
        await new QueuePage(olivia).OpenAsync(PricingQueue);
        var decisionPage = new DecisionPage(olivia);
        await decisionPage.OpenAsync(decision.Id);
        await decisionPage.ApproveAsync("Within the discount policy");
        await Assertions.Expect(decisionPage.Resolved).ToContainTextAsync("Approved by Olivia Operator");
        await olivia.Locator("[data-testid=dark-mode]").ClickAsync();
        await Assertions.Expect(olivia.Locator("[data-testid=dark-mode]")).ToHaveAttributeAsync("title", "Light mode");
        Assert.Contains(webSockets, url => url.StartsWith($"ws://{fixture.Factory.ServerAddress.Authority}/_blazor", StringComparison.Ordinal));

        // Paula opens the policies, a scope and a new draft in the editor, and edits it.
        var (paula, paulaViolations) = await NewProfileAsync();
        await new SignInPage(paula).SignInAsDemoUserAsync("author");
        var policies = new PolicyPages(paula);
        await policies.OpenScopeAsync("Contract review");
        await paula.Locator("[data-testid=new-draft]").ClickAsync();
        var yaml = paula.Locator("[data-testid=policy-yaml]");
        await yaml.WaitForAsync();
        await Interactive.WaitAsync(paula);
        await yaml.FillAsync((await yaml.InputValueAsync()) + "\n");
        await Assertions.Expect(paula.Locator("[data-testid=valid]")).ToBeVisibleAsync();

        // Ada opens the job dashboard and a few of its pages, which poll their figures by script.
        var (ada, adaViolations) = await NewProfileAsync();
        await new SignInPage(ada).SignInAsDemoUserAsync("admin");
        foreach (var path in new[] { "/hangfire", "/hangfire/jobs/succeeded", "/hangfire/recurring", "/hangfire/servers" })
        {
            var response = await ada.GotoAsync(path);
            Assert.Equal(200, response!.Status);
            Assert.Contains("default-src 'self'", await response.HeaderValueAsync("content-security-policy"), StringComparison.Ordinal);
            await ada.Locator("#stats, .js-page-container, .page-header").First.WaitForAsync();
        }

        await ada.WaitForTimeoutAsync(2_500); // The dashboard's first figures refresh by script after 2 s.

        var reports = violations.Reports.Concat(paulaViolations.Reports).Concat(adaViolations.Reports).ToList();
        Assert.True(reports.Count == 0, "The browser reported:\n" + string.Join("\n", reports));
        await olivia.Context.CloseAsync();
        await paula.Context.CloseAsync();
        await ada.Context.CloseAsync();
    }

    [Fact]
    public async Task InjectedInlineScript_IsBlockedAndReported()
    {
        var (page, violations) = await NewProfileAsync();
        await new SignInPage(page).SignInAsDemoUserAsync("operator");

        await page.EvaluateAsync("""
            () => {
                const script = document.createElement('script');
                script.textContent = 'window.injected = true;';
                document.body.appendChild(script);
            }
            """);

        await Assertions.Expect(page.Locator("body")).ToBeVisibleAsync();
        Assert.False(await page.EvaluateAsync<bool>("() => window.injected === true"));
        await WaitForAsync(() => violations.Reports.Any(r => r.Contains("script-src", StringComparison.Ordinal)));
        await page.Context.CloseAsync();
    }

    private async Task<(IPage Page, PolicyViolations Violations)> NewProfileAsync()
    {
        var context = await fixture.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = fixture.Factory.ServerAddress.ToString(),
            ViewportSize = new ViewportSize { Width = 1400, Height = 900 },
        });
        var violations = await PolicyViolations.WatchAsync(context);
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(30_000);
        return (page, violations);
    }

    private static async Task OpenAsync(IPage page, string path, string marker)
    {
        await page.GotoAsync(path);
        await Interactive.WaitAsync(page);
        await page.Locator(marker).First.WaitForAsync();
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "The browser reported no violation within 10 s.");
            await Task.Delay(50);
        }
    }
}
