using AgentConsole.Domain.Audit;
using AgentConsole.Domain.Persistence;
using AgentConsole.Domain.Telemetry;
using AgentConsole.Domain.Tenancy;
using AgentConsole.Domain.Traces;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AgentConsole.Domain.Pipelines;

/// <summary>
/// Re-drives runs whose job vanished (a killed process, a lost queue entry): any run that has
/// not moved for a while is handed to the job system again. Runs that keep failing are marked failed.
/// </summary>
public sealed class RunReconciler(
    DatabaseProvider provider,
    IPipelineScheduler scheduler,
    TimeProvider clock,
    IOptions<PipelineOptions> options,
    ILogger<RunReconciler> logger)
{
    /// <summary>Looks at every tenant's stalled runs; returns how many were re-driven or failed.</summary>
    public async Task<int> ReconcileAsync(CancellationToken cancellationToken = default)
    {
        var o = options.Value;
        var now = clock.GetUtcNow();
        var cutoff = now.AddSeconds(-o.StallAfterSeconds);
        await using var db = provider.Create(new TenantContext());
        var stalled = await db.Runs.IgnoreQueryFilters().Include(r => r.Steps)
            .Where(r => ((r.Status == RunStatus.Pending || r.Status == RunStatus.Running)
                         || (r.Status == RunStatus.Executing && r.ExecutionStatus == ExecutionStatus.Pending))
                        && r.UpdatedAt < cutoff)
            .OrderBy(r => r.UpdatedAt)
            .Take(500)
            .ToListAsync(cancellationToken);

        var redriven = new List<PipelineRun>();
        foreach (var run in stalled)
        {
            var system = Actor.System(run.TenantId, "reconciler");
            if (run.Status != RunStatus.Executing && run.Attempts >= o.MaxAttempts)
            {
                run.Fail(PipelineRun.ProposeStep, $"Gave up after {run.Attempts} attempts.", now);
                db.AuditEntries.Add(AuditEntry.Record(system, "run.failed", "run", run.Id.ToString(), $"No proposal after {run.Attempts} attempts.", null, null, now));
                continue;
            }

            run.Redriven(now);
            db.AuditEntries.Add(AuditEntry.Record(system, "run.redriven", "run", run.Id.ToString(),
                $"No progress since {run.UpdatedAt:u}.", null, new { status = run.Status.ToString() }, now));
            redriven.Add(run);
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            // A job moved some run on meanwhile; the next pass looks again.
            return 0;
        }

        foreach (var run in redriven)
        {
            // The re-driven job joins the run's trace, not the reconciler's.
            using var handoff = AgentConsoleTelemetry.StartContinuing("redrive run", run.TraceParent, System.Diagnostics.ActivityKind.Producer).ForTenant(run.TenantId);
            handoff?.SetTag(SpanAttributes.RunId, run.Id.ToString());
            if (run.Status == RunStatus.Executing)
            {
                scheduler.EnqueueExecution(run.TenantId, run.DecisionId!.Value);
            }
            else
            {
                scheduler.EnqueueRun(run.TenantId, run.Id);
            }
        }

        if (stalled.Count > 0)
        {
            logger.LogInformation("Reconciler re-drove {Redriven} and failed {Failed} stalled runs", redriven.Count, stalled.Count - redriven.Count);
        }

        return stalled.Count;
    }
}
