using AgentConsole.Domain.Decisions;
using AgentConsole.Domain.Tenancy;
using AgentConsole.Tests.E2E.Pages;
using AgentConsole.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
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

/// <summary>
/// Entra ID mode signs a person in through Microsoft.Identity.Web's handler, here pointed at the local provider (its
/// authority, metadata and issuer overridden, as no Entra ID is reachable offline): app roles from <c>roles</c>, the
/// directory id <c>tid</c> mapped to a console tenant, the person keyed by <c>oid</c>.
/// </summary>
[Collection(SingleSignOnCollection.Name)]
public sealed class EntraIdSignInTests(SingleSignOnFixture fixture)
{
    [Fact]
    public async Task Person_SignsInThroughMicrosoftIdentityWeb_AndIsProvisionedFromTheirEntraClaims()
    {
        var issuer = fixture.Provider.Issuer.ToString();
        await using var console = new ConsoleFactory
        {
            Kestrel = true,
            Settings = new Dictionary<string, string?>
            {
                ["Authentication:Mode"] = "EntraId",
                ["AzureAd:Instance"] = "https://login.microsoftonline.com/",
                ["AzureAd:TenantId"] = SingleSignOnFixture.ProviderTenant,
                ["AzureAd:ClientId"] = OpenIdProvider.ConsoleClientId,
                ["AzureAd:ClientSecret"] = OpenIdProvider.ConsoleClientSecret,
                ["Authentication:Tenants:0:ProviderTenant"] = SingleSignOnFixture.ProviderTenant,
                ["Authentication:Tenants:0:ConsoleTenant"] = "contoso",
            },
            ReplaceServices = services => services.Configure<Microsoft.AspNetCore.Authentication.OpenIdConnect.OpenIdConnectOptions>(
                Web.Tenancy.SignInSetup.ProviderScheme, o =>
                {
                    o.Authority = issuer;
                    o.MetadataAddress = issuer + ".well-known/openid-configuration";
                    o.RequireHttpsMetadata = false;
                    o.TokenValidationParameters.IssuerValidator = null;
                    o.TokenValidationParameters.ValidIssuer = issuer;
                }),
        }.Start();
        await fixture.Provider.RegisterConsoleAsync(console.ServerAddress);
        var context = await (await fixture.BrowserAsync()).NewContextAsync(new BrowserNewContextOptions { BaseURL = console.ServerAddress.ToString() });
        var page = await context.NewPageAsync();

        await page.GotoAsync("/me");
        await Assertions.Expect(new SingleSignOnPage(page).Button).ToContainTextAsync("Sign in with Microsoft");
        await new SingleSignOnPage(page).Button.ClickAsync();
        await new ProviderLoginPage(page).SignInAsync(SingleSignOnFixture.Olivia.UserName);
        await page.WaitForURLAsync(url => url.EndsWith("/me", StringComparison.Ordinal));

        await Assertions.Expect(page.Locator("dl.ac-kv")).ToContainTextAsync("Operator");
        var account = await console.ReadAsync(db => db.Users.AsNoTracking().SingleAsync(u => u.Subject == "oid-" + SingleSignOnFixture.Olivia.UserName));
        Assert.Equal(AppUserKind.Person, account.Kind);
        Assert.Equal($"https://login.microsoftonline.com/{SingleSignOnFixture.ProviderTenant}/v2.0", account.Issuer);
        Assert.Equal([Roles.Operator], account.ProviderRoles);
        await context.CloseAsync();
    }
}
