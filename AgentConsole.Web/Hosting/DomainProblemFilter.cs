using AgentConsole.Domain.Persistence;
namespace AgentConsole.Web.Hosting;

/// <summary>
/// Turns a refused domain operation into ProblemDetails: 400 (with field errors), 403, 404 or 409;
/// an unreachable database into 503 with Retry-After (nothing was saved).
/// </summary>
public sealed class DomainProblemFilter : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (DomainException ex)
        {
            var status = ex.Kind switch
            {
                DomainErrorKind.NotFound => StatusCodes.Status404NotFound,
                DomainErrorKind.Forbidden => StatusCodes.Status403Forbidden,
                DomainErrorKind.Conflict => StatusCodes.Status409Conflict,
                _ => StatusCodes.Status400BadRequest,
            };
            var extensions = new Dictionary<string, object?> { ["code"] = ex.Code };
            return ex.FieldErrors.Count > 0
                ? TypedResults.ValidationProblem(ex.FieldErrors.ToDictionary(), ex.Message, title: "The request has invalid values.", extensions: extensions)
                : TypedResults.Problem(ex.Message, statusCode: status, title: Title(ex.Kind), extensions: extensions);
        }
        catch (Exception ex) when (DatabaseFailures.IsUnavailable(ex))
        {
            context.HttpContext.Response.Headers.RetryAfter = "5";
            return TypedResults.Problem(
                DatabaseFailures.UnavailableMessage, statusCode: StatusCodes.Status503ServiceUnavailable, title: "Service unavailable",
                extensions: new Dictionary<string, object?> { ["code"] = "database.unavailable" });
        }
    }

    private static string Title(DomainErrorKind kind) => kind switch
    {
        DomainErrorKind.NotFound => "Not found",
        DomainErrorKind.Forbidden => "Not allowed",
        DomainErrorKind.Conflict => "Conflict",
        _ => "Invalid request",
    };
}

public static class ApiGroups
{
    /// <summary>An API group: signed-in callers of the current tenant, domain errors as ProblemDetails.</summary>
    public static RouteGroupBuilder MapApiGroup(this IEndpointRouteBuilder endpoints, string prefix, string permission) =>
        endpoints.MapGroup(prefix).RequireAuthorization(permission).AddEndpointFilter<DomainProblemFilter>().DisableAntiforgery();

    /// <summary>The caller as an actor; the authorization policy guarantees one.</summary>
    public static Domain.Tenancy.Actor Actor(this HttpContext context) =>
        Tenancy.ConsoleClaims.ToActor(context.User) ?? throw DomainException.Forbidden("user.signed-out", "Sign in first.");
}

