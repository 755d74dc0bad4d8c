using Microsoft.Playwright;

namespace AgentConsole.Tests.E2E.Pages;

/// <summary>The layout's bell, on any page.</summary>
public sealed class NotificationBellArea(IPage page)
{
    public ILocator Bell => page.Locator("[data-testid=notification-bell]");

    public ILocator Count => page.Locator("[data-testid=notification-count]");

    /// <summary>Waits until the bell follows events (it subscribes after its first render).</summary>
    public Task WaitLiveAsync() => page.Locator("[data-testid=notification-bell][data-live=true]").WaitForAsync(new() { State = WaitForSelectorState.Attached });
}

/// <summary>The notifications page: what is new in my queues, my notifications, marking them read.</summary>
public sealed class NotificationsPage(IPage page)
{
    public async Task OpenAsync()
    {
        await page.GotoAsync("/notifications");
        await Interactive.WaitAsync(page);
        await page.Locator("[data-testid=notifications-ready][data-ready=true]").WaitForAsync(new() { State = WaitForSelectorState.Attached });
    }

    public ILocator Unread => page.Locator("[data-testid=notifications-unread]");

    public ILocator Items => page.Locator("[data-testid=notification]");

    public ILocator QueueLines => page.Locator("[data-testid=queue-activity-item]");

    public Task MarkAllReadAsync() => page.Locator("[data-testid=notifications-read-all]").ClickAsync();
}
