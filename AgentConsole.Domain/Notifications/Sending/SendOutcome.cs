namespace AgentConsole.Domain.Notifications.Sending;

/// <summary>How one attempt went: sent, or failed (for good when <see cref="Permanent"/>), with the receiver's status code.</summary>
public sealed record SendOutcome(bool Sent, int? StatusCode, string? Error, bool Permanent = false)
{
    public static SendOutcome Ok(int? statusCode = null) => new(true, statusCode, null);

    public static SendOutcome Retry(string error, int? statusCode = null) => new(false, statusCode, error);

    public static SendOutcome GiveUp(string error, int? statusCode = null) => new(false, statusCode, error, Permanent: true);
}
