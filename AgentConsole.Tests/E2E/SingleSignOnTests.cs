using AgentConsole.Domain.Decisions;
using AgentConsole.Domain.Tenancy;
using AgentConsole.Tests.E2E.Pages;
using AgentConsole.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace AgentConsole.Tests.E2E;

/// <summary>
/// A person signs in through the provider's real authorization-code flow (PKCE) in a browser, is provisioned, works a
/// decision and signs out of the console and the provider.
/// </summary>
[Collection(SingleSignOnCollection.Name)]
public sealed class SingleSignOnTests(SingleSignOnFixture fixture)
{
    [Fact]
    public async Task Person_SignsInThroughTheProvider_WorksADecision_AndSignsOutOfBoth()
    {
        var decision = await fixture.Console.ProposeAsync(TestCases.UncertainPricing("Single Sign-On AG"));
        var page = await NewPageAsync();
        var console = new SingleSignOnPage(page);
        var provider = new ProviderLoginPage(page);

        await console.StartAsync($"/decisions/{decision.Id}");
        await Screens.SaveAsync(page, "provider-login");
        await provider.SignInAsync(SingleSignOnFixture.Olivia.UserName);
        var decisionPage = new DecisionPage(page);
        await page.WaitForURLAsync(url => url.EndsWith($"/decisions/{decision.Id}", StringComparison.Ordinal));
        await decisionPage.OpenAsync(decision.Id);
        await Assertions.Expect(page.Locator("[data-testid=user-name]")).ToContainTextAsync("Olivia Oidc");
        await decisionPage.ClaimAsync();
        await decisionPage.ApproveAsync("Checked after signing in through the provider");
        await Assertions.Expect(decisionPage.Resolved).ToContainTextAsync("Approved by Olivia Oidc");

        var account = await fixture.Console.ReadAsync(db => db.Users.AsNoTracking().SingleAsync(u => u.Subject == SingleSignOnFixture.Olivia.Subject));
        Assert.Equal(AppUserKind.Person, account.Kind);
        Assert.Equal(fixture.Provider.Issuer.ToString().TrimEnd('/'), account.Issuer);
        Assert.Equal([Roles.Operator], account.ProviderRoles);
        Assert.Equal("olivia@example.com", account.Email);
        Assert.NotNull(account.LastSignInAt);
        Assert.Equal(DecisionStatus.Approved, (await fixture.Console.ReadAsync(db => db.Decisions.AsNoTracking().SingleAsync(d => d.Id == decision.Id))).Status);

        await console.SignOutAsync();
        await Assertions.Expect(console.SignedOut).ToBeVisibleAsync();
        await Screens.SaveAsync(page, "signed-out");

        // Both sessions ended: the next visit asks the provider's login again.
        await console.StartAsync("/");
        await Assertions.Expect(provider.Form).ToBeVisibleAsync();
        Assert.StartsWith(new Uri(fixture.Provider.Issuer, "login").ToString(), page.Url, StringComparison.Ordinal);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task PersonOfAnUnmappedTenant_IsRefusedWithAClearPage_AndNotProvisioned()
    {
        var page = await NewPageAsync();
        var console = new SingleSignOnPage(page);

        await console.StartAsync("/");
        await new ProviderLoginPage(page).SignInAsync(SingleSignOnFixture.Stranger.UserName);

        await Assertions.Expect(console.Denied).ToContainTextAsync("Your organisation is not connected to this AgentConsole");
        await Screens.SaveAsync(page, "sign-in-denied");
        Assert.False(await fixture.Console.ReadAsync(db => db.Users.IgnoreQueryFilters().AnyAsync(u => u.Subject == SingleSignOnFixture.Stranger.Subject)));
        await page.GotoAsync("/");
        await Assertions.Expect(console.Button).ToBeVisibleAsync();
        await page.Context.CloseAsync();
    }

    private async Task<IPage> NewPageAsync()
    {
        var context = await (await fixture.BrowserAsync()).NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = fixture.Console.ServerAddress.ToString(),
            ViewportSize = new ViewportSize { Width = 1400, Height = 900 },
        });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(30_000);
        return page;
    }
}
