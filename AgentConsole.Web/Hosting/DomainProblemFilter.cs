using AgentConsole.Domain.Persistence;
using Microsoft.AspNetCore.Mvc;
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
            return TypedResults.Problem(Describe(ex));
        }
        catch (Exception ex) when (DatabaseFailures.IsUnavailable(ex))
        {
            return TypedResults.Problem(Unavailable(context.HttpContext));
        }
    }

    /// <summary>A refused domain operation as ProblemDetails: 400 (with field errors), 403, 404 or 409, with its code.</summary>
    public static ProblemDetails Describe(DomainException ex)
    {
        var status = ex.Kind switch
        {
            DomainErrorKind.NotFound => StatusCodes.Status404NotFound,
            DomainErrorKind.Forbidden => StatusCodes.Status403Forbidden,
            DomainErrorKind.Conflict => StatusCodes.Status409Conflict,
            _ => StatusCodes.Status400BadRequest,
        };
        var problem = ex.FieldErrors.Count > 0
            ? new HttpValidationProblemDetails(ex.FieldErrors.ToDictionary()) { Title = "The request has invalid values." }
            : new ProblemDetails { Title = Title(ex.Kind) };
        problem.Status = ex.FieldErrors.Count > 0 ? StatusCodes.Status400BadRequest : status;
        problem.Detail = ex.Message;
        problem.Extensions["code"] = ex.Code;
        return problem;
    }

    /// <summary>An unreachable database as a 503 with Retry-After: nothing was saved.</summary>
    public static ProblemDetails Unavailable(HttpContext context)
    {
        context.Response.Headers.RetryAfter = "5";
        return new ProblemDetails
        {
            Status = StatusCodes.Status503ServiceUnavailable,
            Title = "Service unavailable",
            Detail = DatabaseFailures.UnavailableMessage,
            Extensions = { ["code"] = "database.unavailable" },
        };
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

