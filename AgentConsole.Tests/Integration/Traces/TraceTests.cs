using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AgentConsole.Domain.Execution;
using AgentConsole.Domain.Persistence;
using AgentConsole.Domain.Tenancy;
using AgentConsole.Domain.Traces;
using AgentConsole.Jobs.Traces;
using AgentConsole.Tests.Infrastructure;
using Hangfire;
using Hangfire.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AgentConsole.Tests.Integration.Traces;

/// <summary>
/// A pipeline run is one trace through its jobs (Hangfire in process, real SQLite), a reviewer's action joins it by a
/// link, every step says what it did in OpenTelemetry's terms, and the console's own store keeps it for its tenant only.
/// </summary>
public sealed class TraceTests(TraceHost host) : IClassFixture<TraceHost>
{
    private static readonly Uri Api = new("/api/traces", UriKind.Relative);

    private ConsoleFactory Factory => host.Factory;

    [Fact]
    public async Task AReviewedRun_IsOneTrace_AcrossItsProposeAndExecutionJobs_WithTheReviewLinkedIn()
    {
        var decision = await Factory.ProposeAsync(TestCases.UncertainPricing("Trace Continuity AB"));
        var trace = await host.TraceOfAsync(decision);

        await host.ApproveAsync(decision.Id, "Within the margin floor");
        var spans = await host.SpansAsync(trace, s => s.Any(x => x.Name == "step execute") && s.Any(x => x.Name == "job ExecuteAsync"));

        var ownTrace = spans.Where(s => s.TraceId == trace).Select(s => s.Name).ToList();
        Assert.Contains("intake pricing", ownTrace);
        Assert.Contains("job ProposeAsync", ownTrace);
        Assert.Contains("job ExecuteAsync", ownTrace);
        Assert.Contains("enqueue execution", ownTrace);
        Assert.Contains("execute Simulated ERP", ownTrace);

        var review = Assert.Single(spans, s => s.Name == "review approve");
        Assert.NotEqual(trace, review.TraceId);
        Assert.Equal(trace, review.LinkedTraceId);
        Assert.Equal(decision.Id, review.DecisionId);
        var attributes = JsonDocument.Parse(review.AttributesJson).RootElement;
        Assert.Equal("approve", attributes.GetProperty(SpanAttributes.ReviewAction).GetString());
        Assert.Equal("Header User", attributes.GetProperty(SpanAttributes.ReviewerName).GetString());
        Assert.Equal("Within the margin floor", attributes.GetProperty(SpanAttributes.ReviewReason).GetString());
        Assert.True(attributes.GetProperty(SpanAttributes.ReviewWaitedSeconds).GetDouble() >= 0);
        Assert.Contains($"\"traceId\":\"{trace}\"", review.LinksJson, StringComparison.Ordinal);

        // The hand-over to the execution job sits in the run's trace and points back at the review.
        var handoff = Assert.Single(spans, s => s.Name == "enqueue execution");
        Assert.Contains(review.SpanId, handoff.LinksJson, StringComparison.Ordinal);

        // The run's trace view shows the review among its spans.
        using var client = host.Client();
        var view = await client.GetFromJsonAsync<JsonElement>(new Uri($"/api/traces/{trace}", UriKind.Relative));
        var shown = view.GetProperty("spans").EnumerateArray().Single(s => s.GetProperty("name").GetString() == "review approve");
        Assert.True(shown.GetProperty("linked").GetBoolean());
        Assert.Equal(decision.Id, view.GetProperty("decisionId").GetGuid());
        Assert.Equal(decision.RunId, view.GetProperty("runId").GetGuid());

        // Opened from the review's own trace, the view says which run trace it joins.
        var reviewView = await client.GetFromJsonAsync<JsonElement>(new Uri($"/api/traces/{review.TraceId}", UriKind.Relative));
        Assert.Equal(trace, reviewView.GetProperty("joinsTraceId").GetString());
    }

    [Fact]
    public async Task AgentInference_FollowsTheGenAiConventions_AndPolicyAndRoutingSayWhatTheyDecided()
    {
        var decision = await Factory.ProposeAsync(TestCases.UncertainPricing("Trace Conventions Oy"));
        var trace = await host.TraceOfAsync(decision);

        var spans = await host.SpansAsync(trace, s => s.Any(x => x.Name == "step route") && s.Any(x => x.Name == "job ProposeAsync"));

        var inference = Attributes(Assert.Single(spans, s => s.Name == "invoke_agent builtin:pricing/1"));
        Assert.Equal("invoke_agent", inference.GetProperty(SpanAttributes.GenAi.OperationName).GetString());
        Assert.Equal("agentconsole.builtin", inference.GetProperty(SpanAttributes.GenAi.ProviderName).GetString());
        Assert.Equal("agentconsole.builtin", inference.GetProperty(SpanAttributes.GenAi.System).GetString());
        Assert.Equal("builtin:pricing/1", inference.GetProperty(SpanAttributes.GenAi.RequestModel).GetString());
        Assert.Equal("builtin:pricing/1", inference.GetProperty(SpanAttributes.GenAi.ResponseModel).GetString());
        Assert.Equal(decision.AgentId.ToString(), inference.GetProperty(SpanAttributes.GenAi.AgentId).GetString());
        Assert.Equal(decision.Confidence, inference.GetProperty(SpanAttributes.Confidence).GetDouble(), precision: 6);
        Assert.False(inference.TryGetProperty(SpanAttributes.GenAi.InputTokens, out _), "The built-in agents call no model, so no tokens are reported.");
        Assert.Equal("Client", spans.Single(s => s.Name.StartsWith("invoke_agent", StringComparison.Ordinal)).Kind);

        var policy = Attributes(Assert.Single(spans, s => s.Name == "policy evaluate"));
        Assert.Equal(decision.PolicyVersionId.ToString(), policy.GetProperty(SpanAttributes.PolicyVersionId).GetString());
        Assert.Equal(decision.RoutedBy, policy.GetProperty(SpanAttributes.PolicyRoutedBy).GetString());
        Assert.Equal(decision.RulesFired, policy.GetProperty(SpanAttributes.PolicyRulesFired).EnumerateArray().Select(r => r.GetString()));

        var route = Attributes(Assert.Single(spans, s => s.Name == "step route"));
        Assert.Equal("Review", route.GetProperty(SpanAttributes.Route).GetString());
        Assert.Equal(decision.QueueId.ToString(), route.GetProperty(SpanAttributes.QueueId).GetString());
        Assert.Equal("agentconsole-web", spans[0].Service);
    }

    [Fact]
    public async Task AModelThatReportsItsUsage_GivesTheInferenceSpanItsTokenCounts_AndTheModelThatAnswered()
    {
        var decision = await Factory.ProposeAsync(TestCases.UncertainPricing(TraceHost.UsageReportingCustomer + " Oy"));
        var trace = await host.TraceOfAsync(decision);

        var spans = await host.SpansAsync(trace, s => s.Any(x => x.Name.StartsWith("invoke_agent", StringComparison.Ordinal)));

        var inference = Attributes(Assert.Single(spans, s => s.Name == "invoke_agent builtin:pricing/1"));
        Assert.Equal(TraceHost.Usage.InputTokens, inference.GetProperty(SpanAttributes.GenAi.InputTokens).GetInt64());
        Assert.Equal(TraceHost.Usage.OutputTokens, inference.GetProperty(SpanAttributes.GenAi.OutputTokens).GetInt64());
        Assert.Equal("builtin:pricing/1", inference.GetProperty(SpanAttributes.GenAi.RequestModel).GetString());
        Assert.Equal(TraceHost.Usage.ResponseModel, inference.GetProperty(SpanAttributes.GenAi.ResponseModel).GetString());
    }

    [Fact]
    public async Task AnExecutionThatKeepsFailing_IsAnErrorTrace_WithEachAttemptsException_AndTheCompensatingCall()
    {
        var attempts = Factory.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<ExecutionOptions>>().Value.MaxAttempts;
        Factory.Services.GetRequiredService<SimulatedErpFaults>().FailNext(attempts, ErpFault.FailBeforeApply);
        var decision = await Factory.ProposeAsync(TestCases.ConfidentPricing());
        var trace = await host.TraceOfAsync(decision);

        var spans = await host.SpansAsync(trace, s => s.Any(x => x.Name == "step execute") && s.Any(x => x.Name == "job ProposeAsync"));

        var calls = spans.Where(s => s.Name == "execute Simulated ERP").ToList();
        Assert.Equal(attempts, calls.Count);
        Assert.All(calls, c => Assert.Equal(SpanStatus.Error, c.Status));
        Assert.All(calls, c => Assert.Contains("\"name\":\"exception\"", c.EventsJson, StringComparison.Ordinal));
        var step = Assert.Single(spans, s => s.Name == "step execute");
        Assert.Equal(SpanStatus.Error, step.Status);
        // Nothing was posted, so the compensating call had nothing to reverse.
        Assert.Equal("failed", Attributes(step).GetProperty(SpanAttributes.ExecutionOutcome).GetString());
        Assert.False(Attributes(Assert.Single(spans, s => s.Name == "compensate Simulated ERP")).GetProperty(SpanAttributes.ExecutionCompensated).GetBoolean());

        using var client = host.Client();
        var found = await client.GetFromJsonAsync<JsonElement>(new Uri($"{Api}?decisionId={decision.Id}&status=error", UriKind.Relative));
        var item = Assert.Single(found.GetProperty("items").EnumerateArray());
        Assert.Equal(trace, item.GetProperty("traceId").GetString());
        Assert.Equal("error", item.GetProperty("status").GetString());
        var ok = await client.GetFromJsonAsync<JsonElement>(new Uri($"{Api}?decisionId={decision.Id}&status=ok", UriKind.Relative));
        Assert.Equal(0, ok.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task NoStoredSpan_CarriesTheCasesInputs()
    {
        var c = TestCases.UncertainPricing("Quintessa Verkaufshaus GmbH");
        c.Inputs["product"] = "sapphire bearings";
        var decision = await Factory.ProposeAsync(c);
        var trace = await host.TraceOfAsync(decision);
        await host.ApproveAsync(decision.Id, "Fine at this discount");

        var spans = await host.SpansAsync(trace, s => s.Any(x => x.Name == "step execute"));

        foreach (var span in spans)
        {
            var text = string.Join('\n', span.Name, span.StatusDescription, span.AttributesJson, span.EventsJson, span.LinksJson);
            Assert.DoesNotContain("Quintessa", text, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("sapphire", text, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public async Task AnotherTenantsTrace_IsNotFound_AndNotInSearches()
    {
        var fabrikam = await Factory.ProposeAsync(TestCases.UncertainPricing("Trace Tenant Fabrikam Oy"), tenantId: DemoData.FabrikamId);
        var trace = await host.TraceOfAsync(fabrikam, DemoData.FabrikamId);
        await host.SpansAsync(trace, s => s.Any(x => x.Name == "step route"), DemoData.FabrikamId);

        using var contoso = host.Client();
        Assert.Equal(HttpStatusCode.NotFound, (await contoso.GetAsync(new Uri($"{Api}/{trace}", UriKind.Relative))).StatusCode);
        var search = await contoso.GetFromJsonAsync<JsonElement>(new Uri($"{Api}?decisionId={fabrikam.Id}", UriKind.Relative));
        Assert.Equal(0, search.GetProperty("total").GetInt32());
        var page = await (await contoso.GetAsync(new Uri($"/traces/{trace}", UriKind.Relative))).Content.ReadAsStringAsync();
        Assert.Contains("Trace not found", page, StringComparison.Ordinal);
        Assert.DoesNotContain("span-row", page, StringComparison.Ordinal);

        await using var scope = Factory.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantContext>().Use(DemoData.FabrikamId);
        Assert.NotNull(await scope.ServiceProvider.GetRequiredService<TraceQueries>().GetAsync(trace));
    }

    [Fact]
    public async Task MalformedSearches_AnswerProblemDetails_NamingEachField()
    {
        using var client = host.Client();

        var response = await client.GetAsync(new Uri($"{Api}?decisionId=abc&status=maybe&minDurationMs=-3&from=2001-01-01&to=2026-11-01", UriKind.Relative));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Equal(["decisionId", "minDurationMs", "status", "to"], errors.EnumerateObject().Select(e => e.Name).Order(StringComparer.Ordinal));
        Assert.Contains("at most 31 days", errors.GetProperty("to")[0].GetString(), StringComparison.Ordinal);

        var badId = await client.GetAsync(new Uri($"{Api}/not-a-trace", UriKind.Relative));
        Assert.Equal(HttpStatusCode.BadRequest, badId.StatusCode);
        Assert.Contains("32 hexadecimal characters", await badId.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(new Uri($"{Api}/{Guid.NewGuid():N}", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task TheTracePages_ShowTheWaterfall_AndSayWhatIsWrongWithAMalformedSearch()
    {
        var decision = await Factory.ProposeAsync(TestCases.UncertainPricing("Trace Pages Ltd"));
        var trace = await host.TraceOfAsync(decision);
        await host.SpansAsync(trace, s => s.Any(x => x.Name == "step route") && s.Any(x => x.Name == "job ProposeAsync"));
        using var client = host.Client();

        var waterfall = await client.GetStringAsync(new Uri($"/traces/{trace}", UriKind.Relative));
        Assert.Contains("data-span-name=\"intake pricing\"", waterfall, StringComparison.Ordinal);
        Assert.Contains("data-span-name=\"invoke_agent builtin:pricing/1\"", waterfall, StringComparison.Ordinal);
        Assert.Contains($"href=\"/decisions/{decision.Id}\"", waterfall, StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"trace-external\"", waterfall, StringComparison.Ordinal); // no tracing backend configured

        var list = await client.GetStringAsync(new Uri($"/traces?decisionId={decision.Id}", UriKind.Relative));
        Assert.Contains($"data-trace-id=\"{trace}\"", list, StringComparison.Ordinal);
        // The span store's counts, dropped spans among them, are in the page's header for an operator.
        Assert.Matches("data-testid=\"span-store-status\"[^>]*>Span store on this node: [0-9,]+ stored, [0-9,]+ dropped since it started", list);

        var malformed = await client.GetAsync(new Uri("/traces?minDurationMs=soon&since=1week", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, malformed.StatusCode);
        var text = WebUtility.HtmlDecode(await malformed.Content.ReadAsStringAsync());
        Assert.Contains("data-testid=\"error-minDurationMs\">'soon' is not a minimum duration", text, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"error-since\">'1week' is not a time range: choose one from the list.", text, StringComparison.Ordinal);
        Assert.DoesNotContain("data-trace-id=", text, StringComparison.Ordinal);

        // A range backwards and one far too wide, each said beside its field.
        var backwards = WebUtility.HtmlDecode(await client.GetStringAsync(new Uri("/traces?since=between&from=2026-11-02T00:00&to=2026-11-01T00:00&status=maybe", UriKind.Relative)));
        Assert.Contains("data-testid=\"error-to\">The end of the time range must come after its start.", backwards, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"error-status\">'maybe' is not a status", backwards, StringComparison.Ordinal);
        var wide = WebUtility.HtmlDecode(await client.GetStringAsync(new Uri("/traces?from=2001-01-01T00:00&to=2026-11-01T00:00&minDurationMs=-5", UriKind.Relative)));
        Assert.Contains("data-testid=\"error-to\">A search covers at most 31 days", wide, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"error-minDurationMs\">'-5' is not a minimum duration", wide, StringComparison.Ordinal);
        Assert.Contains("'zz' is not a trace id", WebUtility.HtmlDecode(await client.GetStringAsync(new Uri("/traces/zz", UriKind.Relative))), StringComparison.Ordinal);

        var decisionPage = await client.GetStringAsync(new Uri($"/decisions/{decision.Id}", UriKind.Relative));
        Assert.Contains($"href=\"/traces/{trace}\"", decisionPage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExpiredSpans_AreDeletedForEveryTenant_ByTheRecurringJob()
    {
        var old = StoredSpan.ToMicros(DateTimeOffset.UtcNow.AddDays(-8));
        var recent = StoredSpan.ToMicros(DateTimeOffset.UtcNow.AddDays(-6));
        var oldTrace = Guid.NewGuid().ToString("N");
        var keptTrace = Guid.NewGuid().ToString("N");
        await using (var db = Factory.Services.GetRequiredService<DatabaseProvider>().Create(new TenantContext()))
        {
            foreach (var tenant in new[] { DemoData.ContosoId, DemoData.FabrikamId })
            {
                db.StoredSpans.Add(StoredSpan.Synthetic(tenant, oldTrace, "00f067aa0ba902b7", null, "old", old, 1_000));
                db.StoredSpans.Add(StoredSpan.Synthetic(tenant, keptTrace, "00f067aa0ba902b8", null, "kept", recent, 1_000));
            }

            await db.SaveChangesAsync();
        }

        using (var connection = Factory.Services.GetRequiredService<JobStorage>().GetConnection())
        {
            Assert.Contains(connection.GetRecurringJobs(), j => j.Id == "purge-spans" && j.Cron == Cron.Hourly());
        }

        await using (var scope = Factory.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<TraceJobs>().PurgeExpiredAsync(CancellationToken.None);
        }

        await using var check = Factory.Services.GetRequiredService<DatabaseProvider>().Create(new TenantContext());
        var left = check.StoredSpans.IgnoreQueryFilters().Where(s => s.TraceId == oldTrace || s.TraceId == keptTrace).Select(s => s.Name).ToList();
        Assert.Equal(["kept", "kept"], left);
    }

    private static JsonElement Attributes(StoredSpan span) => JsonDocument.Parse(span.AttributesJson).RootElement;
}
