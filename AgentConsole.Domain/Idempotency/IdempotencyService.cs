using AgentConsole.Domain.Persistence;
using AgentConsole.Domain.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AgentConsole.Domain.Idempotency;

/// <summary>What to do with a request that carries an <c>Idempotency-Key</c>.</summary>
public enum IdempotencyVerdict
{
    /// <summary>The key is reserved for this request: run it, then store or release its answer.</summary>
    Run,
    /// <summary>The same request was answered before: give the stored answer.</summary>
    Replay,
    /// <summary>The same request is still being processed: the caller retries later.</summary>
    InProgress,
    /// <summary>The key belongs to a different request (another path, body or caller).</summary>
    Mismatch,
}

/// <summary>The outcome of presenting a key: a reservation to finish, or the answer to give.</summary>
public sealed record IdempotencyClaim(IdempotencyVerdict Verdict, Guid ReservationId, StoredAnswer? Answer, string? UsedFor);

/// <summary>
/// Idempotency keys of API clients, per tenant: the first request under a key reserves it, its successful
/// answer is stored, and a repeat of the same request gets that answer instead of running again. Two
/// requests with one key never both run: the key's unique index lets one reservation win.
/// </summary>
public sealed class IdempotencyService(
    IAgentConsoleDbFactory dbs,
    DatabaseProvider provider,
    TimeProvider clock,
    IOptions<ApiOptions> options,
    ILogger<IdempotencyService> logger)
{
    private TimeSpan LockFor => TimeSpan.FromSeconds(options.Value.IdempotencyLockSeconds);

    private TimeSpan KeepFor => TimeSpan.FromHours(options.Value.IdempotencyKeyHours);

    /// <summary>Reserves the key for this request, or says what the caller gets instead.</summary>
    public async Task<IdempotencyClaim> ClaimAsync(Actor caller, RequestFingerprint request, CancellationToken cancellationToken = default)
    {
        if (!IdempotentRequest.IsValidKey(request.Key))
        {
            throw DomainException.Invalid("idempotency.key", "An Idempotency-Key is 1 to 200 visible ASCII characters, e.g. a UUID.",
                new Dictionary<string, string[]> { ["Idempotency-Key"] = ["Use 1 to 200 visible ASCII characters, e.g. a UUID."] });
        }

        // A lost race (another request inserted the key, or took an abandoned one over) is read again.
        for (var attempt = 0; ; attempt++)
        {
            await using var db = dbs.Create();
            var now = clock.GetUtcNow();
            var held = await db.IdempotentRequests.SingleOrDefaultAsync(r => r.Key == request.Key, cancellationToken);
            try
            {
                if (held is null || held.IsExpired(now))
                {
                    if (held is not null)
                    {
                        db.IdempotentRequests.Remove(held);
                        await db.SaveChangesAsync(cancellationToken);
                    }

                    var reserved = IdempotentRequest.Reserve(caller, request, now, LockFor, KeepFor);
                    db.IdempotentRequests.Add(reserved);
                    await db.SaveChangesAsync(cancellationToken);
                    return new IdempotencyClaim(IdempotencyVerdict.Run, reserved.Id, null, null);
                }

                if (!held.IsRepeatOf(caller, request))
                {
                    return new IdempotencyClaim(IdempotencyVerdict.Mismatch, held.Id, null, $"{held.Method} {held.Path}");
                }

                if (held.Answer is { } answer)
                {
                    return new IdempotencyClaim(IdempotencyVerdict.Replay, held.Id, answer, null);
                }

                if (!held.IsAbandoned(now))
                {
                    return new IdempotencyClaim(IdempotencyVerdict.InProgress, held.Id, null, null);
                }

                logger.LogWarning("Idempotency key {Key} was held by a request that stored no answer; its repeat runs it again", request.Key);
                held.TakeOver(now, LockFor);
                await db.SaveChangesAsync(cancellationToken);
                return new IdempotencyClaim(IdempotencyVerdict.Run, held.Id, null, null);
            }
            catch (DbUpdateException) when (attempt < 3)
            {
                // Read the key again: the other request's reservation decides.
            }
        }
    }

    /// <summary>Stores a successful answer for the repeats of the request.</summary>
    public async Task CompleteAsync(Guid reservationId, StoredAnswer answer, CancellationToken cancellationToken = default)
    {
        await using var db = dbs.Create();
        var held = await db.IdempotentRequests.SingleOrDefaultAsync(r => r.Id == reservationId, cancellationToken);
        if (held is null || held.State == IdempotentRequestState.Completed)
        {
            return;
        }

        held.Complete(answer, clock.GetUtcNow());
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            // A repeat took the key over meanwhile; its answer is stored instead.
        }
    }

    /// <summary>Gives the key back after a failed request, so a corrected request may use it.</summary>
    public async Task ReleaseAsync(Guid reservationId, CancellationToken cancellationToken = default)
    {
        await using var db = dbs.Create();
        await db.IdempotentRequests.Where(r => r.Id == reservationId && r.State == IdempotentRequestState.InProgress).ExecuteDeleteAsync(cancellationToken);
    }

    /// <summary>Deletes every tenant's expired keys; returns how many.</summary>
    public async Task<int> PurgeExpiredAsync(CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        await using var db = provider.Create(new TenantContext());
        return await db.IdempotentRequests.IgnoreQueryFilters().Where(r => r.ExpiresAt <= now).ExecuteDeleteAsync(cancellationToken);
    }
}
