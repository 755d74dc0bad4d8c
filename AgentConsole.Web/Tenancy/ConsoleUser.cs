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

/// <summary>Fixes the tenant of every HTTP request (API, hub negotiation, prerendering) from its user.</summary>
public sealed class TenantMiddleware(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context, TenantContext tenant)
    {
        if (context.User.ToActor() is { } actor)
        {
            tenant.Use(actor.TenantId);
        }

        return next(context);
    }
}
