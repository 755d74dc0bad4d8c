namespace AgentConsole.Web.Tenancy;

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
