using AgentConsole.Domain.Agents;
using AgentConsole.Domain.Decisions;
using AgentConsole.Domain.Execution;
using AgentConsole.Domain.Pipelines;
using AgentConsole.Domain.Policies;
using AgentConsole.Domain.Tenancy;
using AgentConsole.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AgentConsole.Tests.Integration.Decisions;

public sealed class SqliteLineageTests() : LineageTests(TestEngine.Sqlite);

public sealed class PostgreSqlLineageTests() : LineageTests(TestEngine.PostgreSql);

/// <summary>
/// A decision's lineage tells its whole story in order — case, agent, policy, reviewers, execution, outcome — each step
/// with its audit entry; masked for the viewer as the decision page is; the case's true answer only for those allowed.
/// </summary>
public abstract class LineageTests(TestEngine engine) : IAsyncLifetime
{
    private DomainHarness _harness = default!;

    public async Task InitializeAsync() => _harness = await DomainHarness.CreateAsync(engine: engine);

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    private SimulatedErpFaults Faults => _harness.Services.GetRequiredService<SimulatedErpFaults>();

    private async Task<DecisionLineage> LineageAsync(Guid decisionId, string userName) =>
        await LineageAsync(decisionId, await _harness.ActorAsync(userName));

    private async Task<DecisionLineage> LineageAsync(Guid decisionId, Actor viewer)
    {
        await using var scope = _harness.Scope(viewer.TenantId);
        return await scope.ServiceProvider.GetRequiredService<DecisionLineageQueries>().GetAsync(decisionId, viewer)
            ?? throw new InvalidOperationException("No lineage.");
    }

    private async Task ActAsync(string userName, Func<DecisionService, Actor, Task> act)
    {
        var actor = await _harness.ActorAsync(userName);
        await using (var scope = _harness.Scope(DemoData.ContosoId))
        {
            await act(scope.ServiceProvider.GetRequiredService<DecisionService>(), actor);
        }

        await _harness.RunRecordedJobsAsync();
    }

    private Task<List<long>> AuditIdsAsync(Guid decisionId) =>
        _harness.WithDbAsync(db => db.AuditEntries.AsNoTracking().Where(a => a.EntityId == decisionId.ToString()).OrderBy(a => a.Id).Select(a => a.Id).ToListAsync());

    [Fact]
    public async Task AnAutoApprovedDecision_ReadsAgentThenPolicyThenNoReviewerThenTheConnectorsReceipt()
    {
        var decision = await _harness.ProposeAsync(TestCases.ConfidentPricing());

        var lineage = await LineageAsync(decision.Id, "auditor");

        Assert.Equal(DecisionStatus.AutoApproved, lineage.Status);
        Assert.Equal(("pricing", 1, "builtin:pricing/1"), (lineage.Agent.Key, lineage.Agent.Version, lineage.Agent.Implementation));
        Assert.Equal("decision.proposed", lineage.Agent.Proposed!.Action);
        Assert.Equal(DecisionRoute.AutoApprove, lineage.Routing.Route);
        Assert.Equal(decision.PolicyVersionId, lineage.Routing.PolicyVersionId);
        Assert.Equal("Dynamic pricing v1", lineage.Routing.PolicyLabel);
        Assert.Equal(["auto-approve"], lineage.Routing.RulesFired);
        Assert.Empty(lineage.Reviews);
        Assert.Equal(ExecutionStatus.Succeeded, lineage.Execution.Status);
        Assert.Equal("decision.executed", lineage.Execution.Record!.Action);
        Assert.StartsWith("ERP-", lineage.Execution.ExternalReference, StringComparison.Ordinal);
        var posting = await _harness.WithDbAsync(db => db.ErpLedger.SingleAsync(e => e.IdempotencyKey == ExecutionService.IdempotencyKey(decision.Id)));
        Assert.Equal(posting.ExternalReference, lineage.Execution.ExternalReference);
        Assert.Equal((1, false, false), (lineage.Execution.Attempts, lineage.Execution.AlreadyApplied, lineage.Execution.Compensated));
        Assert.Equal(DecisionStatus.AutoApproved, lineage.Outcome.Status);
        Assert.Equal(LineageTruthState.Shown, lineage.Outcome.Truth.State);
        Assert.Equal(0m, lineage.Outcome.Truth.Answer!["discountPercent"]!.GetValue<decimal>());
        Assert.True(lineage.Outcome.Truth.Agreed);
        Assert.Equal(RunStatus.Completed, lineage.Run!.Status);
        Assert.Equal("run.started", lineage.Run.Started!.Action);
        Assert.Equal(await AuditIdsAsync(decision.Id), lineage.Records.Where(r => r.EntityType == "decision").Select(r => r.Id));
    }

    [Fact]
    public async Task AnOverriddenDecision_NamesTheReviewerTheirReasonAndValues_AndWhatWasCarriedOut()
    {
        var decision = await _harness.ProposeAsync(TestCases.UncertainPricing("Override Lineage AB"));
        await ActAsync("operator", (d, a) => d.ClaimAsync(decision.Id, a));
        await ActAsync("operator", (d, a) => d.OverrideAsync(decision.Id, a, new Dictionary<string, string?> { ["discountPercent"] = "3" }, "Matches the last three quotes"));

        var lineage = await LineageAsync(decision.Id, "auditor");

        Assert.Equal([LineageStepKind.Claimed, LineageStepKind.Overridden], lineage.Reviews.Select(r => r.Kind));
        var overridden = lineage.Reviews[1];
        Assert.Equal(("Olivia Operator", "Matches the last three quotes"), (overridden.ActorName, overridden.Reason));
        Assert.Equal(3m, overridden.Values!["discountPercent"]!.GetValue<decimal>());
        Assert.Equal("decision.overridden", overridden.Record.Action);
        Assert.Equal("Dynamic pricing — first line", lineage.Routing.FirstQueue);
        Assert.Equal(ExecutionStatus.Succeeded, lineage.Execution.Status);
        Assert.Equal(3m, lineage.Execution.Values!["discountPercent"]!.GetValue<decimal>());
        Assert.Equal(("Olivia Operator", DecisionStatus.Overridden), (lineage.Outcome.ResolvedBy, lineage.Outcome.Status));
        Assert.True(lineage.Outcome.Truth.Agreed, "3 % is within 2.5 points of the true 4.5 %.");
    }

    [Fact]
    public async Task AnEscalatedThenApprovedDecision_ShowsTheEscalationBetweenQueues_ThenTheSeniorsApproval()
    {
        var decision = await _harness.ProposeAsync(TestCases.UncertainPricing("Escalated Lineage AB"));
        await ActAsync("operator", (d, a) => d.EscalateAsync(decision.Id, a, "Unusual segment for this product"));
        await ActAsync("senior", (d, a) => d.ClaimAsync(decision.Id, a));
        await ActAsync("senior", (d, a) => d.ReleaseAsync(decision.Id, a, "Lunch"));
        await ActAsync("senior", (d, a) => d.ApproveAsync(decision.Id, a, "Fine for a two-year customer"));

        var lineage = await LineageAsync(decision.Id, "auditor");

        Assert.Equal([LineageStepKind.Escalated, LineageStepKind.Claimed, LineageStepKind.Released, LineageStepKind.Approved], lineage.Reviews.Select(r => r.Kind));
        Assert.Equal("from Dynamic pricing — first line to Dynamic pricing — seniors", lineage.Reviews[0].Detail);
        Assert.Equal(("Olivia Operator", "Unusual segment for this product"), (lineage.Reviews[0].ActorName, lineage.Reviews[0].Reason));
        Assert.Equal("back to Dynamic pricing — seniors", lineage.Reviews[2].Detail);
        Assert.Equal(("Sam Senior", "Fine for a two-year customer"), (lineage.Reviews[3].ActorName, lineage.Reviews[3].Reason));
        Assert.True(lineage.Reviews.Zip(lineage.Reviews.Skip(1)).All(p => p.First.Record.Id < p.Second.Record.Id), "Steps are in the order they happened.");
        Assert.Equal(ExecutionStatus.Succeeded, lineage.Execution.Status);
        Assert.Equal(DecisionStatus.Approved, lineage.Outcome.Status);
    }

    [Fact]
    public async Task AFourEyesDecision_ShowsBothApprovals_NumberedAgainstTheTwoThePolicyRequires()
    {
        await PolicyVersions.ActivateAsync(_harness.Services, UseCase.DynamicPricing, d => d.Replace("riskRules:\n",
            "riskRules:\n  - id: four-eyes-test\n    when: inputs.customer == 'Four Eyes AB'\n    then: review\n    tier: 2\n    raiseRiskTo: critical\n", StringComparison.Ordinal));
        var decision = await _harness.ProposeAsync(TestCases.UncertainPricing("Four Eyes AB"));
        await ActAsync("senior", (d, a) => d.ApproveAsync(decision.Id, a, "Checked the quote"));
        await ActAsync("senior2", (d, a) => d.ApproveAsync(decision.Id, a, "Agreed"));

        var lineage = await LineageAsync(decision.Id, "auditor");

        Assert.Contains("rule:four-eyes-test", lineage.Routing.RulesFired);
        Assert.Equal(("SeniorOperator", 2, RiskLevel.Critical), (lineage.Routing.ReviewRole, lineage.Routing.ReviewersRequired, lineage.Routing.Risk));
        Assert.Equal("Dynamic pricing v2", lineage.Routing.PolicyLabel);
        Assert.Equal([LineageStepKind.ApprovalRecorded, LineageStepKind.Approved], lineage.Reviews.Select(r => r.Kind));
        Assert.Equal(("Sam Senior", "verdict 1 of 2; back to Dynamic pricing — seniors"), (lineage.Reviews[0].ActorName, lineage.Reviews[0].Detail));
        Assert.Equal(("Sienna Senior", "verdict 2 of 2"), (lineage.Reviews[1].ActorName, lineage.Reviews[1].Detail));
        Assert.Equal(ExecutionStatus.Succeeded, lineage.Execution.Status);
    }

    [Fact]
    public async Task AFailedExecution_ShowsTheAttemptsTheErrorAndTheCompensation_AndNoReceipt()
    {
        Faults.RandomFailures = false;
        Faults.FailNext(1, ErpFault.LoseAnswerAfterApply);
        Faults.FailNext(10, ErpFault.FailBeforeApply);

        var decision = await _harness.ProposeAsync(TestCases.ConfidentPricing());
        var lineage = await LineageAsync(decision.Id, "auditor");

        Assert.Equal(ExecutionStatus.Compensated, lineage.Execution.Status);
        Assert.True(lineage.Execution.Compensated);
        Assert.Equal(4, lineage.Execution.Attempts);
        Assert.Null(lineage.Execution.ExternalReference);
        Assert.Equal("decision.execution-compensated", lineage.Execution.Record!.Action);
        Assert.Contains("Gave up after 4 attempts", lineage.Execution.Error, StringComparison.Ordinal);
        Assert.Contains("reversed", lineage.Execution.Error, StringComparison.Ordinal);
        Assert.Equal(RunStatus.Failed, lineage.Run!.Status);
    }

    [Fact]
    public async Task TheCase_IsMaskedForTheViewer_AsOnTheDecisionPage_ReasonsIncluded()
    {
        // The default pricing policy hides the margin floor (25 %) from operators.
        var decision = await _harness.ProposeAsync(TestCases.UncertainPricing("Masked Lineage AB"));
        await ActAsync("operator", (d, a) => d.EscalateAsync(decision.Id, a, "The floor of 25 % is close"));
        var operatorView = await ReadDecisionAsync(decision.Id, [Roles.Operator]);

        var forOperator = await LineageAsync(decision.Id, "operator");
        var forSenior = await LineageAsync(decision.Id, "senior");

        Assert.Equal(PolicyMasking.Hidden, forOperator.Case.Inputs["marginFloorPercent"]!.GetValue<string>());
        Assert.Equal(operatorView.Inputs.ToJsonString(), forOperator.Case.Inputs.ToJsonString());
        Assert.Equal(operatorView.Evidence.Select(e => e.Text), forOperator.Case.Evidence.Select(e => e.Text));
        Assert.Contains(forOperator.Case.Evidence, e => e.Hidden);
        Assert.Equal("The floor of ••• % is close", forOperator.Reviews.Single().Reason);
        Assert.Equal(25.0, forSenior.Case.Inputs["marginFloorPercent"]!.GetValue<double>());
        Assert.Equal("The floor of 25 % is close", forSenior.Reviews.Single().Reason);
    }

    [Fact]
    public async Task TheTrueAnswer_IsForAuditorsAndAdmins_ForSeniorsOnceResolved_AndNeverForAReviewerBeforeTheyDecide()
    {
        var decision = await _harness.ProposeAsync(TestCases.UncertainPricing("Truth Lineage AB"));

        var open = new Dictionary<string, LineageTruthState>();
        foreach (var user in new[] { "operator", "senior", "auditor", "admin" })
        {
            open[user] = (await LineageAsync(decision.Id, user)).Outcome.Truth.State;
        }

        await ActAsync("operator", (d, a) => d.RejectAsync(decision.Id, a, "Duplicate quote"));
        var resolved = new Dictionary<string, LineageTruth>();
        foreach (var user in new[] { "operator", "senior", "auditor", "admin" })
        {
            resolved[user] = (await LineageAsync(decision.Id, user)).Outcome.Truth;
        }

        Assert.Equal(LineageTruthState.Withheld, open["operator"]);
        Assert.Equal(LineageTruthState.Withheld, open["senior"]);
        Assert.Equal(LineageTruthState.Shown, open["auditor"]);
        Assert.Equal(LineageTruthState.Shown, open["admin"]);
        Assert.Equal(LineageTruthState.Withheld, resolved["operator"].State);
        Assert.Null(resolved["operator"].Answer);
        Assert.Equal(LineageTruthState.Shown, resolved["senior"].State);
        Assert.Equal(4.5m, resolved["auditor"].Answer!["discountPercent"]!.GetValue<decimal>());
        Assert.Equal(TrueAnswers.Agreed(UseCase.DynamicPricing, DecisionStatus.Rejected, decision.Proposal, null, resolved["auditor"].Answer!), resolved["auditor"].Agreed);
    }

    [Fact]
    public async Task ADecisionOfAnotherTenant_HasNoLineage()
    {
        var fabrikams = await _harness.ProposeAsync(TestCases.UncertainPricing("Other Tenant Oy"), tenantId: DemoData.FabrikamId);
        var auditor = await _harness.ActorAsync("auditor");

        await using var scope = _harness.Scope(auditor.TenantId);
        var lineage = await scope.ServiceProvider.GetRequiredService<DecisionLineageQueries>().GetAsync(fabrikams.Id, auditor);

        Assert.Null(lineage);
    }

    [Fact]
    public void TheRunsTrace_IsTheTraceIdOfItsTraceParent()
    {
        Assert.Equal("4bf92f3577b34da6a3ce929d0e0e4736", LineageRun.TraceIdOf("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"));
        Assert.Null(LineageRun.TraceIdOf(null));
        Assert.Null(LineageRun.TraceIdOf("not a traceparent"));
    }

    private async Task<DecisionView> ReadDecisionAsync(Guid decisionId, HashSet<string> roles)
    {
        await using var scope = _harness.Scope(DemoData.ContosoId);
        return (await scope.ServiceProvider.GetRequiredService<DecisionQueries>().GetAsync(decisionId, roles))!.View;
    }
}
