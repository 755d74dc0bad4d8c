namespace AgentConsole.Domain.Tenancy;

/// <summary>
/// Who an identity provider says signed in (or holds a token), with the console tenant their provider tenant maps to.
/// <paramref name="Roles"/> are the role names as the provider sent them, known to the console or not.
/// </summary>
public sealed record ExternalIdentity(
    AppUserKind Kind, string Issuer, string Subject, Guid TenantId, string UserName, string DisplayName, string Email, IReadOnlyList<string> Roles);

/// <summary>Why a sign-in was refused; each has a page or ProblemDetails that says so.</summary>
public enum SignInRefusal
{
    /// <summary>The account is disabled in the console.</summary>
    Disabled,
    /// <summary>The provider's tenant maps to no console tenant.</summary>
    UnknownTenant,
    /// <summary>The account belongs to another console tenant than the one its provider tenant maps to now.</summary>
    OtherTenant,
    /// <summary>The provider sent no usable subject.</summary>
    Incomplete,
    /// <summary>Too many failed demo sign-ins for the user name.</summary>
    LockedOut,
    /// <summary>Wrong demo user name or password.</summary>
    WrongPassword,
}

/// <summary>The outcome of a sign-in: the account and its tenant, or why it was refused.</summary>
public sealed record SignInOutcome(AppUser? User, Tenant? Tenant, SignInRefusal? Refusal, DateTimeOffset? LockedUntil = null)
{
    public static SignInOutcome Refused(SignInRefusal refusal, DateTimeOffset? lockedUntil = null) => new(null, null, refusal, lockedUntil);

    public bool Succeeded => User is not null && Tenant is not null;
}
