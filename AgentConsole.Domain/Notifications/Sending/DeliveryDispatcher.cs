using AgentConsole.Domain.Persistence;
using AgentConsole.Domain.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AgentConsole.Domain.Notifications.Sending;

/// <summary>What one pass of the delivery job did, and when the next delivery falls due (null: nothing waits).</summary>
public sealed record DeliveryRunResult(int Sent, int Retrying, int Failed, DateTimeOffset? NextDueAt);

/// <summary>
/// Sends the outbox of every tenant: each due delivery is claimed by one conditional update (a second worker finds it
/// taken and moves on), sent, and recorded as sent, due again after a growing wait, or failed for good after the last
/// attempt or a refusal. A worker that dies mid-send leaves a claim that lapses, and the delivery is tried again with the
/// same id, which receivers use to drop repeats.
/// </summary>
public sealed class DeliveryDispatcher(DatabaseProvider provider, TimeProvider clock, IOptions<NotificationOptions> options, EmailSender email, WebhookSender webhooks, ILogger<DeliveryDispatcher> logger)
{
    public const int BatchSize = 200;

    public async Task<DeliveryRunResult> RunAsync(CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        List<Guid> due;
        await using (var db = provider.Create(new TenantContext()))
        {
            due = await Due(db, now).OrderBy(d => d.NextAttemptAt).Select(d => d.Id).Take(BatchSize).ToListAsync(cancellationToken);
        }

        int sent = 0, retrying = 0, failed = 0;
        foreach (var id in due)
        {
            var outcome = await SendOneAsync(id, cancellationToken);
            switch (outcome)
            {
                case DeliveryStatus.Sent: sent++; break;
                case DeliveryStatus.Pending: retrying++; break;
                case DeliveryStatus.Failed: failed++; break;
            }
        }

        await using var next = provider.Create(new TenantContext());
        var nextDue = await next.Deliveries.IgnoreQueryFilters().Where(d => d.Status == DeliveryStatus.Pending)
            .OrderBy(d => d.NextAttemptAt).Select(d => (DateTimeOffset?)d.NextAttemptAt).FirstOrDefaultAsync(cancellationToken);
        return new DeliveryRunResult(sent, retrying, failed, nextDue);
    }

    /// <summary>Claims, sends and records one delivery; null when another worker has it or it is no longer due.</summary>
    private async Task<DeliveryStatus?> SendOneAsync(Guid id, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var lockedUntil = now + TimeSpan.FromSeconds(options.Value.WebhookTimeoutSeconds + 60);
        await using var db = provider.Create(new TenantContext());
        var claimed = await Due(db, now).Where(d => d.Id == id).ExecuteUpdateAsync(s => s
            .SetProperty(d => d.Status, DeliveryStatus.Sending)
            .SetProperty(d => d.LockedUntil, lockedUntil)
            .SetProperty(d => d.Attempts, d => d.Attempts + 1), cancellationToken);
        if (claimed == 0)
        {
            return null;
        }

        var delivery = await db.Deliveries.IgnoreQueryFilters().SingleAsync(d => d.Id == id, cancellationToken);
        SendOutcome outcome;
        try
        {
            outcome = await SendAsync(db, delivery, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Whatever went wrong is recorded and counted as an attempt: a delivery never stays claimed by an error.
            outcome = ex is FormatException or MimeKit.ParseException
                ? SendOutcome.GiveUp($"It cannot be sent: {ex.Message}")
                : SendOutcome.Retry($"Sending failed: {ex.Message}");
        }

        var finished = clock.GetUtcNow();
        if (outcome.Sent)
        {
            delivery.Succeeded(outcome.StatusCode, finished);
        }
        else
        {
            var retry = !outcome.Permanent && delivery.Attempts < options.Value.MaxAttempts ? finished + options.Value.RetryDelay(delivery.Attempts) : (DateTimeOffset?)null;
            delivery.AttemptFailed(outcome.StatusCode, outcome.Error ?? "Failed.", retry);
            logger.LogWarning("Delivery {MessageId} ({Channel} to {Target}) failed on attempt {Attempt}: {Error}{Next}", delivery.MessageId, delivery.Channel, delivery.Target,
                delivery.Attempts, outcome.Error, retry is null ? "; given up" : $"; next attempt at {retry:u}");
        }

        await db.SaveChangesAsync(cancellationToken);
        return delivery.Status;
    }

    private async Task<SendOutcome> SendAsync(AgentConsoleDbContext db, Delivery delivery, CancellationToken cancellationToken)
    {
        if (delivery.Channel == DeliveryChannel.Email)
        {
            return await email.SendAsync(delivery, cancellationToken);
        }

        var hook = await db.Webhooks.IgnoreQueryFilters().AsNoTracking().SingleOrDefaultAsync(w => w.Id == delivery.WebhookId && w.TenantId == delivery.TenantId, cancellationToken);
        return hook is null || hook.RemovedAt is not null ? SendOutcome.GiveUp("The webhook was removed before this could be sent.")
            : !hook.IsActive ? SendOutcome.GiveUp("The webhook was switched off before this could be sent.")
            : await webhooks.SendAsync(delivery, hook, cancellationToken);
    }

    /// <summary>Waiting and due, or claimed by a worker whose claim lapsed.</summary>
    private static IQueryable<Delivery> Due(AgentConsoleDbContext db, DateTimeOffset now) =>
        db.Deliveries.IgnoreQueryFilters().Where(d => (d.Status == DeliveryStatus.Pending && d.NextAttemptAt <= now) || (d.Status == DeliveryStatus.Sending && d.LockedUntil < now));
}
