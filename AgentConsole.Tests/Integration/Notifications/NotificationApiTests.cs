using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AgentConsole.Domain.Notifications;
using AgentConsole.Domain.Tenancy;
using AgentConsole.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace AgentConsole.Tests.Integration.Notifications;

/// <summary>
/// Notifications through the running console's API, with its real Hangfire server: a person reads and marks their own,
/// chooses e-mail kinds; an admin sets up a webhook and reads the delivery log; an assignment reaches the webhook by the
/// delivery job without anyone running it by hand. Bad input is a ProblemDetails naming the field; nothing of a secret shows.
/// </summary>
public sealed class NotificationApiTests : IAsyncLifetime
{
    private static readonly string Secret = WebhookAdministration.NewSecret();
    private static readonly string[] AssignedOnly = ["Assigned"];
    private ConsoleFactory _console = default!;
    private WebhookReceiver _receiver = default!;

    public async Task InitializeAsync()
    {
        _receiver = await WebhookReceiver.StartAsync(Secret);
        _console = new ConsoleFactory().Start();
    }

    public async Task DisposeAsync()
    {
        await _console.DisposeAsync();
        await _receiver.DisposeAsync();
    }

    [Fact]
    public async Task AnAssignmentMadeThroughTheApi_ReachesTheAssignee_AndTheWebhook_ByTheJob()
    {
        var admin = await _console.SignInAsync("admin");
        var senior = await _console.SignInAsync("senior");
        var olivia = await _console.SignInAsync("operator");
        using var created = await admin.PostAsJsonAsync("/api/admin/notifications/webhooks", new { name = "Ops", url = _receiver.Url, secret = Secret, kinds = AssignedOnly });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.DoesNotContain(Secret[6..], await created.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(0, (await olivia.GetFromJsonAsync<JsonElement>("/api/notifications")).GetProperty("unread").GetInt32());
        var decision = await _console.ProposeAsync(TestCases.UncertainPricing("Api Test AG"));
        var oliviaId = DemoData.DeterministicId("user:operator");

        using var assigned = await senior.PostAsJsonAsync($"/api/decisions/{decision.Id}/assignment", new { assigneeId = oliviaId, reason = "Yours today" });
        Assert.Equal(HttpStatusCode.OK, assigned.StatusCode);

        var page = await olivia.GetFromJsonAsync<JsonElement>("/api/notifications");
        // The item is hers, told one by one: it is not also counted as new in the queue.
        Assert.Equal(1, page.GetProperty("unread").GetInt32());
        var item = page.GetProperty("items").EnumerateArray().Single();
        Assert.Equal("Assigned", item.GetProperty("kind").GetString());
        Assert.Equal($"/decisions/{decision.Id}", item.GetProperty("link").GetString());
        Assert.Empty(page.GetProperty("queues").EnumerateArray());
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (_receiver.Posts.IsEmpty && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
        }

        var post = Assert.Single(_receiver.Posts);
        Assert.True(post.SignatureValid);
        var log = await WaitForSentAsync(admin);
        var entry = log.GetProperty("items").EnumerateArray().Single();
        Assert.Equal(post.Id, entry.GetProperty("messageId").GetString());
        Assert.Equal("Webhook", entry.GetProperty("channel").GetString());
        Assert.DoesNotContain(Secret[6..], log.GetRawText(), StringComparison.Ordinal);

        using var read = await olivia.PostAsync(new Uri($"/api/notifications/{item.GetProperty("id").GetGuid()}/read", UriKind.Relative), null);
        Assert.Equal(HttpStatusCode.NoContent, read.StatusCode);
        using var all = await olivia.PostAsync(new Uri("/api/notifications/read-all", UriKind.Relative), null);
        Assert.Equal(0, (await all.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("marked").GetInt32());
        Assert.True((await olivia.GetFromJsonAsync<JsonElement>("/api/notifications")).GetProperty("items")[0].GetProperty("read").GetBoolean());
        Assert.Equal(0, (await olivia.GetFromJsonAsync<JsonElement>("/api/notifications")).GetProperty("unread").GetInt32());
    }

    [Fact]
    public async Task BadInput_IsAProblemNamingTheField_AndChangesNothing()
    {
        var admin = await _console.SignInAsync("admin");
        var olivia = await _console.SignInAsync("operator");
        var omar = await _console.SignInAsync("operator2");

        using var badHook = await admin.PostAsJsonAsync("/api/admin/notifications/webhooks", new { name = "", url = "not a url", secret = "x", kinds = Array.Empty<string>() });
        Assert.Equal(["kinds", "name", "secret", "url"], Problems.ErrorFields(await Problems.ProblemAsync(badHook, HttpStatusCode.BadRequest)));
        using var missing = await admin.PutAsJsonAsync($"/api/admin/notifications/webhooks/{Guid.NewGuid()}", new { name = "x", url = _receiver.Url, kinds = AssignedOnly });
        await Problems.ProblemAsync(missing, HttpStatusCode.NotFound);
        using var badStatus = await admin.GetAsync(new Uri("/api/admin/notifications/deliveries?status=Lost", UriKind.Relative));
        Assert.Equal(["status"], Problems.ErrorFields(await Problems.ProblemAsync(badStatus, HttpStatusCode.BadRequest)));
        Assert.Empty(await _console.ReadAsync(db => db.Webhooks.AsNoTracking().ToListAsync()));

        using var badPage = await olivia.GetAsync(new Uri("/api/notifications?page=0&pageSize=1000", UriKind.Relative));
        Assert.Equal(["page", "pageSize"], Problems.ErrorFields(await Problems.ProblemAsync(badPage, HttpStatusCode.BadRequest)));
        using var badKinds = await olivia.PutAsJsonAsync("/api/notifications/settings", new { emailKinds = AssignedOnly });
        var off = await Problems.ProblemAsync(badKinds, HttpStatusCode.BadRequest);
        Assert.Contains("E-mail is switched off", off.GetProperty("errors").GetProperty("emailKinds")[0].GetString(), StringComparison.Ordinal);
        Assert.False((await olivia.GetFromJsonAsync<JsonElement>("/api/notifications/settings")).GetProperty("emailEnabled").GetBoolean());

        var decision = await _console.ProposeAsync(TestCases.UncertainPricing("Someone Else AG"));
        var senior = await _console.SignInAsync("senior");
        using var _ = await senior.PostAsJsonAsync($"/api/decisions/{decision.Id}/assignment", new { assigneeId = DemoData.DeterministicId("user:operator"), reason = "Yours" });
        var hers = (await olivia.GetFromJsonAsync<JsonElement>("/api/notifications")).GetProperty("items")[0].GetProperty("id").GetGuid();
        using var notHis = await omar.PostAsync(new Uri($"/api/notifications/{hers}/read", UriKind.Relative), null);
        await Problems.ProblemAsync(notHis, HttpStatusCode.NotFound);
        Assert.Null(await _console.ReadAsync(db => db.Notifications.AsNoTracking().Where(n => n.Id == hers).Select(n => n.ReadAt).SingleAsync()));
        using var forbidden = await olivia.GetAsync(new Uri("/api/admin/notifications/deliveries", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
    }

    private static async Task<JsonElement> WaitForSentAsync(HttpClient admin)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var log = await admin.GetFromJsonAsync<JsonElement>("/api/admin/notifications/deliveries?status=Sent");
            if (log.GetProperty("total").GetInt32() > 0 || DateTime.UtcNow > deadline)
            {
                return log;
            }

            await Task.Delay(200);
        }
    }
}
