
namespace AgentConsole.Tests.Infrastructure;

/// <summary>
/// A local OpenID provider and a console in <c>Oidc</c> mode on real ports, the provider's tenant <c>contoso-idp</c>
/// mapped to the demo tenant Contoso. Its programs: an operator bot, a bot asking for another audience, a bot of an
/// unknown tenant and one with a role the console does not have.
/// </summary>
public sealed class SingleSignOnFixture : IAsyncLifetime
{
    public const string ProviderTenant = "contoso-idp";

    public static readonly ProviderUser Olivia = new("olivia", "Olivia Oidc", ProviderTenant, "Operator");
    public static readonly ProviderUser Ada = new("ada", "Ada Oidc", ProviderTenant, "Admin");
    public static readonly ProviderUser Stranger = new("stranger", "Sven Stranger", "unknown-idp", "Operator");
    public static readonly ProviderUser Newcomer = new("newcomer", "Nina Newcomer", ProviderTenant);
    public static readonly ProviderUser Dora = new("dora", "Dora Departing", ProviderTenant, "Operator");

    public OpenIdProvider Provider { get; private set; } = default!;

    public ConsoleFactory Console { get; private set; } = default!;

    /// <summary>Debian's chromium, started on first use by a browser test.</summary>
    public async Task<Microsoft.Playwright.IBrowser> BrowserAsync()
    {
        _playwright ??= await Microsoft.Playwright.Playwright.CreateAsync();
        return _browser ??= await Chromium.LaunchAsync(_playwright);
    }

    private Microsoft.Playwright.IPlaywright? _playwright;
    private Microsoft.Playwright.IBrowser? _browser;

    public async Task InitializeAsync()
    {
        Provider = await OpenIdProvider.StartAsync(
            [Olivia, Ada, Stranger, Newcomer, Dora],
            [
                new ProviderClient("reporting-bot", "bot-secret", ProviderTenant, OpenIdProvider.ApiAudience, "Operator"),
                new ProviderClient("other-api-bot", "bot-secret", ProviderTenant, "other-api", "Operator"),
                new ProviderClient("stranger-bot", "bot-secret", "unknown-idp", OpenIdProvider.ApiAudience, "Operator"),
                new ProviderClient("superuser-bot", "bot-secret", ProviderTenant, OpenIdProvider.ApiAudience, "Superuser"),
                new ProviderClient("hub-bot", "bot-secret", ProviderTenant, OpenIdProvider.ApiAudience, "Operator"),
            ]);
        var settings = Provider.ConsoleSettings((ProviderTenant, "contoso"));
        settings["Authentication:RevalidateSeconds"] = "1";
        Console = new ConsoleFactory { Kestrel = true, Settings = settings }.Start();
        await Provider.RegisterConsoleAsync(Console.ServerAddress);
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
        await Console.DisposeAsync();
        await Provider.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class SingleSignOnCollection : ICollectionFixture<SingleSignOnFixture>
{
    public const string Name = "single sign-on";
}
