using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AgentConsole.Domain.Agents;
using AgentConsole.Domain.Execution;
using AgentConsole.Domain.Policies;
using AgentConsole.Domain.Tenancy;
using AgentConsole.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace AgentConsole.Tests.Integration.Decisions;

/// <summary>
/// <c>GET /api/decisions/{id}/lineage</c> on the real host, after decisions went through the real pipeline, jobs and API:
/// the steps in order with their records, the case masked for the caller, the true answer only for those allowed, and
/// another tenant's decision not found.
/// </summary>
public sealed class LineageApiTests(LineageApiTests.Host host) : IClassFixture<LineageApiTests.Host>
{
    private ConsoleFactory Factory => host.Factory;

    private static Uri Api(string path) => new(path, UriKind.Relative);

    private async Task<JsonElement> LineageAsync(Guid decisionId, string userName)
    {
        var response = await (await Factory.SignInAsync(userName)).GetAsync(Api($"/api/decisions/{decisionId}/lineage"));
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>The lineage once its execution has settled (the execution job runs on the host's job server).</summary>
    private async Task<JsonElement> SettledAsync(Guid decisionId, string userName = "auditor")
    {
        for (var attempt = 0; ; attempt++)
        {
            var lineage = await LineageAsync(decisionId, userName);
            if (lineage.GetProperty("execution").GetProperty("status").GetString() is not "Pending" || attempt > 100)
            {
                return lineage;
            }

            await Task.Delay(100);
        }
    }

    private async Task ActAsync(string userName, Guid decisionId, string action, object body)
    {
        var client = await Factory.SignInAsync(userName);
        var response = await client.PostAsJsonAsync(Api($"/api/decisions/{decisionId}/{action}"), body);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    private static IEnumerable<string?> Kinds(JsonElement lineage) =>
        lineage.GetProperty("reviews").EnumerateArray().Select(r => r.GetProperty("kind").GetString());

    private static JsonElement Review(JsonElement lineage, int index) => lineage.GetProperty("reviews")[index];

    [Fact]
    public async Task AnAutoApprovedDecision_HasNoReviewer_AndTheConnectorsReceipt()
    {
        var decision = await Factory.ProposeAsync(TestCases.ConfidentPricing());

        var lineage = await SettledAsync(decision.Id);

        Assert.Equal("AutoApproved", lineage.GetProperty("status").GetString());
        Assert.Equal(("pricing", 1), (lineage.GetProperty("agent").GetProperty("key").GetString(), lineage.GetProperty("agent").GetProperty("version").GetInt32()));
        Assert.True(lineage.GetProperty("agent").GetProperty("entryId").GetInt64() > 0);
        Assert.Equal(("AutoApprove", decision.PolicyVersionId), (lineage.GetProperty("policy").GetProperty("route").GetString(), lineage.GetProperty("policy").GetProperty("versionId").GetGuid()));
        Assert.Empty(Kinds(lineage));
        var execution = lineage.GetProperty("execution");
        Assert.Equal("Succeeded", execution.GetProperty("status").GetString());
        Assert.StartsWith("ERP-", execution.GetProperty("externalReference").GetString(), StringComparison.Ordinal);
        Assert.True(execution.GetProperty("entryId").GetInt64() > lineage.GetProperty("agent").GetProperty("entryId").GetInt64());
        Assert.Equal("Shown", lineage.GetProperty("outcome").GetProperty("truth").GetProperty("state").GetString());
        Assert.Matches("^[0-9a-f]{32}$", lineage.GetProperty("run").GetProperty("traceId").GetString());
    }

    [Fact]
    public async Task AnOverriddenDecision_NamesTheReviewer_TheirReason_AndTheValuesCarriedOut()
    {
        var decision = await Factory.ProposeAsync(TestCases.UncertainPricing("Api Lineage Override AB"));
        await ActAsync("operator", decision.Id, "override", new { values = new { discountPercent = 3 }, reason = "Match the competitor" });

        var lineage = await SettledAsync(decision.Id);

        Assert.Equal(["Overridden"], Kinds(lineage));
        var overridden = Review(lineage, 0);
        Assert.Equal(("Olivia Operator", "Match the competitor"), (overridden.GetProperty("actor").GetString(), overridden.GetProperty("reason").GetString()));
        Assert.Equal(3m, overridden.GetProperty("values").GetProperty("discountPercent").GetDecimal());
        Assert.Equal("Succeeded", lineage.GetProperty("execution").GetProperty("status").GetString());
        Assert.Equal(3m, lineage.GetProperty("execution").GetProperty("values").GetProperty("discountPercent").GetDecimal());
        Assert.Equal(("Overridden", "Olivia Operator"), (lineage.GetProperty("outcome").GetProperty("status").GetString(), lineage.GetProperty("outcome").GetProperty("resolvedBy").GetString()));
    }

    [Fact]
    public async Task AnEscalatedThenApprovedDecision_ShowsTheEscalation_ThenTheSeniorsApproval()
    {
        var decision = await Factory.ProposeAsync(TestCases.UncertainPricing("Api Lineage Escalate AB"));
        await ActAsync("operator", decision.Id, "escalate", new { reason = "Needs a senior" });
        await ActAsync("senior", decision.Id, "approve", new { reason = "Checked with sales" });

        var lineage = await SettledAsync(decision.Id);

        Assert.Equal(["Escalated", "Approved"], Kinds(lineage));
        Assert.Equal("from Dynamic pricing — first line to Dynamic pricing — seniors", Review(lineage, 0).GetProperty("detail").GetString());
        Assert.Equal(("Sam Senior", "Checked with sales"), (Review(lineage, 1).GetProperty("actor").GetString(), Review(lineage, 1).GetProperty("reason").GetString()));
        Assert.Equal("Succeeded", lineage.GetProperty("execution").GetProperty("status").GetString());
    }

    [Fact]
    public async Task AFourEyesDecision_ShowsBothApprovals()
    {
        await host.FourEyesForAsync("Api Four Eyes AB");
        var decision = await Factory.ProposeAsync(TestCases.UncertainPricing("Api Four Eyes AB"));
        await ActAsync("senior", decision.Id, "approve", new { reason = "First look" });
        await ActAsync("senior2", decision.Id, "approve", new { reason = "Second look" });

        var lineage = await SettledAsync(decision.Id);

        Assert.Equal(2, lineage.GetProperty("policy").GetProperty("reviewersRequired").GetInt32());
        Assert.Contains("rule:four-eyes-test", lineage.GetProperty("policy").GetProperty("rulesFired").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal(["ApprovalRecorded", "Approved"], Kinds(lineage));
        Assert.StartsWith("verdict 1 of 2", Review(lineage, 0).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(("Sienna Senior", "verdict 2 of 2"), (Review(lineage, 1).GetProperty("actor").GetString(), Review(lineage, 1).GetProperty("detail").GetString()));
        Assert.Equal("Succeeded", lineage.GetProperty("execution").GetProperty("status").GetString());
    }

    [Fact]
    public async Task AFailedExecution_ShowsItsAttemptsAndError_AndNothingToReverse()
    {
        var faults = Factory.Services.GetRequiredService<SimulatedErpFaults>();
        faults.FailNext(Host.ExecutionAttempts, ErpFault.FailBeforeApply);
        var decision = await Factory.ProposeAsync(TestCases.ConfidentPricing());

        var lineage = await SettledAsync(decision.Id);

        var execution = lineage.GetProperty("execution");
        // Every call failed before anything was applied, so there was nothing to compensate.
        Assert.Equal(("Failed", false), (execution.GetProperty("status").GetString(), execution.GetProperty("compensated").GetBoolean()));
        Assert.Equal(Host.ExecutionAttempts, execution.GetProperty("attempts").GetInt32());
        Assert.Equal(JsonValueKind.Null, execution.GetProperty("externalReference").ValueKind);
        Assert.StartsWith($"Gave up after {Host.ExecutionAttempts} attempts", execution.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal("Failed", lineage.GetProperty("run").GetProperty("status").GetString());
    }

    [Fact]
    public async Task TheCase_IsMaskedForTheCaller_AsGetDecisionMasksIt_AndTheTrueAnswerIsWithheldFromTheReviewer()
    {
        // The default pricing policy hides the margin floor from operators.
        var decision = await Factory.ProposeAsync(TestCases.UncertainPricing("Api Lineage Masked AB"));
        var operatorClient = await Factory.SignInAsync("operator");
        var asRead = await operatorClient.GetFromJsonAsync<JsonElement>(Api($"/api/decisions/{decision.Id}"));

        var forOperator = await LineageAsync(decision.Id, "operator");
        var forAuditor = await LineageAsync(decision.Id, "auditor");

        Assert.Equal(PolicyMasking.Hidden, forOperator.GetProperty("case").GetProperty("inputs").GetProperty("marginFloorPercent").GetString());
        Assert.Equal(asRead.GetProperty("inputs").GetRawText(), forOperator.GetProperty("case").GetProperty("inputs").GetRawText());
        Assert.Equal(asRead.GetProperty("evidence").GetRawText(), forOperator.GetProperty("case").GetProperty("evidence").GetRawText());
        Assert.DoesNotContain("Margin floor allows at most 25", forOperator.GetRawText(), StringComparison.Ordinal);
        Assert.Equal("Withheld", forOperator.GetProperty("outcome").GetProperty("truth").GetProperty("state").GetString());
        Assert.Equal(JsonValueKind.Null, forOperator.GetProperty("outcome").GetProperty("truth").GetProperty("answer").ValueKind);
        Assert.DoesNotContain("4.5", forOperator.GetProperty("outcome").GetRawText(), StringComparison.Ordinal);
        Assert.Equal(25.0, forAuditor.GetProperty("case").GetProperty("inputs").GetProperty("marginFloorPercent").GetDouble());
        Assert.Equal(4.5m, forAuditor.GetProperty("outcome").GetProperty("truth").GetProperty("answer").GetProperty("discountPercent").GetDecimal());
    }

    [Fact]
    public async Task AnotherTenantsDecision_IsNotFound_AsAProblem()
    {
        var fabrikams = await Factory.ProposeAsync(TestCases.UncertainPricing("Api Lineage Fabrikam Oy"), tenantId: DemoData.FabrikamId);

        var response = await (await Factory.SignInAsync("auditor")).GetAsync(Api($"/api/decisions/{fabrikams.Id}/lineage"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain("Fabrikam", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    /// <summary>The real host on its own database (a test here changes the policy in force).</summary>
    public sealed class Host : IAsyncLifetime
    {
        private readonly Lock _gate = new();
        private Task? _fourEyes;

        /// <summary>Calls the execution makes before it gives up and compensates.</summary>
        public const int ExecutionAttempts = 4;

        public ConsoleFactory Factory { get; } = new()
        {
            Settings = { ["Execution:MaxAttempts"] = $"{ExecutionAttempts}", ["Execution:RetryDelayMilliseconds"] = "20" },
        };

        /// <summary>Once: a pricing policy in force that asks two seniors for one customer's decisions.</summary>
        public Task FourEyesForAsync(string customer)
        {
            lock (_gate)
            {
                return _fourEyes ??= PolicyVersions.ActivateAsync(Factory.Services, UseCase.DynamicPricing, d => d.Replace("riskRules:\n",
                    $"riskRules:\n  - id: four-eyes-test\n    when: inputs.customer == '{customer}'\n    then: review\n    tier: 2\n    raiseRiskTo: critical\n", StringComparison.Ordinal));
            }
        }

        public Task InitializeAsync()
        {
            Factory.Start();
            return Task.CompletedTask;
        }

        public async Task DisposeAsync() => await Factory.DisposeAsync();
    }
}
