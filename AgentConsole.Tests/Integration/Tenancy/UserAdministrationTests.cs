using AgentConsole.Domain;
using AgentConsole.Domain.Tenancy;
using AgentConsole.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AgentConsole.Tests.Integration.Tenancy;

public sealed class SqliteUserAdministrationTests() : UserAdministrationTests(TestEngine.Sqlite);

public sealed class PostgreSqlUserAdministrationTests() : UserAdministrationTests(TestEngine.PostgreSql);

/// <summary>Provisioning at sign-in, an admin's changes to accounts, and the demo sign-in lockout, through the Domain services.</summary>
public abstract class UserAdministrationTests(TestEngine engine) : IAsyncLifetime
{
    private const string Issuer = "https://sso.example.com/realms/contoso";
    private readonly ManualClock _clock = new(DateTimeOffset.UtcNow);
    private DomainHarness _harness = default!;
    private Actor _admin = default!;

    public async Task InitializeAsync()
    {
        _harness = await DomainHarness.CreateAsync(configure: s => s.AddSingleton<TimeProvider>(_clock), engine: engine);
        _admin = await _harness.ActorAsync("admin");
    }

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    private UserProvisioning Provisioning => _harness.Services.GetRequiredService<UserProvisioning>();

    private static ExternalIdentity Person(string subject, params string[] roles) =>
        new(AppUserKind.Person, Issuer, subject, DemoData.ContosoId, subject + "@contoso.example", $"Person {subject}", subject + "@contoso.example", roles);

    private async Task<T> Administer<T>(Func<UserAdministration, Task<T>> act, Guid? tenantId = null)
    {
        await using var scope = _harness.Scope(tenantId ?? DemoData.ContosoId);
        return await act(scope.ServiceProvider.GetRequiredService<UserAdministration>());
    }

    private Task<AppUser> ReadAsync(Guid id) => _harness.ReadAsync(db => db.Users.AsNoTracking().SingleAsync(u => u.Id == id));

    [Fact]
    public async Task FirstSignIn_ProvisionsTheAccount_WithTheKnownProviderRolesOnly_AndAuditsIt()
    {
        var outcome = await Provisioning.SignInAsync(Person("p-1", "Operator", "Superuser", "Auditor"), interactive: true);

        Assert.True(outcome.Succeeded);
        var user = await ReadAsync(outcome.User!.Id);
        Assert.Equal([Roles.Operator, Roles.Auditor], user.ProviderRoles);
        Assert.Empty(user.GrantedRoles);
        Assert.Equal(DemoData.ContosoId, user.TenantId);
        Assert.Equal(_clock.GetUtcNow(), user.LastSignInAt!.Value, TimeSpan.FromMilliseconds(1));
        var audit = await _harness.ReadAsync(db => db.AuditEntries.Where(a => a.EntityId == user.Id.ToString()).Select(a => a.Action).ToListAsync());
        Assert.Equal(["user.provisioned", "user.signed-in"], audit);
    }

    [Fact]
    public async Task AGrantedRole_AddsToTheProvidersRoles_SurvivesTheNextSignIn_AndEndsOpenSessions()
    {
        var first = (await Provisioning.SignInAsync(Person("p-2", "Operator"), interactive: true)).User!;

        var granted = await Administer(a => a.GrantRoleAsync(first.Id, Roles.Auditor, _admin, "Covers the audit while Aude is away"));
        var again = (await Provisioning.SignInAsync(Person("p-2", "Operator"), interactive: true)).User!;

        Assert.NotEqual(first.SecurityStamp, granted.SecurityStamp);
        Assert.Equal([Roles.Operator, Roles.Auditor], again.Roles);
        Assert.Equal([Roles.Auditor], again.GrantedRoles);
        var audit = await _harness.ReadAsync(db => db.AuditEntries.SingleAsync(a => a.Action == "user.role-granted" && a.EntityId == first.Id.ToString()));
        Assert.Equal("Covers the audit while Aude is away", audit.Reason);
        Assert.Equal(_admin.Id, audit.ActorId);
    }

    [Fact]
    public async Task ARoleFromTheProvider_CannotBeRemovedHere_AndNothingChanges()
    {
        var user = (await Provisioning.SignInAsync(Person("p-3", "Operator"), interactive: true)).User!;

        var refused = await Assert.ThrowsAsync<DomainException>(() => Administer(a => a.RemoveRoleAsync(user.Id, Roles.Operator, _admin, "No longer needed")));

        Assert.Equal("user.role-from-provider", refused.Code);
        Assert.Contains("remove it there", refused.Message, StringComparison.Ordinal);
        Assert.Equal(user.SecurityStamp, (await ReadAsync(user.Id)).SecurityStamp);
    }

    [Fact]
    public async Task ADisabledAccount_IsRefusedAtSignIn_UntilEnabledAgain()
    {
        var user = (await Provisioning.SignInAsync(Person("p-4", "Operator"), interactive: true)).User!;

        await Administer(a => a.DisableAsync(user.Id, _admin, "Left the company"));
        var refused = await Provisioning.SignInAsync(Person("p-4", "Operator"), interactive: true);
        await Administer(a => a.EnableAsync(user.Id, _admin, "Came back"));
        var allowed = await Provisioning.SignInAsync(Person("p-4", "Operator"), interactive: true);

        Assert.Equal(SignInRefusal.Disabled, refused.Refusal);
        Assert.True(allowed.Succeeded);
        var actions = await _harness.ReadAsync(db => db.AuditEntries.Where(a => a.EntityId == user.Id.ToString()).Select(a => a.Action).ToListAsync());
        Assert.Contains("user.disabled", actions);
        Assert.Contains("user.enabled", actions);
    }

    [Fact]
    public async Task AnAdmin_CannotDisableThemselves_NorRemoveTheirOwnAdminRole()
    {
        var self = Guid.Parse(_admin.Id);

        var disable = await Assert.ThrowsAsync<DomainException>(() => Administer(a => a.DisableAsync(self, _admin, "Testing")));
        var remove = await Assert.ThrowsAsync<DomainException>(() => Administer(a => a.RemoveRoleAsync(self, Roles.Admin, _admin, "Testing")));

        Assert.Equal("user.disable-self", disable.Code);
        Assert.Equal("user.remove-own-admin", remove.Code);
        Assert.True((await ReadAsync(self)).IsActive);
    }

    [Fact]
    public async Task AnAdminOfAnotherTenant_FindsNoAccountHere_EvenThroughAScopeOfThisTenant()
    {
        var operatorId = Guid.Parse((await _harness.ActorAsync("operator")).Id);
        var fabrikamAdmin = Actor.User(Guid.NewGuid(), "Fabrikam Admin", DemoData.FabrikamId, [Roles.Admin]);

        var ownScope = await Assert.ThrowsAsync<DomainException>(() => Administer(a => a.DisableAsync(operatorId, fabrikamAdmin, "Hostile"), DemoData.FabrikamId));
        var otherScope = await Assert.ThrowsAsync<DomainException>(() => Administer(a => a.DisableAsync(operatorId, fabrikamAdmin, "Hostile"), DemoData.ContosoId));
        var list = await Administer(a => a.ListAsync(fabrikamAdmin), DemoData.FabrikamId);

        Assert.Equal(DomainErrorKind.NotFound, ownScope.Kind);
        Assert.Equal(DomainErrorKind.NotFound, otherScope.Kind);
        Assert.DoesNotContain(list, u => u.Id == operatorId);
        Assert.True((await ReadAsync(operatorId)).IsActive);
    }

    [Fact]
    public async Task SomeoneWhoIsNotAnAdmin_IsRefused()
    {
        var operatorActor = await _harness.ActorAsync("operator");

        var refused = await Assert.ThrowsAsync<DomainException>(() => Administer(a => a.GrantRoleAsync(Guid.Parse(operatorActor.Id), Roles.Admin, operatorActor, "Promote myself")));

        Assert.Equal(DomainErrorKind.Forbidden, refused.Kind);
    }

    [Fact]
    public async Task AChange_WithoutAReason_IsRefused()
    {
        var operatorId = Guid.Parse((await _harness.ActorAsync("operator")).Id);

        var refused = await Assert.ThrowsAsync<DomainException>(() => Administer(a => a.GrantRoleAsync(operatorId, Roles.Auditor, _admin, " ")));

        Assert.Equal("user.reason-required", refused.Code);
    }

    [Fact]
    public async Task ABurstOfWrongDemoPasswords_LocksTheName_EvenForTheRightPassword_UntilTheLockEnds()
    {
        var policy = new LockoutPolicy(5, TimeSpan.FromMinutes(5));
        var outcomes = new List<SignInOutcome>();
        for (var i = 0; i < 5; i++)
        {
            outcomes.Add(await Provisioning.DemoSignInAsync("operator", passwordMatches: false, policy));
        }

        var locked = await Provisioning.DemoSignInAsync("Operator ", passwordMatches: true, policy);
        _clock.Advance(TimeSpan.FromMinutes(5).Add(TimeSpan.FromSeconds(1)));
        var afterwards = await Provisioning.DemoSignInAsync("operator", passwordMatches: true, policy);

        Assert.All(outcomes.Take(4), o => Assert.Equal(SignInRefusal.WrongPassword, o.Refusal));
        Assert.Equal(SignInRefusal.LockedOut, outcomes[4].Refusal);
        Assert.Equal(SignInRefusal.LockedOut, locked.Refusal);
        Assert.True(afterwards.Succeeded);
        Assert.Equal(0, await _harness.ReadAsync(db => db.SignInFailures.CountAsync(f => f.UserName == "operator")));
    }
}
