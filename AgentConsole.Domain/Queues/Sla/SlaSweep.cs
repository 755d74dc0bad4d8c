using System.Diagnostics;
using AgentConsole.Domain.Decisions;
using AgentConsole.Domain.Persistence;
using AgentConsole.Domain.Queues.Leases;
using AgentConsole.Domain.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AgentConsole.Domain.Queues.Sla;

/// <summary>What one sweep did.</summary>
/// <param name="Due">Decisions whose next ladder step was due.</param>
/// <param name="StepsFired">Ladder steps fired (each audited).</param>
/// <param name="LeasesExpired">Claims released because their lease lapsed.</param>
public sealed record SlaSweepResult(int Due, int StepsFired, int LeasesExpired);

/// <summary>
/// Every tenant's SLA work, once a minute: lapsed claim leases go back to their queues, and each decision whose next
/// ladder step is due (its precomputed <see cref="Decision.NextSlaStepAt"/>; an index keeps this to the rows due) is
/// advanced in its own tenant's scope. Safe to run twice or at once on two workers: a step's unique firing row and the
/// decision's version make sure nothing happens twice.
/// </summary>
public sealed class SlaSweep(DatabaseProvider provider, IServiceScopeFactory scopes, TimeProvider clock, IOptions<QueueOptions> options, ILogger<SlaSweep> logger)
{
    public async Task<SlaSweepResult> RunAsync(CancellationToken cancellationToken = default)
    {
        var started = Stopwatch.GetTimestamp();
        var now = clock.GetUtcNow();
        var cutoff = now - options.Value.Lease;
        List<(Guid Id, Guid TenantId)> due;
        List<(Guid Id, Guid TenantId)> lapsed;
        await using (var db = provider.Create(new TenantContext()))
        {
            // Decisions people resolved keep a planned time: clear it once, so the index holds only open work.
            await db.Decisions.IgnoreQueryFilters()
                .Where(d => d.NextSlaStepAt <= now && d.Status != DecisionStatus.Pending && d.Status != DecisionStatus.InReview && d.Status != DecisionStatus.Escalated)
                .ExecuteUpdateAsync(s => s.SetProperty(d => d.NextSlaStepAt, (DateTimeOffset?)null), cancellationToken);
            due = [.. (await db.Decisions.IgnoreQueryFilters().AsNoTracking().Where(d => d.NextSlaStepAt <= now)
                .OrderBy(d => d.NextSlaStepAt).Take(options.Value.SweepBatchSize)
                .Select(d => new { d.Id, d.TenantId }).ToListAsync(cancellationToken)).Select(d => (d.Id, d.TenantId))];
            lapsed = [.. (await db.Decisions.IgnoreQueryFilters().AsNoTracking().Where(d => d.Status == DecisionStatus.InReview && d.LeaseRenewedAt < cutoff)
                .Select(d => new { d.Id, d.TenantId }).ToListAsync(cancellationToken)).Select(d => (d.Id, d.TenantId))];
        }

        var expired = 0;
        var fired = 0;
        foreach (var tenant in lapsed.Concat(due).Select(d => d.TenantId).Distinct())
        {
            await using var scope = scopes.CreateAsyncScope();
            scope.ServiceProvider.GetRequiredService<TenantContext>().Use(tenant);
            var leases = scope.ServiceProvider.GetRequiredService<ClaimLeases>();
            foreach (var (id, _) in lapsed.Where(d => d.TenantId == tenant))
            {
                expired += await leases.ExpireIfLapsedAsync(id, cancellationToken) ? 1 : 0;
            }

            var runner = scope.ServiceProvider.GetRequiredService<SlaLadderRunner>();
            BusinessClock calendar;
            await using (var db = scope.ServiceProvider.GetRequiredService<IAgentConsoleDbFactory>().Create())
            {
                calendar = await BusinessCalendars.ClockAsync(db, cancellationToken);
            }

            foreach (var (id, _) in due.Where(d => d.TenantId == tenant))
            {
                try
                {
                    fired += await runner.AdvanceAsync(id, calendar, cancellationToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // One decision's trouble (e.g. a policy that no longer compiles) must not hold up the others.
                    logger.LogError(ex, "The SLA ladder could not advance decision {DecisionId}", id);
                }
            }
        }

        if (due.Count > 0 || lapsed.Count > 0)
        {
            logger.LogInformation("SLA sweep: {Due} due, {Fired} steps fired, {Expired} leases expired in {Elapsed} ms",
                due.Count, fired, expired, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }

        return new SlaSweepResult(due.Count, fired, expired);
    }
}
