using AgentConsole.Domain.Audit;
using AgentConsole.Domain.Decisions;
using AgentConsole.Domain.Persistence;
using AgentConsole.Domain.Pipelines;
using AgentConsole.Domain.Telemetry;
using AgentConsole.Domain.Tenancy;
using AgentConsole.Domain.Traces;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AgentConsole.Domain.Execution;

/// <summary>
/// Carries out approved decisions through the execution connector: one idempotency key per
/// decision, retries with backoff, and a compensating action when retries run out.
/// </summary>
public sealed class ExecutionService(
    IAgentConsoleDbFactory dbs,
    IExecutionConnector connector,
    TimeProvider clock,
    DecisionEventBus events,
    IOptions<ExecutionOptions> options,
    ILogger<ExecutionService> logger)
{
    public static string IdempotencyKey(Guid decisionId) => $"decision/{decisionId:N}/execute";

    public async Task ExecuteAsync(Guid decisionId, CancellationToken cancellationToken = default)
    {
        await using var db = dbs.Create();
        var decision = await db.Decisions.AsNoTracking().SingleOrDefaultAsync(d => d.Id == decisionId, cancellationToken);
        // A gold item (calibration) is never carried out, whoever asks.
        if (decision is null || !decision.Status.IsExecutable() || await db.GoldItems.AnyAsync(g => g.DecisionId == decisionId, cancellationToken))
        {
            return;
        }

        var run = await db.Runs.Include(r => r.Steps).SingleAsync(r => r.Id == decision.RunId, cancellationToken);
        using var activity = AgentConsoleTelemetry.StartContinuing($"step {PipelineRun.ExecuteStep}", run.TraceParent).ForTenant(decision.TenantId);
        activity?.SetTag(SpanAttributes.DecisionId, decisionId.ToString());
        activity?.SetTag(SpanAttributes.RunId, run.Id.ToString());
        activity?.SetTag(SpanAttributes.Connector, connector.Name);
        if (run.ExecutionStatus != ExecutionStatus.Pending)
        {
            activity?.SetTag(SpanAttributes.ExecutionOutcome, "already " + run.ExecutionStatus.ToString().ToLowerInvariant());
            return;
        }

        var request = new ExecutionRequest(decision.TenantId, IdempotencyKey(decision.Id), decision.UseCase, decision.Subject, decision.FinalJson ?? decision.ProposalJson);
        var system = Actor.System(decision.TenantId, connector.Name);
        var o = options.Value;
        string? lastError = null;
        for (var attempt = 1; attempt <= o.MaxAttempts; attempt++)
        {
            activity?.SetTag(SpanAttributes.ExecutionAttempts, attempt);
            try
            {
                var receipt = await CallAsync(request, attempt, cancellationToken);
                activity?.SetTag(SpanAttributes.ExecutionOutcome, "succeeded");
                var now = clock.GetUtcNow();
                run.ExecutionSucceeded(now);
                db.AuditEntries.Add(AuditEntry.Record(system, "decision.executed", "decision", decision.Id.ToString(), null, null,
                    new { connector = connector.Name, receipt.ExternalReference, receipt.AlreadyApplied, attempt, values = request.ValuesJson }, now));
                await SaveAsync(db, run, cancellationToken);
                AgentConsoleTelemetry.Executions.Add(1, new KeyValuePair<string, object?>("outcome", "succeeded"));
                await events.PublishAsync(new DecisionEvent(decision.TenantId, decision.Id, decision.QueueId, null, DecisionEventKind.Executed, decision.Status, decision.Version, connector.Name, now));
                return;
            }
            catch (ConnectorException ex)
            {
                lastError = ex.Message;
                logger.LogWarning("Execution of decision {DecisionId}, attempt {Attempt} of {Max}, failed: {Error}", decision.Id, attempt, o.MaxAttempts, ex.Message);
                var failedAt = clock.GetUtcNow();
                run.ExecutionAttemptFailed($"Attempt {attempt}: {ex.Message}", failedAt);
                db.AuditEntries.Add(AuditEntry.Record(system, "decision.execution-attempt-failed", "decision", decision.Id.ToString(), ex.Message, null,
                    new { connector = connector.Name, attempt, of = o.MaxAttempts }, failedAt));
                if (!await SaveAsync(db, run, cancellationToken))
                {
                    return;
                }

                if (attempt < o.MaxAttempts)
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(o.RetryDelayMilliseconds * Math.Pow(2, attempt - 1)), clock, cancellationToken);
                }
            }
        }

        var compensated = await CompensateAsync(request, cancellationToken);
        var at = clock.GetUtcNow();
        var message = $"Gave up after {o.MaxAttempts} attempts: {lastError}" + (compensated ? " The partial posting was reversed." : "");
        activity?.SetTag(SpanAttributes.ExecutionOutcome, compensated ? "compensated" : "failed");
        activity?.SetTag(SpanAttributes.ExecutionCompensated, compensated);
        activity?.SetStatus(System.Diagnostics.ActivityStatusCode.Error, message);
        run.ExecutionGaveUp(compensated, message, at);
        db.AuditEntries.Add(AuditEntry.Record(system, compensated ? "decision.execution-compensated" : "decision.execution-failed", "decision",
            decision.Id.ToString(), message, null, new { connector = connector.Name, compensated }, at));
        await SaveAsync(db, run, cancellationToken);
        AgentConsoleTelemetry.Executions.Add(1, new KeyValuePair<string, object?>("outcome", compensated ? "compensated" : "failed"));
        await events.PublishAsync(new DecisionEvent(decision.TenantId, decision.Id, decision.QueueId, null, DecisionEventKind.ExecutionFailed, decision.Status, decision.Version, connector.Name, at));
    }

    /// <summary>One call of the connector, as a client span of its own; a failed call is an error span with its exception.</summary>
    private async Task<ExecutionReceipt> CallAsync(ExecutionRequest request, int attempt, CancellationToken cancellationToken)
    {
        using var call = AgentConsoleTelemetry.Source.StartActivity($"execute {connector.Name}", System.Diagnostics.ActivityKind.Client).ForTenant(request.TenantId);
        call?.SetTag(SpanAttributes.Connector, connector.Name);
        call?.SetTag(SpanAttributes.ExecutionAttempt, attempt);
        try
        {
            var receipt = await connector.ExecuteAsync(request, cancellationToken);
            call?.SetTag(SpanAttributes.ExecutionReference, receipt.ExternalReference);
            return receipt;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            call.Fail(ex);
            throw;
        }
    }

    /// <summary>The compensating action, as a client span of its own.</summary>
    private async Task<bool> CompensateAsync(ExecutionRequest request, CancellationToken cancellationToken)
    {
        using var compensate = AgentConsoleTelemetry.Source.StartActivity($"compensate {connector.Name}", System.Diagnostics.ActivityKind.Client).ForTenant(request.TenantId);
        compensate?.SetTag(SpanAttributes.Connector, connector.Name);
        try
        {
            var compensated = await connector.CompensateAsync(request, cancellationToken);
            compensate?.SetTag(SpanAttributes.ExecutionCompensated, compensated);
            return compensated;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            compensate.Fail(ex);
            throw;
        }
    }

    /// <summary>Saves the run; false when a parallel attempt already moved it on (that attempt owns the outcome).</summary>
    private async Task<bool> SaveAsync(AgentConsoleDbContext db, PipelineRun run, CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return true;
        }
        catch (DbUpdateConcurrencyException)
        {
            logger.LogInformation("Run {RunId} was executed by a parallel attempt", run.Id);
            return false;
        }
    }
}
