using AgentConsole.Domain;
using AgentConsole.Domain.Agents.Pause;
using AgentConsole.Domain.Notifications;
using AgentConsole.Domain.Queues.Leases;
using AgentConsole.Domain.Tenancy;
using AgentConsole.Tests.Infrastructure;
using AgentConsole.Tests.Integration.Queues;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AgentConsole.Tests.Integration.Notifications;

public sealed class SqliteNotificationTests() : NotificationTests(TestEngine.Sqlite);

public sealed class PostgreSqlNotificationTests() : NotificationTests(TestEngine.PostgreSql);

/// <summary>
/// People are told what concerns them, in the step's own transaction: assignments, take-backs, SLA warnings on their items,
/// a breaker's pause; new items are counted per person and queue without a row per item; each sees only their own, only of
/// queues their roles may act on, with subjects masked as their queue lists mask them.
/// </summary>
public abstract class NotificationTests(TestEngine engine) : IAsyncLifetime
{
    private SlaHarness _sla = default!;
    private Actor _senior = default!;
    private Actor _olivia = default!;
    private Actor _omar = default!;

    public async Task InitializeAsync()
    {
        // Customers are masked from operators and seniors: a notification must not carry the name the queue list hides.
        // Claims last an hour here, so a claim outlives the ladder's first steps.
        _sla = await SlaHarness.CreateAsync(engine, leaseSeconds: 3600, edit: d => PolicyVersions.WithMasking(d, PolicyVersions.Masking("customer", "Operator, SeniorOperator")));
        (_senior, _olivia, _omar) = (await _sla.ActorAsync("senior"), await _sla.ActorAsync("operator"), await _sla.ActorAsync("operator2"));
    }

    public async Task DisposeAsync() => await _sla.DisposeAsync();

    private Task<T> Inbox<T>(Func<NotificationInbox, Task<T>> read, Guid? tenantId = null) => _sla.As(s => read(s.GetRequiredService<NotificationInbox>()), tenantId);

    private Task<Domain.Decisions.Decision> Assign(Guid decisionId, Actor to, string reason) =>
        _sla.As(s => s.GetRequiredService<Assignments>().AssignAsync(decisionId, _senior, Guid.Parse(to.Id), reason));

    private Task<List<Notification>> RowsAsync() => _sla.Domain.ReadAsync(db => db.Notifications.AsNoTracking().ToListAsync());

    [Fact]
    public async Task Assign_TellsTheAssignee_InTheSameSaveAsTheAssignment_WithTheSubjectMaskedForThem()
    {
        var decision = await _sla.ProposeAsync("Hidden Customer AG");

        await Assign(decision.Id, _olivia, "You know this customer");

        var page = await Inbox(i => i.PageAsync(_olivia));
        var told = Assert.Single(page.Items);
        Assert.Equal((NotificationKind.Assigned, decision.Id, false), (told.Kind, told.DecisionId, told.Read));
        Assert.Equal("Sam Senior assigned “Discount for •••” (Dynamic pricing — first line) to you. Reason: You know this customer", told.Text);
        Assert.DoesNotContain("Hidden Customer", told.Text, StringComparison.Ordinal);
        Assert.Equal($"/decisions/{decision.Id}", told.Link);
        var audit = Assert.Single(await _sla.AuditAsync(decision.Id, "decision.assigned"));
        Assert.Equal(audit.At, told.At);
        Assert.Empty((await Inbox(i => i.PageAsync(_omar))).Items);
        Assert.Empty((await Inbox(i => i.PageAsync(_senior))).Items);
    }

    [Fact]
    public async Task AWebhook_HearsOfAStepOnce_WhoeverIsTold_WithMaskedValuesHidden_InTheStepsTransaction()
    {
        var admin = await _sla.ActorAsync("admin");
        await _sla.As(s => s.GetRequiredService<WebhookAdministration>().CreateAsync(admin,
            new WebhookInput("Ops", "https://hooks.example.com/agentconsole?token=abc", WebhookAdministration.NewSecret(), ["Assigned", "TakenBack", "SlaWarning"])));
        var decision = await _sla.ProposeAsync("Hidden Customer AG");
        await _sla.Act(d => d.ClaimAsync(decision.Id, _olivia));

        await Assign(decision.Id, _omar, "Olivia is off sick");

        var deliveries = await _sla.Domain.ReadAsync(db => db.Deliveries.AsNoTracking().ToListAsync());
        Assert.Equal(["decision.assigned", "decision.taken_back"], deliveries.Select(d => d.Subject).Order(StringComparer.Ordinal));
        Assert.All(deliveries, d => Assert.Equal((DeliveryChannel.Webhook, DeliveryStatus.Pending, "https://hooks.example.com/agentconsole"), (d.Channel, d.Status, d.Target)));
        Assert.All(deliveries, d => Assert.DoesNotContain("Hidden Customer", d.Body, StringComparison.Ordinal));
        Assert.All(deliveries, d => Assert.Equal(_sla.Clock.GetUtcNow(), d.CreatedAt));
    }

    [Fact]
    public async Task Retention_DeletesNotificationsAndFinishedDeliveriesPastTheirDays_NeverADeliveryStillToBeSent()
    {
        var admin = await _sla.ActorAsync("admin");
        await _sla.As(s => s.GetRequiredService<WebhookAdministration>().CreateAsync(admin,
            new WebhookInput("Ops", "https://hooks.example.com/agentconsole", WebhookAdministration.NewSecret(), ["Assigned", "TakenBack"])));
        var decision = await _sla.ProposeAsync();
        await _sla.Act(d => d.ClaimAsync(decision.Id, _olivia));
        await Assign(decision.Id, _omar, "Olivia is off sick");
        Task<NotificationPurge> PurgeAsync() => _sla.As(s => s.GetRequiredService<NotificationRetention>().PurgeExpiredAsync());
        Task<(int Notifications, int Deliveries)> CountAsync() => _sla.Domain.ReadAsync(async db => (await db.Notifications.CountAsync(), await db.Deliveries.CountAsync()));
        var before = await CountAsync();
        Assert.Equal((2, 2), before);

        // Within the 90 days nothing goes; past them, notifications go, but a post still to be sent stays.
        _sla.Clock.Advance(TimeSpan.FromDays(89));
        Assert.Equal(new NotificationPurge(0, 0), await PurgeAsync());
        _sla.Clock.Advance(TimeSpan.FromDays(2));
        Assert.Equal(new NotificationPurge(0, 2), await PurgeAsync());
        Assert.Equal((0, 2), await CountAsync());

        // Once sent (or failed for good), the post goes too.
        await _sla.Domain.ReadAsync(db => db.Deliveries.Take(1).ExecuteUpdateAsync(u => u.SetProperty(d => d.Status, DeliveryStatus.Sent)));
        Assert.Equal(new NotificationPurge(1, 0), await PurgeAsync());
        Assert.Equal((0, 1), await CountAsync());
    }

    [Fact]
    public async Task Reassign_TellsWhoHadItThatASeniorTookItBack_AndTheNewAssigneeThatItIsTheirs()
    {
        var decision = await _sla.ProposeAsync();
        await _sla.Act(d => d.ClaimAsync(decision.Id, _olivia));

        await Assign(decision.Id, _omar, "Olivia is off sick");

        var olivia = Assert.Single((await Inbox(i => i.PageAsync(_olivia))).Items);
        Assert.Equal(NotificationKind.TakenBack, olivia.Kind);
        Assert.Equal("Sam Senior took “Discount for •••” (Dynamic pricing — first line) back from you. Reason: Olivia is off sick", olivia.Text);
        Assert.Equal(NotificationKind.Assigned, Assert.Single((await Inbox(i => i.PageAsync(_omar))).Items).Kind);
    }

    [Fact]
    public async Task SupervisorRelease_TellsTheHolder_AndNobodyElse()
    {
        var decision = await _sla.ProposeAsync();
        await _sla.Act(d => d.ClaimAsync(decision.Id, _olivia));

        await _sla.As(s => s.GetRequiredService<Assignments>().ReleaseAsync(decision.Id, _senior, "Stuck since this morning"));

        var told = Assert.Single(await RowsAsync());
        Assert.Equal((NotificationKind.TakenBack, Guid.Parse(_olivia.Id)), (told.Kind, told.RecipientId));
    }

    [Fact]
    public async Task SlaWarning_TellsTheHolderByName_AndCountsOnceInTheQueueForTheOthers()
    {
        var decision = await _sla.ProposeAsync();
        await _sla.Act(d => d.ClaimAsync(decision.Id, _olivia));
        Assert.Equal(0, await Inbox(i => i.UnreadCountAsync(_omar)));
        await _sla.SweepAsync();

        _sla.Clock.Advance(TimeSpan.FromMinutes(11));
        await _sla.SweepAsync();

        var warned = Assert.Single((await Inbox(i => i.PageAsync(_olivia))).Items);
        Assert.Equal(NotificationKind.SlaWarning, warned.Kind);
        Assert.StartsWith("“Discount for •••” (Dynamic pricing — first line) is about to breach its SLA", warned.Text, StringComparison.Ordinal);
        var omar = await Inbox(i => i.PageAsync(_omar));
        Assert.Empty(omar.Items);
        var queue = Assert.Single(omar.Queues);
        Assert.Equal((1, 0), (queue.Warnings, queue.NewItems));
        Assert.Equal(1, await Inbox(i => i.UnreadCountAsync(_omar)));
        Assert.Equal(1, await Inbox(i => i.UnreadCountAsync(_olivia)));
    }

    [Fact]
    public async Task TwoSweepsAtOnce_WarnTheHolderOnce_ForTheStepAndItsNotificationCommitTogether()
    {
        var decisions = new List<Guid>();
        for (var i = 0; i < 4; i++)
        {
            var decision = await _sla.ProposeAsync($"Race {i} AG");
            await _sla.Act(d => d.ClaimAsync(decision.Id, _olivia));
            decisions.Add(decision.Id);
        }

        await _sla.SweepAsync();
        _sla.Clock.Advance(TimeSpan.FromMinutes(11));
        await Task.WhenAll(_sla.SweepAsync(), _sla.SweepAsync(), _sla.SweepAsync());

        var rows = await RowsAsync();
        Assert.Equal(decisions.Order(), rows.Where(n => n.Kind == NotificationKind.SlaWarning).Select(n => n.DecisionId!.Value).Order());
        var firings = await _sla.Domain.ReadAsync(db => db.SlaStepFirings.AsNoTracking().CountAsync());
        Assert.Equal(decisions.Count, firings);
    }

    [Fact]
    public async Task NewItems_AreCountedPerQueueSinceTheLastLook_WithoutARowPerPersonOrItem()
    {
        Assert.Equal(0, await Inbox(i => i.UnreadCountAsync(_olivia)));
        Assert.Equal(0, await Inbox(i => i.UnreadCountAsync(_omar)));

        for (var i = 0; i < 3; i++)
        {
            _sla.Clock.Advance(TimeSpan.FromSeconds(1));
            await _sla.ProposeAsync($"Arrival {i} AG");
        }

        Assert.Equal(3, await Inbox(i => i.UnreadCountAsync(_olivia)));
        var page = await Inbox(i => i.PageAsync(_olivia));
        var queue = Assert.Single(page.Queues);
        Assert.Equal((3, 0, 3), (queue.NewItems, queue.Warnings, page.Unread));
        Assert.Equal("3 new items in Dynamic pricing — first line. Due first: “Discount for •••”", queue.Text);
        Assert.Empty(await RowsAsync());
        Assert.Equal(2 * 4, await _sla.Domain.ReadAsync(db => db.QueueSeenMarks.CountAsync()));

        await Inbox(async i => { await i.MarkReadAsync(_olivia, queue.QueueId); return 0; });
        Assert.Equal(0, await Inbox(i => i.UnreadCountAsync(_olivia)));
        Assert.Equal(3, await Inbox(i => i.UnreadCountAsync(_omar)));

        _sla.Clock.Advance(TimeSpan.FromSeconds(1));
        await _sla.ProposeAsync("Late Arrival AG");
        Assert.Equal(1, await Inbox(i => i.UnreadCountAsync(_olivia)));
    }

    [Fact]
    public async Task ClaimedAndAssignedItems_AreNotNewForAnyone()
    {
        Assert.Equal(0, await Inbox(i => i.UnreadCountAsync(_omar)));
        _sla.Clock.Advance(TimeSpan.FromSeconds(1));
        var claimed = await _sla.ProposeAsync("Claimed AG");
        var assigned = await _sla.ProposeAsync("Assigned AG");
        await _sla.ProposeAsync("Waiting AG");
        await _sla.Act(d => d.ClaimAsync(claimed.Id, _olivia));
        await Assign(assigned.Id, _olivia, "Yours");

        Assert.Equal(1, await Inbox(i => i.UnreadCountAsync(_omar)));
    }

    [Fact]
    public async Task EachPersonSeesOnlyTheirOwn_OfQueuesTheirRolesMayActOn_InTheirTenant()
    {
        var auditor = await _sla.ActorAsync("auditor");
        var trainee = await _sla.ActorAsync("trainee");
        var felix = await _sla.ActorAsync("fabrikam");
        Assert.Equal(0, await Inbox(i => i.UnreadCountAsync(felix), DemoData.FabrikamId));
        var decision = await _sla.ProposeAsync();
        await Assign(decision.Id, _olivia, "Yours");
        var row = Assert.Single(await RowsAsync());

        Assert.Equal(0, await Inbox(i => i.UnreadCountAsync(auditor)));
        Assert.Empty((await Inbox(i => i.PageAsync(auditor))).Queues);
        Assert.Equal(0, await Inbox(i => i.UnreadCountAsync(trainee)));
        Assert.Equal(0, await Inbox(i => i.UnreadCountAsync(felix), DemoData.FabrikamId));
        Assert.Empty((await Inbox(i => i.PageAsync(felix), DemoData.FabrikamId)).Items);

        var notOmars = await Assert.ThrowsAsync<DomainException>(() => Inbox(async i => { await i.MarkReadAsync(_omar, row.Id); return 0; }));
        Assert.Equal(DomainErrorKind.NotFound, notOmars.Kind);
        var otherTenant = await Assert.ThrowsAsync<DomainException>(() => Inbox(async i => { await i.MarkReadAsync(felix, row.Id); return 0; }, DemoData.FabrikamId));
        Assert.Equal(DomainErrorKind.NotFound, otherTenant.Kind);
        Assert.Null((await RowsAsync()).Single().ReadAt);
    }

    [Fact]
    public async Task MarkRead_AndMarkAllRead_TakeThemOffTheCount_AndKeepThemListed()
    {
        Assert.Equal(0, await Inbox(i => i.UnreadCountAsync(_olivia)));
        var first = await _sla.ProposeAsync("First AG");
        var second = await _sla.ProposeAsync("Second AG");
        await Assign(first.Id, _olivia, "One");
        await Assign(second.Id, _olivia, "Two");
        Assert.Equal(2, await Inbox(i => i.UnreadCountAsync(_olivia)));
        var rows = (await Inbox(i => i.PageAsync(_olivia))).Items;

        await Inbox(async i => { await i.MarkReadAsync(_olivia, rows[0].Id); return 0; });
        Assert.Equal(1, await Inbox(i => i.UnreadCountAsync(_olivia)));
        _sla.Clock.Advance(TimeSpan.FromSeconds(1));
        await _sla.ProposeAsync("Third AG");
        Assert.Equal(2, await Inbox(i => i.UnreadCountAsync(_olivia)));

        Assert.Equal(1, await Inbox(i => i.MarkAllReadAsync(_olivia)));

        Assert.Equal(0, await Inbox(i => i.UnreadCountAsync(_olivia)));
        var page = await Inbox(i => i.PageAsync(_olivia));
        Assert.Equal((2, 0), (page.Total, page.Unread));
        Assert.All(page.Items, n => Assert.True(n.Read));
        Assert.Empty(page.Queues);
    }

    [Fact]
    public async Task Paging_IsNewestFirst_AndRefusesPagesThatCannotExist()
    {
        for (var i = 0; i < 3; i++)
        {
            _sla.Clock.Advance(TimeSpan.FromSeconds(1));
            var d = await _sla.ProposeAsync($"Paged {i} AG");
            await Assign(d.Id, _olivia, $"Number {i}");
        }

        var first = await Inbox(i => i.PageAsync(_olivia, 1, 2));
        var second = await Inbox(i => i.PageAsync(_olivia, 2, 2));
        Assert.Equal(["Number 2", "Number 1", "Number 0"], first.Items.Concat(second.Items).Select(n => n.Text[(n.Text.IndexOf("Reason: ", StringComparison.Ordinal) + 8)..]));
        Assert.Equal(3, first.Total);
        var refused = await Assert.ThrowsAsync<DomainException>(() => Inbox(i => i.PageAsync(_olivia, 0, 500)));
        Assert.Equal(["page", "pageSize"], refused.FieldErrors.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task TheBreakersPause_TellsEverySenior_InItsTransaction_AndNoOperator()
    {
        await using (var scope = _sla.Domain.Scope(DemoData.ContosoId))
        {
            var pauses = scope.ServiceProvider.GetRequiredService<AgentPauseService>();
            await using var db = scope.ServiceProvider.GetRequiredService<Domain.Persistence.IAgentConsoleDbFactory>().Create();
            var agent = await db.Agents.SingleAsync(a => a.Key == "pricing");
            Assert.True(await pauses.PauseByBreakerAsync(db, agent, "overrides 9 of 20 (45%) in the last hour, above the policy's 30%", default));
        }

        var rows = await RowsAsync();
        var seniors = new[] { _senior, await _sla.ActorAsync("senior2") }.Select(a => Guid.Parse(a.Id)).Order();
        Assert.Equal(seniors, rows.Select(r => r.RecipientId).Order());
        Assert.All(rows, r => Assert.Equal((NotificationKind.AgentPaused, "pricing"), (r.Kind, r.AgentKey)));
        var told = Assert.Single((await Inbox(i => i.PageAsync(_senior))).Items);
        Assert.Equal("/agents/pricing", told.Link);
        Assert.Contains("The circuit breaker paused", told.Text, StringComparison.Ordinal);
        Assert.Empty((await Inbox(i => i.PageAsync(_olivia))).Items);
    }

    [Fact]
    public async Task EmailChoices_AreRefusedWhileEmailIsOff_OrForKindsTheRoleNeverGets()
    {
        var settings = await Inbox(i => i.SettingsAsync(_olivia));
        Assert.False(settings.EmailEnabled);
        Assert.Equal([NotificationKind.SlaWarning, NotificationKind.Assigned, NotificationKind.TakenBack], settings.Available.Order());

        var off = await Assert.ThrowsAsync<DomainException>(() => Inbox(i => i.SaveSettingsAsync(_olivia, ["Assigned"])));
        Assert.Contains("E-mail is switched off", Assert.Single(off.FieldErrors["emailKinds"]), StringComparison.Ordinal);
        var unknown = await Assert.ThrowsAsync<DomainException>(() => Inbox(i => i.SaveSettingsAsync(_olivia, ["Everything"])));
        Assert.Contains("Unknown kind 'Everything'", Assert.Single(unknown.FieldErrors["emailKinds"]), StringComparison.Ordinal);
        var notHers = await Assert.ThrowsAsync<DomainException>(() => Inbox(i => i.SaveSettingsAsync(_olivia, ["AgentPaused"])));
        Assert.Contains("AgentPaused cannot go by e-mail for you", Assert.Single(notHers.FieldErrors["emailKinds"]), StringComparison.Ordinal);
        Assert.Empty(await _sla.Domain.ReadAsync(db => db.NotificationPreferences.AsNoTracking().ToListAsync()));

        Assert.Empty((await Inbox(i => i.SaveSettingsAsync(_olivia, []))).EmailKinds);
    }
}
