using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Threading.Channels;
using AgentConsole.Tests.E2E.Pages;
using AgentConsole.Tests.Infrastructure;
using AgentConsole.Web.Queues;

namespace AgentConsole.Tests.MultiNode;

[Collection(MultiNodeCollection.Name)]
public sealed class MultiNodeTests(NodeCluster cluster)
{
    private const float LiveTimeoutMs = 5_000;

    private static readonly Guid PricingQueue = ConsoleFactory.QueueId("pricing-t1");

    [Fact]
    public async Task ADecisionCreatedOnTheWorker_AppearsLiveOnBothWebNodes_ForConsolesAndHubClients()
    {
        var console1 = await Chromium.SignedInPageAsync(cluster.Browser, cluster.Web1.Address!, "operator", 30_000);
        var console2 = await Chromium.SignedInPageAsync(cluster.Browser, cluster.Web2.Address!, "operator2", 30_000);
        var queue1 = new QueuePage(console1);
        var queue2 = new QueuePage(console2);
        await queue1.OpenAsync(PricingQueue);
        await queue2.OpenAsync(PricingQueue);
        var (hub1, messages1) = await NodeCluster.SubscribeAsync(cluster.Web1, "operator");
        var (hub2, messages2) = await NodeCluster.SubscribeAsync(cluster.Web2, "senior");
        using var admin = await NodeClients.SignedInClientAsync(cluster.Web1, "admin");

        // Web nodes run no jobs here: the worker process proposes the decision.
        var decisionId = await NodeClients.SubmitAndWaitForDecisionAsync(admin, TestCases.UncertainPricing("Cluster Arrival AB"));

        await queue1.WaitForRowAsync(decisionId, LiveTimeoutMs);
        await queue2.WaitForRowAsync(decisionId, LiveTimeoutMs);
        Assert.Equal("Queued", (await NextAsync(messages1, decisionId)).Kind);
        Assert.Equal("Queued", (await NextAsync(messages2, decisionId)).Kind);

        // Exactly one web node pushed it: each hub client heard it once.
        await Task.Delay(1_000);
        Assert.DoesNotContain(Drain(messages1), m => m.DecisionId == decisionId);
        Assert.DoesNotContain(Drain(messages2), m => m.DecisionId == decisionId);
        await hub1.DisposeAsync();
        await hub2.DisposeAsync();
        await console1.Context.CloseAsync();
        await console2.Context.CloseAsync();
    }

    [Fact]
    public async Task AnApprovalOnOneWebNode_LeavesTheQueueOnTheOtherNode()
    {
        var console1 = await Chromium.SignedInPageAsync(cluster.Browser, cluster.Web1.Address!, "operator", 30_000);
        var queue1 = new QueuePage(console1);
        await queue1.OpenAsync(PricingQueue);
        var (hub1, messages1) = await NodeCluster.SubscribeAsync(cluster.Web1, "senior");
        using var admin = await NodeClients.SignedInClientAsync(cluster.Web1, "admin");
        var decisionId = await NodeClients.SubmitAndWaitForDecisionAsync(admin, TestCases.UncertainPricing("Cluster Approval Oy"));
        await queue1.WaitForRowAsync(decisionId, LiveTimeoutMs);

        using var omar = await NodeClients.SignedInClientAsync(cluster.Web2, "operator2");
        using var approved = await omar.PostAsJsonAsync(new Uri($"/api/decisions/{decisionId}/approve", UriKind.Relative), new { reason = "Within policy" });

        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        await queue1.WaitForRowGoneAsync(decisionId, LiveTimeoutMs);
        var resolved = await NextAsync(messages1, decisionId, m => m.Kind == "Resolved");
        Assert.Equal("Omar Operator", resolved.Actor);
        await hub1.DisposeAsync();
        await console1.Context.CloseAsync();
    }

    private static readonly string[] TraceSpans = ["intake pricing", "job ProposeAsync", "step execute", "job ExecuteAsync", "review approve"];

    [Fact]
    public async Task ARunProposedOnTheWorker_AndReviewedOnAnotherWebNode_IsOneTrace_WithTheReviewLinkedIn()
    {
        using var admin = await NodeClients.SignedInClientAsync(cluster.Web1, "admin");
        var decisionId = await NodeClients.SubmitAndWaitForDecisionAsync(admin, TestCases.UncertainPricing("Cluster Trace AB"));
        using var omar = await NodeClients.SignedInClientAsync(cluster.Web2, "operator2");
        using (var approved = await omar.PostAsJsonAsync(new Uri($"/api/decisions/{decisionId}/approve", UriKind.Relative), new { reason = "Within policy" }))
        {
            Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        }

        // Each process stores its own spans in the shared database; the first web node shows them as one trace.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        List<JsonElement> spans;
        while (true)
        {
            var found = await admin.GetFromJsonAsync<JsonElement>(new Uri($"/api/traces?decisionId={decisionId}", UriKind.Relative));
            spans = [];
            if (found.GetProperty("items").EnumerateArray().FirstOrDefault() is { ValueKind: JsonValueKind.Object } item)
            {
                var trace = await admin.GetFromJsonAsync<JsonElement>(new Uri($"/api/traces/{item.GetProperty("traceId").GetString()}", UriKind.Relative));
                spans = [.. trace.GetProperty("spans").EnumerateArray()];
            }

            // Each process writes its spans on its own schedule: wait for every one the test reads.
            if (TraceSpans.All(n => spans.Any(s => Name(s) == n)))
            {
                break;
            }

            Assert.True(DateTime.UtcNow < deadline, "The run's trace was not complete within 30 s: " + string.Join(", ", spans.Select(Name)));
            await Task.Delay(250);
        }

        var runTrace = spans.Single(s => Name(s) == "intake pricing").GetProperty("traceId").GetString();
        Assert.Equal("agentconsole-web", Service(spans, "intake pricing"));
        Assert.Equal("agentconsole-jobs", Service(spans, "job ProposeAsync"));
        Assert.Equal("agentconsole-jobs", Service(spans, "job ExecuteAsync"));
        Assert.All(spans.Where(s => Name(s) is "job ProposeAsync" or "job ExecuteAsync" or "step execute"), s => Assert.Equal(runTrace, s.GetProperty("traceId").GetString()));
        var review = spans.Single(s => Name(s) == "review approve");
        Assert.True(review.GetProperty("linked").GetBoolean());
        Assert.Equal("agentconsole-web", review.GetProperty("service").GetString());

        static string? Name(JsonElement span) => span.GetProperty("name").GetString();
        static string? Service(List<JsonElement> spans, string name) => spans.Single(s => Name(s) == name).GetProperty("service").GetString();
    }

    [Fact]
    public async Task ASignInOnOneWebNode_IsAcceptedByTheOther()
    {
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = cluster.Web1.Address };
        var cookie = await DemoSignIn.AuthCookieAsync(http, "operator");
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(cluster.Web2.Address!, "/api/queues"));
        request.Headers.Add("Cookie", cookie);

        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static async Task<DecisionChangedMessage> NextAsync(Channel<DecisionChangedMessage> messages, Guid decisionId, Func<DecisionChangedMessage, bool>? match = null)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (true)
        {
            var message = await messages.Reader.ReadAsync(timeout.Token);
            if (message.DecisionId == decisionId && (match is null || match(message)))
            {
                return message;
            }
        }
    }

    private static List<DecisionChangedMessage> Drain(Channel<DecisionChangedMessage> messages)
    {
        var left = new List<DecisionChangedMessage>();
        while (messages.Reader.TryRead(out var m))
        {
            left.Add(m);
        }

        return left;
    }
}
