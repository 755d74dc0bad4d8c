using System.Globalization;
using System.Net;
using AgentConsole.Domain;
using AgentConsole.Domain.Notifications;
using AgentConsole.Domain.Notifications.Sending;
using AgentConsole.Domain.Queues.Leases;
using AgentConsole.Domain.Tenancy;
using AgentConsole.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AgentConsole.Tests.Integration.Notifications;

public sealed class SqliteDeliveryTests() : DeliveryTests(TestEngine.Sqlite);

public sealed class PostgreSqlDeliveryTests() : DeliveryTests(TestEngine.PostgreSql);

/// <summary>
/// The outbox goes out through a real SMTP server and a real HTTP receiver that checks Standard Webhooks signatures with an
/// independent library: once per delivery id, retried with the same id until taken, recorded as failed after the last
/// attempt or a refusal, never twice when runs race.
/// </summary>
public abstract class DeliveryTests(TestEngine engine) : IAsyncLifetime
{
    private static readonly string Secret = WebhookAdministration.NewSecret();
    private SmtpSink _smtp = default!;
    private WebhookReceiver _receiver = default!;
    private DomainHarness _harness = default!;
    private Actor _admin = default!;
    private Actor _senior = default!;
    private Actor _olivia = default!;

    public async Task InitializeAsync()
    {
        _smtp = SmtpSink.Start();
        _receiver = await WebhookReceiver.StartAsync(Secret);
        _harness = await DomainHarness.CreateAsync(new Dictionary<string, string?>
        {
            ["Notifications:Smtp:Host"] = "127.0.0.1",
            ["Notifications:Smtp:Port"] = _smtp.Port.ToString(CultureInfo.InvariantCulture),
            ["Notifications:Smtp:From"] = "AgentConsole <console@contoso.example>",
            ["Notifications:Smtp:UseTls"] = "false",
            ["Notifications:ConsoleUrl"] = "https://console.contoso.example",
            ["Notifications:FirstRetrySeconds"] = "0",
            ["Notifications:MaxAttempts"] = "3",
        }, engine: engine);
        (_admin, _senior, _olivia) = (await _harness.ActorAsync("admin"), await _harness.ActorAsync("senior"), await _harness.ActorAsync("operator"));
    }

    public async Task DisposeAsync()
    {
        await _harness.DisposeAsync();
        await _receiver.DisposeAsync();
        await _smtp.DisposeAsync();
    }

    private async Task<T> As<T>(Func<IServiceProvider, Task<T>> act)
    {
        await using var scope = _harness.Scope(DemoData.ContosoId);
        return await act(scope.ServiceProvider);
    }

    private Task<WebhookView> AddWebhookAsync(params string[] kinds) =>
        As(s => s.GetRequiredService<WebhookAdministration>().CreateAsync(_admin, new WebhookInput("Ops channel", _receiver.Url, Secret, kinds)));

    private async Task<Guid> AssignNewDecisionAsync(string customer = "Delivery Test AG")
    {
        var decision = await _harness.ProposeAsync(TestCases.UncertainPricing(customer));
        await As(s => s.GetRequiredService<Assignments>().AssignAsync(decision.Id, _senior, Guid.Parse(_olivia.Id), "You know them"));
        return decision.Id;
    }

    private Task<DeliveryRunResult> RunAsync() => _harness.Services.GetRequiredService<DeliveryDispatcher>().RunAsync();

    private Task<List<Delivery>> DeliveriesAsync() => _harness.ReadAsync(db => db.Deliveries.AsNoTracking().ToListAsync());

    [Fact]
    public async Task AnAssignment_GoesOutOnce_ByEmailAndSignedWebhook_EachWithItsDeliveryId()
    {
        await As(s => s.GetRequiredService<NotificationInbox>().SaveSettingsAsync(_olivia, ["Assigned"]));
        await AddWebhookAsync("Assigned", "SlaWarning");
        var decisionId = await AssignNewDecisionAsync();
        var outbox = await DeliveriesAsync();
        Assert.Equal([DeliveryChannel.Email, DeliveryChannel.Webhook], outbox.Select(d => d.Channel).Order());
        Assert.All(outbox, d => Assert.Equal(DeliveryStatus.Pending, d.Status));

        var result = await RunAsync();

        Assert.Equal((2, 0, 0), (result.Sent, result.Retrying, result.Failed));
        var mail = Assert.Single(_smtp.Messages);
        var email = outbox.Single(d => d.Channel == DeliveryChannel.Email);
        Assert.Equal("operator@contoso.example", mail.To.Mailboxes.Single().Address);
        Assert.Equal($"{email.MessageId}@agentconsole", mail.MessageId);
        Assert.Equal("AgentConsole: items assigned to me", mail.Subject);
        Assert.Contains($"Open it: https://console.contoso.example/decisions/{decisionId}", mail.TextBody, StringComparison.Ordinal);
        var post = Assert.Single(_receiver.Posts);
        var webhook = outbox.Single(d => d.Channel == DeliveryChannel.Webhook);
        Assert.True(post.SignatureValid, "The receiver could not verify the Standard Webhooks signature.");
        Assert.Equal(webhook.MessageId, post.Id);
        Assert.Equal("decision.assigned", post.Json.GetProperty("type").GetString());
        Assert.Equal(decisionId, post.Json.GetProperty("data").GetProperty("decisionId").GetGuid());
        Assert.Equal($"https://console.contoso.example/decisions/{decisionId}", post.Json.GetProperty("data").GetProperty("link").GetString());
        Assert.All(await DeliveriesAsync(), d => Assert.Equal((DeliveryStatus.Sent, 1), (d.Status, d.Attempts)));

        Assert.Equal(0, (await RunAsync()).Sent);
        Assert.Single(_smtp.Messages);
        Assert.Single(_receiver.Posts);
    }

    [Fact]
    public async Task ASignatureMadeWithAnotherSecret_DoesNotVerify()
    {
        await using var strict = await WebhookReceiver.StartAsync(WebhookAdministration.NewSecret());
        await As(s => s.GetRequiredService<WebhookAdministration>().CreateAsync(_admin, new WebhookInput("Wrong key", strict.Url, Secret, ["Assigned"])));
        await AssignNewDecisionAsync();

        await RunAsync();

        Assert.False(Assert.Single(strict.Posts).SignatureValid);
    }

    [Fact]
    public async Task AFailingReceiver_GetsTheSameDeliveryAgain_UntilItTakesIt()
    {
        _receiver.Answer = n => n < 3 ? HttpStatusCode.ServiceUnavailable : HttpStatusCode.OK;
        await AddWebhookAsync("Assigned");
        await AssignNewDecisionAsync();

        var first = await RunAsync();
        var pending = Assert.Single(await DeliveriesAsync());
        Assert.Equal((0, 1), (first.Sent, first.Retrying));
        Assert.Equal((DeliveryStatus.Pending, 1, 503), (pending.Status, pending.Attempts, pending.LastStatusCode));
        Assert.Contains("HTTP 503", pending.LastError, StringComparison.Ordinal);
        await RunAsync();
        await RunAsync();

        var sent = Assert.Single(await DeliveriesAsync());
        Assert.Equal((DeliveryStatus.Sent, 3, 200, (string?)null), (sent.Status, sent.Attempts, sent.LastStatusCode, sent.LastError));
        Assert.Equal([503, 503, 200], _receiver.Posts.Select(p => p.Answered));
        Assert.All(_receiver.Posts, p => Assert.Equal(sent.MessageId, p.Id));
        Assert.All(_receiver.Posts, p => Assert.True(p.SignatureValid));
    }

    [Fact]
    public async Task AReceiverThatFailsEveryAttempt_IsRecordedAsFailed_AndNotTriedAgain()
    {
        _receiver.Answer = _ => HttpStatusCode.InternalServerError;
        await AddWebhookAsync("Assigned");
        await AssignNewDecisionAsync();

        for (var i = 0; i < 5; i++)
        {
            await RunAsync();
        }

        var failed = Assert.Single(await DeliveriesAsync());
        Assert.Equal((DeliveryStatus.Failed, 3, 500), (failed.Status, failed.Attempts, failed.LastStatusCode));
        Assert.Equal("The receiver answered HTTP 500 Internal Server Error.", failed.LastError);
        Assert.Equal(3, _receiver.Posts.Count);
        var log = await As(s => s.GetRequiredService<DeliveryLog>().PageAsync(_admin));
        var entry = Assert.Single(log.Items);
        Assert.Equal((DeliveryStatus.Failed, 3, "Ops channel"), (entry.Status, entry.Attempts, entry.Webhook));
        Assert.Equal(new Uri(_receiver.Url).GetLeftPart(UriPartial.Path), entry.Target);
    }

    [Fact]
    public async Task AReceiverThatRefusesIt_IsNotAskedAgain()
    {
        _receiver.Answer = _ => HttpStatusCode.Gone;
        await AddWebhookAsync("Assigned");
        await AssignNewDecisionAsync();

        var result = await RunAsync();
        await RunAsync();

        Assert.Equal(1, result.Failed);
        Assert.Equal((DeliveryStatus.Failed, 1, 410), Assert.Single(await DeliveriesAsync()) is var d ? (d.Status, d.Attempts, d.LastStatusCode) : default);
        Assert.Single(_receiver.Posts);
    }

    [Fact]
    public async Task TwoRunsAtOnce_SendEachDeliveryExactlyOnce()
    {
        _receiver.Delay = TimeSpan.FromMilliseconds(40);
        await AddWebhookAsync("Assigned");
        for (var i = 0; i < 8; i++)
        {
            await AssignNewDecisionAsync($"Race {i} AG");
        }

        var runs = await Task.WhenAll(RunAsync(), RunAsync(), RunAsync());

        Assert.Equal(8, runs.Sum(r => r.Sent));
        var ids = _receiver.Posts.Select(p => p.Id).ToList();
        Assert.Equal(8, ids.Count);
        Assert.Equal(8, ids.Distinct(StringComparer.Ordinal).Count());
        Assert.All(await DeliveriesAsync(), d => Assert.Equal((DeliveryStatus.Sent, 1), (d.Status, d.Attempts)));
    }

    [Fact]
    public async Task Webhooks_RefuseBadInputPerField_RequireHttpsWhenAsked_AndNeverShowTheSecret()
    {
        var bad = await Assert.ThrowsAsync<DomainException>(() => As(s => s.GetRequiredService<WebhookAdministration>()
            .CreateAsync(_admin, new WebhookInput(" ", "ftp://hooks.example.com", "not-a-secret", ["Everything"]))));
        Assert.Equal(["kinds", "name", "secret", "url"], bad.FieldErrors.Keys.Order(StringComparer.Ordinal));
        Assert.Empty(await _harness.ReadAsync(db => db.Webhooks.AsNoTracking().ToListAsync()));
        var notAdmin = await Assert.ThrowsAsync<DomainException>(() => As(s => s.GetRequiredService<WebhookAdministration>().ListAsync(_senior)));
        Assert.Equal(DomainErrorKind.Forbidden, notAdmin.Kind);

        await using var production = await DomainHarness.CreateAsync(new Dictionary<string, string?> { ["Notifications:AllowHttpWebhooks"] = "false" }, engine: TestEngine.Sqlite);
        await using var scope = production.Scope(DemoData.ContosoId);
        var insecure = await Assert.ThrowsAsync<DomainException>(() => scope.ServiceProvider.GetRequiredService<WebhookAdministration>()
            .CreateAsync(_admin, new WebhookInput("Plain", "http://hooks.example.com/x", Secret, ["Assigned"])));
        Assert.Equal("Use an https:// address: posts carry your decisions' details, and plain http is allowed only in Development.", Assert.Single(insecure.FieldErrors["url"]));

        var created = await AddWebhookAsync("Assigned");
        var listed = await As(s => s.GetRequiredService<WebhookAdministration>().ListAsync(_admin));
        Assert.DoesNotContain(Secret[6..], System.Text.Json.JsonSerializer.Serialize(listed), StringComparison.Ordinal);
        Assert.Equal(created.Id, Assert.Single(listed).Id);
        await As(async s => { await s.GetRequiredService<WebhookAdministration>().RemoveAsync(_admin, created.Id); return 0; });
        Assert.Empty(await As(s => s.GetRequiredService<WebhookAdministration>().ListAsync(_admin)));
        await AssignNewDecisionAsync();
        Assert.Empty(await DeliveriesAsync());
    }
}
