using Microsoft.AspNetCore.Components.Authorization;

namespace AgentConsole.Web.Tenancy;

/// <summary>
/// The signed-in person of a Blazor circuit. The first call also fixes the circuit's tenant, so
/// every query of the circuit is filtered by it.
/// </summary>
public sealed class ConsoleUser(AuthenticationStateProvider authentication, TenantContext tenant)
{
    public async Task<Actor> GetAsync()
    {
        var state = await authentication.GetAuthenticationStateAsync();
        var actor = state.User.ToActor() ?? throw DomainException.Forbidden("user.signed-out", "Sign in to use the console.");
        tenant.Use(actor.TenantId);
        return actor;
    }
}
