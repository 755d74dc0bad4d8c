using AgentConsole.Domain.Queues.Leases;
using AgentConsole.Domain.Tenancy;
using AgentConsole.Tests.E2E.Pages;
using AgentConsole.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace AgentConsole.Tests.E2E;

/// <summary>
/// In the browser: an operator with the console open watches the bell count up as an item arrives and as a senior
/// assigns one, without a reload; the notifications page shows both, and "Mark all read" empties the bell.
/// </summary>
public sealed class NotificationScreenTests(NotificationScreenTests.Host host) : IClassFixture<NotificationScreenTests.Host>
{
    [Fact]
    public async Task TheBellCountsUpLive_AndTheNotificationsPageMarksAllRead()
    {
        var waiting = await host.Factory.ProposeAsync(TestCases.UncertainPricing("Waiting Since Morning AG"));
        var page = await host.SignedInPageAsync("operator");
        var notifications = new NotificationsPage(page);
        await notifications.OpenAsync();
        var bell = new NotificationBellArea(page);
        await bell.WaitLiveAsync();
        await Assertions.Expect(bell.Count).ToHaveCountAsync(0);

        await host.Factory.ProposeAsync(TestCases.UncertainPricing("Fresh Arrival AG"));
        await Assertions.Expect(bell.Count).ToHaveTextAsync("1");
        await Assertions.Expect(notifications.QueueLines).ToContainTextAsync("1 new item in Dynamic pricing — first line");

        await host.AssignAsync(waiting.Id, "operator", "You know this customer");
        await Assertions.Expect(bell.Count).ToHaveTextAsync("2");
        await Assertions.Expect(notifications.Items).ToContainTextAsync("Sam Senior assigned “Discount for Waiting Since Morning AG”");

        await notifications.MarkAllReadAsync();
        await Assertions.Expect(bell.Count).ToHaveCountAsync(0);
        await Assertions.Expect(notifications.Unread).ToHaveTextAsync("Nothing unread");
        await Assertions.Expect(notifications.Items.First).ToHaveAttributeAsync("data-read", "true");
        await page.Context.CloseAsync();
    }

    /// <summary>A console of its own on a real port.</summary>
    public sealed class Host : IAsyncLifetime
    {
        private IPlaywright? _playwright;
        private IBrowser? _browser;

        public ConsoleFactory Factory { get; } = new() { Kestrel = true };

        public Task<IPage> SignedInPageAsync(string userName) => Chromium.SignedInPageAsync(_browser!, Factory.ServerAddress, userName);

        public async Task InitializeAsync()
        {
            Factory.Start();
            _playwright = await Playwright.CreateAsync();
            _browser = await Chromium.LaunchAsync(_playwright);
        }

        /// <summary>A senior assigns the decision through the product's service, as from the assignment dialog.</summary>
        public async Task AssignAsync(Guid decisionId, string userName, string reason)
        {
            await using var scope = Factory.Services.CreateAsyncScope();
            scope.ServiceProvider.GetRequiredService<TenantContext>().Use(DemoData.ContosoId);
            var users = scope.ServiceProvider.GetRequiredService<UserDirectory>();
            var senior = (await users.FindAsync("senior"))!.Value.User.ToActor();
            var assignee = (await users.FindAsync(userName))!.Value.User;
            await scope.ServiceProvider.GetRequiredService<Assignments>().AssignAsync(decisionId, senior, assignee.Id, reason);
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
