namespace AgentConsole.Domain.Tenancy;

/// <summary>Whether an account is a person's or a program's (a script, CI or an agent holding client credentials).</summary>
public enum AppUserKind
{
    Person,
    Service,
}

/// <summary>
/// Someone who signs in to the console: a person through single sign-on or the demo sign-in, or a service principal
/// calling the API with a token. An account is known by the identity provider that vouches for it (<see cref="Issuer"/>)
/// and its id there (<see cref="Subject"/>). Its roles are those the provider asserted at the last sign-in plus those an
/// admin granted in the console; only roles the console knows count. Every change that must end the account's open
/// sessions (disabled, roles changed) gives it a new <see cref="SecurityStamp"/>, which every session carries and every
/// node compares.
/// </summary>
public sealed class AppUser : ITenantOwned
{
    /// <summary>The issuer of the demo users, who sign in with the demo password.</summary>
    public const string DemoIssuer = "agentconsole:demo";

    private AppUser()
    {
    }

    /// <summary>A demo user: known by user name, with roles granted in the console.</summary>
    public AppUser(Guid id, Guid tenantId, string userName, string displayName, string email, IEnumerable<string> roles)
        : this(id, tenantId, AppUserKind.Person, DemoIssuer, userName, userName, displayName, email)
    {
        GrantedRolesCsv = Csv(Known(roles));
    }

    /// <summary>An account seen for the first time at sign-in; its provider's roles are set with <see cref="SignedIn"/>.</summary>
    public AppUser(Guid id, Guid tenantId, AppUserKind kind, string issuer, string subject, string userName, string displayName, string email)
    {
        Id = id;
        TenantId = tenantId;
        Kind = kind;
        Issuer = issuer;
        Subject = subject;
        UserName = userName;
        DisplayName = displayName;
        Email = email;
        IsActive = true;
        SecurityStamp = NewStamp();
    }

    public Guid Id { get; private set; }

    public Guid TenantId { get; private set; }

    public AppUserKind Kind { get; private set; }

    /// <summary>Who vouches for the account: the identity provider's issuer, or <see cref="DemoIssuer"/>.</summary>
    public string Issuer { get; private set; } = "";

    /// <summary>The account's id at its issuer (a person's subject or object id, a service principal's client id).</summary>
    public string Subject { get; private set; } = "";

    /// <summary>The name a person signs in with, as the provider gives it (e-mail or login name); a client id for a service.</summary>
    public string UserName { get; private set; } = "";

    public string DisplayName { get; private set; } = "";

    public string Email { get; private set; } = "";

    /// <summary>Roles the identity provider asserted at the last sign-in (known roles only).</summary>
    public string ProviderRolesCsv { get; private set; } = "";

    /// <summary>Roles an admin granted in the console (and the demo users' roles).</summary>
    public string GrantedRolesCsv { get; private set; } = "";

    /// <summary>False once an admin disabled the account: it cannot sign in, and its sessions end.</summary>
    public bool IsActive { get; private set; }

    /// <summary>Changes whenever the account's open sessions must end; sessions carry the stamp they began with.</summary>
    public string SecurityStamp { get; private set; } = "";

    public DateTimeOffset? LastSignInAt { get; private set; }

    public IReadOnlyList<string> ProviderRoles => Split(ProviderRolesCsv);

    public IReadOnlyList<string> GrantedRoles => Split(GrantedRolesCsv);

    /// <summary>The roles the account acts with: the provider's and the granted ones.</summary>
    public IReadOnlyList<string> Roles => [.. Tenancy.Roles.All.Where(r => ProviderRoles.Contains(r) || GrantedRoles.Contains(r))];

    public Actor ToActor() => Actor.User(Id, DisplayName, TenantId, Roles);

    /// <summary>A snapshot for the audit trail.</summary>
    public object Snapshot() => new { Kind = Kind.ToString(), UserName, DisplayName, IsActive, ProviderRoles, GrantedRoles };

    /// <summary>
    /// Records a sign-in: what the provider says now about the account's name, e-mail and roles. Returns whether its
    /// roles changed, in which case sessions begun with the old ones end.
    /// </summary>
    public bool SignedIn(string userName, string displayName, string email, IEnumerable<string> providerRoles, DateTimeOffset at)
    {
        EnsureActive();
        UserName = Limit(userName, 200);
        DisplayName = Limit(displayName, 200);
        Email = Limit(email, 320);
        LastSignInAt = at;
        return UpdateProviderRoles(providerRoles);
    }

    /// <summary>Keeps the roles the provider asserts now (known ones); returns whether they changed, and if so ends older sessions.</summary>
    public bool UpdateProviderRoles(IEnumerable<string> providerRoles)
    {
        var roles = Csv(providerRoles);
        if (roles == ProviderRolesCsv)
        {
            return false;
        }

        ProviderRolesCsv = roles;
        SecurityStamp = NewStamp();
        return true;
    }

    /// <summary>Notes that a token of the account was used, at most once per <paramref name="resolution"/> so a busy script writes little.</summary>
    public bool Seen(DateTimeOffset at, TimeSpan resolution)
    {
        if (LastSignInAt is { } last && at - last < resolution)
        {
            return false;
        }

        LastSignInAt = at;
        return true;
    }

    public void EnsureActive()
    {
        if (!IsActive)
        {
            throw DomainException.Forbidden("user.disabled", "This account is disabled. Ask an admin of your organisation to enable it.");
        }
    }

    public void Disable()
    {
        if (!IsActive)
        {
            throw DomainException.Conflict("user.already-disabled", $"{DisplayName} is already disabled.");
        }

        IsActive = false;
        SecurityStamp = NewStamp();
    }

    public void Enable()
    {
        if (IsActive)
        {
            throw DomainException.Conflict("user.already-enabled", $"{DisplayName} is already enabled.");
        }

        IsActive = true;
        SecurityStamp = NewStamp();
    }

    public void Grant(string role)
    {
        RequireKnown(role);
        if (GrantedRoles.Contains(role))
        {
            throw DomainException.Conflict("user.role-already-granted", $"{DisplayName} already has the role {Tenancy.Roles.Label(role)} granted in the console.");
        }

        GrantedRolesCsv = Csv([.. GrantedRoles, role]);
        SecurityStamp = NewStamp();
    }

    public void Remove(string role)
    {
        RequireKnown(role);
        if (!GrantedRoles.Contains(role))
        {
            throw ProviderRoles.Contains(role)
                ? DomainException.Conflict("user.role-from-provider", $"{DisplayName} has the role {Tenancy.Roles.Label(role)} from the identity provider: remove it there (it would come back at the next sign-in).")
                : DomainException.Conflict("user.role-not-granted", $"{DisplayName} does not have the role {Tenancy.Roles.Label(role)}.");
        }

        GrantedRolesCsv = Csv(GrantedRoles.Where(r => r != role));
        SecurityStamp = NewStamp();
    }

    /// <summary>The role names the console knows, in its order; others are left out.</summary>
    public static IReadOnlyList<string> Known(IEnumerable<string> roles)
    {
        var given = roles.ToHashSet(StringComparer.Ordinal);
        return [.. Tenancy.Roles.All.Where(given.Contains)];
    }

    private static void RequireKnown(string role)
    {
        if (!Tenancy.Roles.All.Contains(role))
        {
            throw DomainException.Invalid("user.unknown-role", $"'{role}' is not a console role.",
                new Dictionary<string, string[]> { ["role"] = [$"One of {string.Join(", ", Tenancy.Roles.All)}."] });
        }
    }

    private static string[] Split(string csv) => csv.Split(',', StringSplitOptions.RemoveEmptyEntries);

    private static string Csv(IEnumerable<string> roles) => string.Join(',', Known(roles));

    private static string Limit(string text, int length) => text.Length <= length ? text : text[..length];

    private static string NewStamp() => Guid.NewGuid().ToString("N");
}
