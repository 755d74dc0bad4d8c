using System.Diagnostics;
using AgentConsole.Domain;
using AgentConsole.Domain.Decisions;
using AgentConsole.Domain.Notifications;
using AgentConsole.Domain.Pipelines;
using AgentConsole.Domain.Persistence;
using AgentConsole.Domain.Tenancy;
using AgentConsole.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace AgentConsole.Bench.Benchmarks;

/// <summary>
/// (q) Live notifications at scale, on SQLite with 100,000 pending decisions in one queue, 1 % of them arrived since the
/// operator last looked: the bell's unread count (what every open console recounts after a burst of events) against a
/// bare count of the person's unread rows; and an assignment, which writes its notification in its own transaction,
/// against a claim of the same kind of item (the same service path without a notification).
/// </summary>
internal static class NotificationBenchmark
{
    public static async Task RunAsync(Report report, int pending, int samples)
    {
        Console.WriteLine($"(q) notifications: {pending:#,0} pending decisions on SQLite, {samples:#,0} samples");
        var start = DateTimeOffset.UtcNow;
        var clock = new ManualClock(new DateTimeOffset(start.Ticks - (start.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero));
        var directory = TestPaths.NewDirectory("bench-notifications");
        await using var database = await TestDatabase.CreateAsync(TestEngine.Sqlite, directory);
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Development" });
        builder.Configuration.AddInMemoryCollection(database.Settings);
        builder.AddAgentConsoleDomain();
        builder.Services.AddLogging();
        builder.Services.AddSingleton<IPipelineScheduler, SlaSweepBenchmark.NoScheduler>();
        builder.Services.AddSingleton<TimeProvider>(clock);
        using var host = builder.Build();
        await host.Services.InitializeDatabaseAsync();
        var tenant = new SlaSweepBenchmark.Tenant(host.Services, database);
        var users = host.Services.GetRequiredService<UserDirectory>();
        var olivia = (await users.FindAsync("operator"))!.Value.User.ToActor();
        var senior = (await users.FindAsync("senior"))!.Value.User.ToActor();
        var template = await tenant.ProposeAsync();
        var ids = await SlaSweepBenchmark.CloneAsync(tenant, template, pending - 1);

        // Everything arrived an hour ago; the operator looked 10 minutes ago; 1 % arrived since.
        var now = clock.GetUtcNow();
        await tenant.WithDbAsync(db => db.Decisions.ExecuteUpdateAsync(s => s.SetProperty(d => d.SlaClockStartedAt, now.AddHours(-1))));
        clock.Advance(TimeSpan.FromMinutes(-10));
        await InboxAsync(host, i => i.UnreadCountAsync(olivia));
        clock.Advance(TimeSpan.FromMinutes(10));
        var fresh = ids.Take(pending / 100).ToList();
        await tenant.WithDbAsync(db => db.Decisions.Where(d => fresh.Contains(d.Id)).ExecuteUpdateAsync(s => s.SetProperty(d => d.SlaClockStartedAt, now.AddMinutes(-1))));
        var counted = await InboxAsync(host, i => i.UnreadCountAsync(olivia));
        if (counted != fresh.Count)
        {
            throw new InvalidOperationException($"The bell counts {counted}, expected {fresh.Count}: the fixture is wrong.");
        }

        var me = Guid.Parse(olivia.Id);
        var (bell, bare) = (new List<double>(samples), new List<double>(samples));
        for (var i = 0; i <= samples; i++)
        {
            var a = await TimeAsync(() => InboxAsync(host, x => x.UnreadCountAsync(olivia)));
            var b = await TimeAsync(() => tenant.WithDbAsync(db => db.Notifications.CountAsync(n => n.RecipientId == me && n.ReadAt == null)));
            if (i > 0)
            {
                bell.Add(a);
                bare.Add(b);
            }
        }

        var bellP95 = Stats.Percentile(bell, 95);
        var bareP95 = Stats.Percentile(bare, 95);
        report.Add(new Row($"(q) Bell count, {pending:#,0} pending", $"SQLite, {pending:#,0} pending in one queue, {fresh.Count:#,0} new since the operator's mark, {samples:#,0} recounts",
            $"p95 {Stats.Ms(bellP95)}", $"p95 {Stats.Ms(bareP95)} (count of the person's unread rows)", $"{bellP95 / bareP95:0.00}×", "p95 ≤ 20 ms", bellP95 <= 20));

        // An assignment with its notification (masked text, row, outbox check) against a claim, each on a fresh item.
        var (assign, claim) = (new List<double>(samples), new List<double>(samples));
        for (var i = 0; i <= samples; i++)
        {
            var (x, y) = (ids[pending / 100 + 2 * i], ids[pending / 100 + 2 * i + 1]);
            var a = await TimeAsync(() => AsAsync(host, s => s.GetRequiredService<DecisionService>().AssignAsync(x, senior, olivia, "Yours")));
            var b = await TimeAsync(() => AsAsync(host, s => s.GetRequiredService<DecisionService>().ClaimAsync(y, olivia)));
            if (i > 0)
            {
                assign.Add(a);
                claim.Add(b);
            }
        }

        var written = await tenant.WithDbAsync(db => db.Notifications.CountAsync());
        if (written != samples + 1)
        {
            throw new InvalidOperationException($"{written} notifications for {samples + 1} assignments.");
        }

        var assignP95 = Stats.Percentile(assign, 95);
        var claimP95 = Stats.Percentile(claim, 95);
        report.Add(new Row("(q) Assignment with its notification", $"SQLite, {pending:#,0} pending, {samples:#,0} assignments each telling the assignee in the same transaction",
            $"p95 {Stats.Ms(assignP95)}", $"p95 {Stats.Ms(claimP95)} (a claim, no notification)", $"{assignP95 / claimP95:0.00}×", "≤ 2× a claim", assignP95 / claimP95 <= 2));
        report.Note($"(q) New items are counted from one mark per person and queue: {pending:#,0} arrivals wrote 0 notification rows.");
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        TestPaths.TryDelete(directory);
    }

    private static async Task<T> InboxAsync<T>(IHost host, Func<NotificationInbox, Task<T>> read) =>
        await AsAsync(host, s => read(s.GetRequiredService<NotificationInbox>()));

    private static async Task<T> AsAsync<T>(IHost host, Func<IServiceProvider, Task<T>> act)
    {
        await using var scope = host.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantContext>().Use(DemoData.ContosoId);
        return await act(scope.ServiceProvider);
    }

    private static async Task<double> TimeAsync<T>(Func<Task<T>> act)
    {
        var clock = Stopwatch.StartNew();
        await act();
        return clock.Elapsed.TotalMilliseconds;
    }
}
