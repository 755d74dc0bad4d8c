using AgentConsole.Domain.Tenancy;

namespace AgentConsole.Domain.Idempotency;

/// <summary>Whether the request holding a key is still running or has its answer stored.</summary>
public enum IdempotentRequestState
{
    InProgress,
    Completed,
}

/// <summary>The first answer given to a request, as stored for its repeats.</summary>
public sealed record StoredAnswer(int StatusCode, string? ContentType, string? Location, string Body);

/// <summary>What identifies a request under a key: its method, path and a hash of its query string and body.</summary>
public sealed record RequestFingerprint(string Key, string Method, string Path, string RequestHash);

/// <summary>
/// A client's <c>Idempotency-Key</c> within its tenant: reserved by the first request that used it, then
/// holding that request's answer until it expires. Only successful answers are stored; a failed request
/// gives its key back.
/// </summary>
public sealed class IdempotentRequest : ITenantOwned
{
    /// <summary>The longest key accepted.</summary>
    public const int MaxKeyLength = 200;

    private IdempotentRequest()
    {
    }

    private IdempotentRequest(Guid id, Actor caller, RequestFingerprint request, DateTimeOffset now, TimeSpan lockFor, TimeSpan keepFor)
    {
        Id = id;
        TenantId = caller.TenantId;
        Key = request.Key;
        CallerId = caller.Id;
        Method = request.Method;
        Path = request.Path;
        RequestHash = request.RequestHash;
        State = IdempotentRequestState.InProgress;
        CreatedAt = now;
        LockedUntil = now + lockFor;
        ExpiresAt = now + keepFor;
    }

    public Guid Id { get; private set; }

    public Guid TenantId { get; private set; }

    public string Key { get; private set; } = "";

    /// <summary>The actor who sent the first request; a repeat from anyone else is a different request.</summary>
    public string CallerId { get; private set; } = "";

    public string Method { get; private set; } = "";

    public string Path { get; private set; } = "";

    /// <summary>SHA-256 of the request's query string and body, hex.</summary>
    public string RequestHash { get; private set; } = "";

    public IdempotentRequestState State { get; private set; }

    public int? StatusCode { get; private set; }

    public string? ContentType { get; private set; }

    public string? Location { get; private set; }

    public string? ResponseBody { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    /// <summary>Until when the request that holds the key counts as still running.</summary>
    public DateTimeOffset LockedUntil { get; private set; }

    public DateTimeOffset ExpiresAt { get; private set; }

    public DateTimeOffset? CompletedAt { get; private set; }

    public int Version { get; private set; }

    public StoredAnswer? Answer => State == IdempotentRequestState.Completed ? new StoredAnswer(StatusCode!.Value, ContentType, Location, ResponseBody ?? "") : null;

    /// <summary>Reserves a key for a request about to run.</summary>
    public static IdempotentRequest Reserve(Actor caller, RequestFingerprint request, DateTimeOffset now, TimeSpan lockFor, TimeSpan keepFor) =>
        new(Guid.NewGuid(), caller, request, now, lockFor, keepFor);

    /// <summary>Whether keys of this form are accepted: 1–200 visible ASCII characters.</summary>
    public static bool IsValidKey(string key) => key.Length is > 0 and <= MaxKeyLength && key.All(c => c is > ' ' and <= '~');

    public bool IsExpired(DateTimeOffset now) => ExpiresAt <= now;

    /// <summary>Whether a request is a repeat of the one that reserved the key.</summary>
    public bool IsRepeatOf(Actor caller, RequestFingerprint request) =>
        CallerId == caller.Id && Method == request.Method && Path == request.Path && RequestHash == request.RequestHash;

    /// <summary>Whether the request holding the key is presumed gone (its reservation ran out before it stored an answer).</summary>
    public bool IsAbandoned(DateTimeOffset now) => State == IdempotentRequestState.InProgress && LockedUntil <= now;

    /// <summary>A repeat takes over a key whose first request is gone.</summary>
    public void TakeOver(DateTimeOffset now, TimeSpan lockFor)
    {
        if (!IsAbandoned(now))
        {
            throw DomainException.Conflict("idempotency.in-progress", "The request with this Idempotency-Key is still being processed.");
        }

        LockedUntil = now + lockFor;
        Version++;
    }

    /// <summary>Stores the answer; repeats get it from now on.</summary>
    public void Complete(StoredAnswer answer, DateTimeOffset now)
    {
        if (State == IdempotentRequestState.Completed)
        {
            throw DomainException.Conflict("idempotency.completed", "The request with this Idempotency-Key already has its answer.");
        }

        State = IdempotentRequestState.Completed;
        StatusCode = answer.StatusCode;
        ContentType = answer.ContentType;
        Location = answer.Location;
        ResponseBody = answer.Body;
        CompletedAt = now;
        Version++;
    }
}
