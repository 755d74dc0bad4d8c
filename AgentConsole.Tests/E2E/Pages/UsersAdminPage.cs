using Microsoft.Playwright;

namespace AgentConsole.Tests.E2E.Pages;

/// <summary>The admin's Users page: accounts, their roles and status, and the change form.</summary>
public sealed class UsersAdminPage(IPage page)
{
    public async Task OpenAsync()
    {
        await page.GotoAsync("/admin/users");
        await Interactive.WaitAsync(page);
        await page.Locator("[data-testid=users-table]").WaitForAsync();
    }

    public ILocator Row(string userName) => page.Locator($"[data-testid=user-row][data-user-name='{userName}']");

    public ILocator Role(string userName, string role, string source) =>
        Row(userName).Locator($"[data-testid=role][data-role={role}][data-source={source}]");

    public ILocator Status(string userName) => Row(userName).Locator("[data-testid=user-status]");

    public async Task GrantAsync(string userName, string role, string reason)
    {
        await Row(userName).Locator("[data-testid=grant]").ClickAsync();
        await page.Locator($"[data-testid=grant-{role}]").ClickAsync();
        await Screens.SaveAsync(page, "users-grant-form");
        await SaveAsync(reason);
        await Role(userName, role, "granted").WaitForAsync();
    }

    public async Task DisableAsync(string userName, string reason)
    {
        await Row(userName).Locator("[data-testid=disable]").ClickAsync();
        await SaveAsync(reason);
        await Assertions.Expect(Status(userName)).ToHaveTextAsync("Disabled");
    }

    private async Task SaveAsync(string reason)
    {
        await page.Locator("[data-testid=change-reason] textarea, textarea[data-testid=change-reason]").First.FillAsync(reason);
        await page.Locator("[data-testid=change-save]").ClickAsync();
    }
}
