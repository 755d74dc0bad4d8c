namespace AgentConsole.Domain.Tenancy;

/// <summary>A person who signs in to the console. Roles come from the directory (SSO) or the demo seed.</summary>
public sealed class AppUser : ITenantOwned
{
    private AppUser()
    {
    }

    public AppUser(Guid id, Guid tenantId, string userName, string displayName, string email, IEnumerable<string> roles)
    {
        Id = id;
        TenantId = tenantId;
        UserName = userName;
        DisplayName = displayName;
        Email = email;
        RolesCsv = string.Join(',', roles);
        IsActive = true;
    }

    public Guid Id { get; private set; }

    public Guid TenantId { get; private set; }

    public string UserName { get; private set; } = "";

    public string DisplayName { get; private set; } = "";

    public string Email { get; private set; } = "";

    public string RolesCsv { get; private set; } = "";

    public bool IsActive { get; private set; }

    public IReadOnlyList<string> Roles => RolesCsv.Split(',', StringSplitOptions.RemoveEmptyEntries);

    public Actor ToActor() => Actor.User(Id, DisplayName, TenantId, Roles);
}
