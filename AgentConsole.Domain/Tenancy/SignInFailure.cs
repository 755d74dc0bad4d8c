namespace AgentConsole.Domain.Tenancy;

/// <summary>
/// One failed demo sign-in for a user name (known or not). Kept in the database so every node counts the same
/// failures; a successful sign-in clears the name's failures, and failures older than a day are purged.
/// </summary>
public sealed class SignInFailure
{
    private SignInFailure()
    {
    }

    public SignInFailure(string userName, DateTimeOffset at)
    {
        UserName = userName;
        At = at;
    }

    public long Id { get; private set; }

    /// <summary>The user name as typed, trimmed and in lower case.</summary>
    public string UserName { get; private set; } = "";

    public DateTimeOffset At { get; private set; }
}
