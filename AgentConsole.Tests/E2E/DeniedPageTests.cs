using AgentConsole.Web.Hosting.Security;
using Microsoft.Playwright;

namespace AgentConsole.Tests.E2E;

/// <summary>A page a user's role does not reach, opened by navigating inside a live console, is refused and logged.</summary>
[Collection(BrowserCollection.Name)]
public sealed class DeniedPageTests(BrowserFixture fixture)
{
    [Fact]
    public async Task NavigatingToAPageTheRoleDoesNotReach_ShowsAccessDenied_AndLogsIt()
    {
        var page = await fixture.SignedInPageAsync("trainee");

        await page.EvaluateAsync("() => Blazor.navigateTo('/agents')");

        await Assertions.Expect(page.Locator("[data-testid=access-denied]")).ToBeVisibleAsync();
        var userId = await fixture.Factory.ReadAsync(db => Task.FromResult(db.Users.Single(u => u.UserName == "trainee").Id.ToString()));
        Assert.Contains(fixture.Factory.Logs.Of(SecurityEvents.Category), e =>
            e.EventId.Name == "AccessDenied" && e.Fields["Method"] == "NAVIGATE" && e.Fields["Path"] == "/agents" && e.Fields["UserId"] == userId);
        await page.Context.CloseAsync();
    }
}
