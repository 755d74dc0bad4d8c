using AgentConsole.Domain.Decisions;
using AgentConsole.Domain.Persistence;
using AgentConsole.Domain.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AgentConsole.Domain.Queues.Leases;

/// <summary>How a claim's lease stands after a heartbeat.</summary>
public sealed record LeaseStanding(Guid DecisionId, DateTimeOffset ExpiresAt, int HeartbeatSeconds);

/// <summary>
/// Claims as leases: the reviewer's open decision page renews its claim every few seconds; a claim without a heartbeat
/// for <see cref="QueueOptions.LeaseSeconds"/> goes back to the queue (audited as "lease expired", published live), and
/// closing the page releases it at once.
/// </summary>
public sealed class ClaimLeases(IAgentConsoleDbFactory dbs, DecisionService decisions, TimeProvider clock, IOptions<QueueOptions> options)
{
    /// <summary>Renews the caller's claim. Heartbeats are not audited (the claim and its end are); refused when the claim moved on.</summary>
    public async Task<LeaseStanding> RenewAsync(Guid decisionId, Actor actor, CancellationToken cancellationToken = default)
    {
        if (!actor.Can(Permissions.ActOnDecisions))
        {
            throw DomainException.Forbidden("decision.role", "Your role may not claim decisions.");
        }

        await using var db = dbs.Create();
        var decision = await db.Decisions.SingleOrDefaultAsync(d => d.Id == decisionId, cancellationToken)
            ?? throw DomainException.NotFound("decision.not-found", "This decision does not exist.");
        var now = clock.GetUtcNow();
        decision.RenewLease(actor, now);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            await using var fresh = dbs.Create();
            var current = await fresh.Decisions.AsNoTracking().SingleAsync(d => d.Id == decisionId, cancellationToken);
            current.RenewLease(actor, now);
            throw DomainException.Conflict("decision.changed", $"Your claim on this decision changed a moment ago: {current.StandingForLoser(justChanged: true)}.");
        }

        return new LeaseStanding(decisionId, now + options.Value.Lease, options.Value.HeartbeatSeconds);
    }

    /// <summary>The reviewer closed the decision page: their claim, if they still hold it, goes back to the queue.</summary>
    public async Task<bool> ReleaseOnCloseAsync(Guid decisionId, Actor actor, CancellationToken cancellationToken = default)
    {
        await using (var db = dbs.Create())
        {
            var held = await db.Decisions.AsNoTracking()
                .AnyAsync(d => d.Id == decisionId && d.Status == DecisionStatus.InReview && d.ClaimedById == actor.Id, cancellationToken);
            if (!held)
            {
                return false;
            }
        }

        try
        {
            await decisions.ReleaseAsync(decisionId, actor, "Closed the decision page", cancellationToken);
            return true;
        }
        catch (DomainException)
        {
            // Released, resolved or taken over a moment ago: nothing of theirs is left to release.
            return false;
        }
    }

    /// <summary>Releases the claim if its lease lapsed (no heartbeat within the lease); a heartbeat or action at the same moment wins.</summary>
    public async Task<bool> ExpireIfLapsedAsync(Guid decisionId, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        Decision? seen;
        await using (var db = dbs.Create())
        {
            seen = await db.Decisions.AsNoTracking().SingleOrDefaultAsync(d => d.Id == decisionId, cancellationToken);
        }

        if (seen is null || !seen.LeaseLapsed(now - options.Value.Lease))
        {
            return false;
        }

        var system = Actor.System(seen.TenantId, "Lease expiry");
        var reason = $"Lease expired: {seen.ClaimedByName}'s page sent no heartbeat for {options.Value.LeaseSeconds} seconds, so the claim went back to the queue.";
        var released = await decisions.ActAsSystemAsync(decisionId, system, seen.Version, "expire the lease of", DecisionEventKind.Released, (d, _, _, at) =>
        {
            if (!d.LeaseLapsed(at - options.Value.Lease))
            {
                return Task.FromResult<string?>(null);
            }

            d.ExpireLease(system, reason, at);
            return Task.FromResult<string?>("decision.lease-expired");
        }, reason, cancellationToken);
        return released is { Status: not DecisionStatus.InReview };
    }
}
