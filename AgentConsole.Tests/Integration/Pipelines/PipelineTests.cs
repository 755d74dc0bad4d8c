using System.Diagnostics;
using AgentConsole.Domain.Decisions;
using AgentConsole.Domain.Execution;
using AgentConsole.Domain.Pipelines;
using AgentConsole.Domain.Telemetry;
using AgentConsole.Domain.Tenancy;
using AgentConsole.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AgentConsole.Tests.Integration.Pipelines;

public sealed class SqlitePipelineTests() : PipelineTests(TestEngine.Sqlite);

public sealed class PostgreSqlPipelineTests() : PipelineTests(TestEngine.PostgreSql);

/// <summary>Pipelines, idempotency and execution, run against each engine.</summary>
public abstract class PipelineTests(TestEngine engine) : IAsyncLifetime
{
    private DomainHarness _harness = default!;

    public async Task InitializeAsync() =>
        _harness = await DomainHarness.CreateAsync(new Dictionary<string, string?> { ["Pipelines:StallAfterSeconds"] = "5" }, engine: engine);

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    private SimulatedErpFaults Faults => _harness.Services.GetRequiredService<SimulatedErpFaults>();

    [Fact]
    public async Task StartRun_RecordsTheRunBeforeHandingItToTheJobSystem()
    {
        var runId = await _harness.StartRunAsync(TestCases.UncertainPricing());

        Assert.Contains(runId, _harness.Scheduler.Runs);
        var run = await _harness.WithDbAsync(db => db.Runs.Include(r => r.Steps).SingleAsync(r => r.Id == runId));
        Assert.Equal(RunStatus.Pending, run.Status);
        Assert.Equal(4, run.Steps.Count);
        Assert.Contains("discountPercent", run.TruthJson, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ProcessRun_Twice_ProposesOneDecision()
    {
        var decision = await _harness.ProposeAsync(TestCases.UncertainPricing());
        await using (var scope = _harness.Scope(DemoData.ContosoId))
        {
            await scope.ServiceProvider.GetRequiredService<PipelineService>().ProcessRunAsync(decision.RunId);
        }

        Assert.Equal(1, await _harness.WithDbAsync(db => db.Decisions.CountAsync(d => d.RunId == decision.RunId)));
        var run = await _harness.WithDbAsync(db => db.Runs.SingleAsync(r => r.Id == decision.RunId));
        Assert.Equal(RunStatus.AwaitingReview, run.Status);
        Assert.Equal(1, run.Attempts);
    }

    [Fact]
    public async Task ProcessRun_InParallel_ProposesOneDecision()
    {
        var runId = await _harness.StartRunAsync(TestCases.UncertainPricing());

        await Task.WhenAll(Enumerable.Range(0, 3).Select(async _ =>
        {
            await using var scope = _harness.Scope(DemoData.ContosoId);
            try
            {
                await scope.ServiceProvider.GetRequiredService<PipelineService>().ProcessRunAsync(runId);
            }
            catch (DbUpdateConcurrencyException)
            {
                // A parallel attempt moved the run on first: Hangfire would retry and find it done.
            }
        }));

        Assert.Equal(1, await _harness.WithDbAsync(db => db.Decisions.CountAsync(d => d.RunId == runId)));
    }

    [Fact]
    public async Task ConfidentLowRiskCase_IsAutoApproved_ExecutedInTheSameJob_AndOnlyOnce()
    {
        var decision = await _harness.ProposeAsync(TestCases.ConfidentPricing());

        Assert.Equal(DecisionStatus.AutoApproved, decision.Status);
        Assert.Empty(_harness.Scheduler.Executions);

        // A duplicate execution job (a retry, the reconciler) finds it done.
        await ExecuteAsync(decision.Id);
        await ExecuteAsync(decision.Id);

        var run = await _harness.WithDbAsync(db => db.Runs.SingleAsync(r => r.Id == decision.RunId));
        Assert.Equal(ExecutionStatus.Succeeded, run.ExecutionStatus);
        Assert.Equal(RunStatus.Completed, run.Status);
        Assert.Equal(1, await _harness.WithDbAsync(db => db.ErpLedger.CountAsync(e => e.IdempotencyKey == ExecutionService.IdempotencyKey(decision.Id))));
    }

    [Fact]
    public async Task ApprovedDecision_IsExecuted_AndALostAnswerIsNotAppliedTwice()
    {
        var decision = await _harness.ProposeAsync(TestCases.UncertainPricing());
        await using (var scope = _harness.Scope(DemoData.ContosoId))
        {
            await scope.ServiceProvider.GetRequiredService<DecisionService>().ApproveAsync(decision.Id, await _harness.ActorAsync("operator"), "ok");
        }

        Faults.RandomFailures = false;
        Faults.FailNext(1, ErpFault.FailBeforeApply);
        Faults.FailNext(1, ErpFault.LoseAnswerAfterApply);
        await ExecuteAsync(decision.Id);

        var run = await _harness.WithDbAsync(db => db.Runs.Include(r => r.Steps).SingleAsync(r => r.Id == decision.RunId));
        Assert.Equal(ExecutionStatus.Succeeded, run.ExecutionStatus);
        Assert.Equal(3, run.Steps.Single(s => s.Name == PipelineRun.ExecuteStep).Attempts);
        var ledger = await _harness.WithDbAsync(db => db.ErpLedger.Where(e => e.IdempotencyKey == ExecutionService.IdempotencyKey(decision.Id)).ToListAsync());
        Assert.Single(ledger);
        var executed = await _harness.WithDbAsync(db => db.AuditEntries.SingleAsync(a => a.EntityId == decision.Id.ToString() && a.Action == "decision.executed"));
        Assert.Contains("\"AlreadyApplied\":true", executed.AfterJson, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExecutionThatKeepsFailing_IsCompensated()
    {
        Faults.RandomFailures = false;
        Faults.FailNext(1, ErpFault.LoseAnswerAfterApply);
        Faults.FailNext(10, ErpFault.FailBeforeApply);

        var decision = await _harness.ProposeAsync(TestCases.ConfidentPricing());
        await ExecuteAsync(decision.Id);

        var run = await _harness.WithDbAsync(db => db.Runs.SingleAsync(r => r.Id == decision.RunId));
        Assert.Equal(ExecutionStatus.Compensated, run.ExecutionStatus);
        Assert.Equal(RunStatus.Failed, run.Status);
        var posting = await _harness.WithDbAsync(db => db.ErpLedger.SingleAsync(e => e.IdempotencyKey == ExecutionService.IdempotencyKey(decision.Id)));
        Assert.NotNull(posting.ReversedAt);
        var audited = await _harness.WithDbAsync(db => db.AuditEntries.Where(a => a.EntityId == decision.Id.ToString()).OrderBy(a => a.Sequence).Select(a => a.Action).ToListAsync());
        Assert.Equal(["decision.proposed", .. Enumerable.Repeat("decision.execution-attempt-failed", 4), "decision.execution-compensated"], audited);
    }

    [Fact]
    public async Task Reconciler_RedrivesRunsWhoseJobVanished()
    {
        var runId = await _harness.StartRunAsync(TestCases.UncertainPricing());

        while (_harness.Scheduler.Runs.TryDequeue(out _))
        {
            // The job "vanished": nothing will process the run.
        }

        await using (var scope = _harness.Scope(DemoData.ContosoId))
        {
            Assert.Equal(0, await scope.ServiceProvider.GetRequiredService<RunReconciler>().ReconcileAsync());
        }

        await Task.Delay(TimeSpan.FromSeconds(5.5));
        await using (var scope = _harness.Scope(DemoData.ContosoId))
        {
            Assert.Equal(1, await scope.ServiceProvider.GetRequiredService<RunReconciler>().ReconcileAsync());
        }

        Assert.Contains(runId, _harness.Scheduler.Runs);
        Assert.True(await _harness.WithDbAsync(db => db.AuditEntries.AnyAsync(a => a.EntityId == runId.ToString() && a.Action == "run.redriven")));
    }

    [Fact]
    public async Task TraceContext_FlowsFromWhereTheRunStarted_IntoItsJob()
    {
        var stopped = new System.Collections.Concurrent.ConcurrentBag<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == AgentConsoleTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = stopped.Add,
        };
        ActivitySource.AddActivityListener(listener);
        Guid runId;
        ActivityTraceId origin;
        using (var request = new Activity("incoming request").Start())
        {
            origin = request.TraceId;
            runId = await _harness.StartRunAsync(TestCases.UncertainPricing());
        }

        // The job runs later, elsewhere: nothing but the stored run links it to the request.
        Activity.Current = null;
        await using (var scope = _harness.Scope(DemoData.ContosoId))
        {
            await scope.ServiceProvider.GetRequiredService<PipelineService>().ProcessRunAsync(runId);
        }

        var trace = stopped.Where(a => a.TraceId == origin).Select(a => a.DisplayName).ToList();
        Assert.Contains("intake pricing", trace);
        Assert.Contains("pipeline run", trace);
        Assert.Contains("step propose", trace);
        Assert.Contains("invoke_agent builtin:pricing/1", trace);
        Assert.Contains("step route", trace);
        Assert.Contains("policy evaluate", trace);
        var decisionId = (await _harness.WithDbAsync(db => db.Decisions.SingleAsync(d => d.RunId == runId))).Id.ToString();
        var audit = await _harness.WithDbAsync(db => db.AuditEntries.SingleAsync(a => a.Action == "decision.proposed" && a.EntityId == decisionId));
        Assert.Equal(origin.ToString(), audit.TraceId);
    }

    private async Task ExecuteAsync(Guid decisionId)
    {
        await using var scope = _harness.Scope(DemoData.ContosoId);
        await scope.ServiceProvider.GetRequiredService<ExecutionService>().ExecuteAsync(decisionId);
    }
}
