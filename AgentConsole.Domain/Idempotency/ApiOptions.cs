using System.ComponentModel.DataAnnotations;

namespace AgentConsole.Domain.Idempotency;

/// <summary>How the API keeps its word to retrying clients (section <c>Api</c>).</summary>
public sealed class ApiOptions
{
    public const string Section = "Api";

    /// <summary>
    /// How long an <c>Idempotency-Key</c> and the first answer given under it are kept, in hours (default 24).
    /// A repeat within this time gets the stored answer; afterwards the key may be used again. Expired keys
    /// are deleted by the hourly <c>purge-idempotency-keys</c> job.
    /// </summary>
    [Range(1, 720)]
    public int IdempotencyKeyHours { get; set; } = 24;

    /// <summary>
    /// How long a key stays reserved for a request that is still being processed, in seconds (default 60).
    /// A repeat meanwhile answers 409 (retry later); a repeat after it (the first request's process died
    /// before it stored its answer) takes the key over and runs the request again — a case submission then
    /// finds the run it recorded instead of recording a second.
    /// </summary>
    [Range(5, 3600)]
    public int IdempotencyLockSeconds { get; set; } = 60;
}
