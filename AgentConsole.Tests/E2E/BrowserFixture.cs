using AgentConsole.Tests.Infrastructure;
using Microsoft.Playwright;

namespace AgentConsole.Tests.E2E;

[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "browser";
}

/// <summary>The console on a real port and Debian's chromium, driven by Playwright.</summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    private IPlaywright? _playwright;

    public ConsoleFactory Factory { get; } = new() { Kestrel = true };

    public IBrowser Browser { get; private set; } = default!;

    public async Task InitializeAsync()
    {
        Factory.Start();
        _playwright = await Playwright.CreateAsync();
        Browser = await Chromium.LaunchAsync(_playwright);
    }

    /// <summary>A fresh browser profile (its own cookies), signed in as a demo user through the sign-in page.</summary>
    public Task<IPage> SignedInPageAsync(string userName) => Chromium.SignedInPageAsync(Browser, Factory.ServerAddress, userName);

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
        await Factory.DisposeAsync();
    }
}
