using System.Diagnostics;
using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;
using AgentConsole.Domain.Persistence;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace AgentConsole.Web.Hosting;

/// <summary>
/// How the API answers what its handlers never see: a request that cannot be bound (a malformed query
/// parameter, body or header) answers a 400 ProblemDetails naming the parameter; any other unhandled
/// exception answers a 500 ProblemDetails with a trace id; an empty error answer (401, 403, 404, 405, 415)
/// gets a ProblemDetails body with a detail. The same in every environment, and never a stack trace. Pages keep the
/// console's error page.
/// </summary>
public static class ApiErrors
{
    /// <summary>Requests under this path are API requests.</summary>
    public const string Prefix = "/api";

    /// <summary>The API's exception handler, binding failures thrown in every environment, details for empty error answers.</summary>
    public static IServiceCollection AddApiErrors(this IServiceCollection services)
    {
        services.AddExceptionHandler<ApiExceptionHandler>();

        // Minimal APIs only throw on a request they cannot bind in Development; elsewhere they answer an
        // empty 400. Throwing everywhere lets one handler answer the same ProblemDetails in every environment.
        services.PostConfigure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.Configure<ProblemDetailsOptions>(o => o.CustomizeProblemDetails = Explain);
        return services;
    }

    /// <summary>The API's error answers; place it before authentication so 401 and 403 get a body too.</summary>
    public static IApplicationBuilder UseApiErrors(this IApplicationBuilder app) =>
        app.UseWhen(IsApi, api => api.UseExceptionHandler().UseStatusCodePages());

    private const string ExplanationKey = "agentconsole.api-explanation";

    /// <summary>Says why an API request is answered 401 or 403 (e.g. why its bearer token was refused), in the ProblemDetails' detail.</summary>
    public static void Explain(HttpContext context, string detail) => context.Items[ExplanationKey] = detail;

    /// <summary>Answers a request that middleware refuses with a ProblemDetails of the given status, title, code and detail.</summary>
    public static async Task WriteProblemAsync(HttpContext context, IProblemDetailsService problems, int status, string title, string code, string detail)
    {
        context.Response.StatusCode = status;
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = new ProblemDetails
            {
                Status = status,
                Title = title,
                Detail = detail,
                Extensions = { ["code"] = code },
            },
        });
    }

    /// <summary>Whether a request is an API request.</summary>
    public static bool IsApi(HttpContext context) => context.Request.Path.StartsWithSegments(Prefix);

    /// <summary>Says what an API error answer without a detail of its own means (an empty 401, 404, 415 …).</summary>
    private static void Explain(ProblemDetailsContext context)
    {
        if (!IsApi(context.HttpContext) || context.ProblemDetails.Detail is not null)
        {
            return;
        }

        if (context.ProblemDetails.Status is StatusCodes.Status401Unauthorized or StatusCodes.Status403Forbidden
            && context.HttpContext.Items[ExplanationKey] is string explanation)
        {
            context.ProblemDetails.Detail = explanation;
            return;
        }

        context.ProblemDetails.Detail = context.ProblemDetails.Status switch
        {
            StatusCodes.Status401Unauthorized => "Sign in first: send a bearer token from the console's sign-in provider, or the sign-in cookie of a console user.",
            StatusCodes.Status403Forbidden => "Your role does not allow this.",
            StatusCodes.Status404NotFound => "Nothing exists at this address for your tenant.",
            StatusCodes.Status405MethodNotAllowed => $"This address does not accept {context.HttpContext.Request.Method}.",
            StatusCodes.Status415UnsupportedMediaType => "Send the body as JSON, with the header Content-Type: application/json.",
            _ => null,
        };
    }
}

/// <summary>
/// Answers an API request's unhandled exception with a ProblemDetails — a request that cannot be bound, a refused
/// domain operation outside an endpoint (e.g. a malformed Idempotency-Key), an unreachable database, or anything
/// else as a 500; leaves page requests alone.
/// </summary>
public sealed partial class ApiExceptionHandler(IProblemDetailsService problems, ILogger<ApiExceptionHandler> logger) : IExceptionHandler
{
    private const int MaxEchoedLength = 100;

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (!ApiErrors.IsApi(httpContext))
        {
            return false;
        }

        ProblemDetails problem;
        if (exception is BadHttpRequestException bad)
        {
            logger.LogInformation("Refused a malformed API request to {Path}: {Reason}", httpContext.Request.Path, bad.Message);

            // The middleware clears the endpoint before handlers run; its feature keeps the one that failed.
            var handler = httpContext.Features.Get<IExceptionHandlerFeature>()?.Endpoint?.Metadata.GetMetadata<MethodInfo>();
            problem = Describe(httpContext.Request, handler, bad);
        }
        else if (exception is DomainException refused)
        {
            problem = DomainProblemFilter.Describe(refused);
        }
        else if (DatabaseFailures.IsUnavailable(exception))
        {
            problem = DomainProblemFilter.Unavailable(httpContext);
        }
        else
        {
            logger.LogError(exception, "An API request to {Path} failed", httpContext.Request.Path);
            problem = new ProblemDetails
            {
                Status = StatusCodes.Status500InternalServerError,
                Title = "Unexpected error",
                Detail = "The request could not be completed. If it keeps failing, report the trace id.",
            };
        }

        var retryAfter = httpContext.Response.Headers.RetryAfter;
        httpContext.Response.Clear();
        httpContext.Response.Headers.RetryAfter = retryAfter;
        httpContext.Response.StatusCode = problem.Status!.Value;
        problem.Extensions["traceId"] = Activity.Current?.Id ?? httpContext.TraceIdentifier;
        if (!await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = problem }))
        {
            // The client accepts no JSON: it still gets the problem, never the developer page's stack trace.
            await httpContext.Response.WriteAsJsonAsync(problem, problem.GetType(), options: null, contentType: "application/problem+json", cancellationToken);
        }

        return true;
    }

    private static ValidationProblemDetails Describe(HttpRequest request, MethodInfo? handler, BadHttpRequestException bad)
    {
        var parameter = ParameterPattern().Match(bad.Message);
        var name = parameter.Success ? parameter.Groups["name"].Value : null;
        var type = name is null ? null : handler?.GetParameters().FirstOrDefault(p => p.Name == name)?.ParameterType;
        if (bad.InnerException is JsonException json)
        {
            return DescribeJson(json, type);
        }

        if (MissingBodyPattern().IsMatch(bad.Message))
        {
            return Invalid(StatusCodes.Status400BadRequest, "body", "This request needs a JSON body.", "Send a JSON object.");
        }

        if (name is null)
        {
            return Invalid(bad.StatusCode, "request", "The request could not be read.", "The request could not be read.");
        }

        var source = request.Query.ContainsKey(name) ? "query parameter" : request.Headers.ContainsKey(name) ? "header" : "parameter";
        var value = BoundValuePattern().Match(bad.Message);
        if (!value.Success)
        {
            return Invalid(StatusCodes.Status400BadRequest, name, $"The {source} '{name}' is required.", "Required.");
        }

        var text = value.Groups["value"].Value;
        text = text.Length > MaxEchoedLength ? text[..MaxEchoedLength] + "…" : text;
        var expected = Expected(type);
        return Invalid(StatusCodes.Status400BadRequest, name, $"The {source} '{name}' has the value '{text}', which is not {expected}.", $"Must be {expected}.");
    }

    private static ValidationProblemDetails DescribeJson(JsonException json, Type? body)
    {
        var path = string.IsNullOrEmpty(json.Path) ? "$" : json.Path;
        var field = path == "$" ? "body" : path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path;
        if (json.Message.Contains("could not be converted", StringComparison.Ordinal))
        {
            var expected = Expected(MemberType(body, path));
            return Invalid(StatusCodes.Status400BadRequest, field, $"The JSON body has a value of the wrong type at '{path}': it must be {expected}.", $"Must be {expected}.");
        }

        var where = json.LineNumber is { } line && json.BytePositionInLine is { } position ? $" (line {line + 1}, position {position + 1})" : "";
        return Invalid(StatusCodes.Status400BadRequest, field, $"The request body is not valid JSON{where}.", "Must be valid JSON.");
    }

    /// <summary>The type of the member a JSON path leads to in a request type, e.g. <c>$.expectedVersion</c>.</summary>
    private static Type? MemberType(Type? type, string path)
    {
        foreach (var segment in path.Split('.').Skip(1))
        {
            var name = segment.Split('[')[0];
            type = type?.GetProperty(name, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase)?.PropertyType;
            if (segment.Contains('[', StringComparison.Ordinal))
            {
                type = type?.IsArray == true ? type.GetElementType() : type?.GetGenericArguments().LastOrDefault();
            }
        }

        return type;
    }

    private static ValidationProblemDetails Invalid(int status, string field, string detail, string message) =>
        new(new Dictionary<string, string[]> { [field] = [message] })
        {
            Status = status,
            Title = "The request has invalid values.",
            Detail = detail,
        };

    /// <summary>What a value of a .NET type looks like to an API client.</summary>
    private static string Expected(Type? type)
    {
        type = type is null ? null : Nullable.GetUnderlyingType(type) ?? type;
        return type switch
        {
            null => "a value of the expected type",
            { IsEnum: true } => $"one of {string.Join(", ", Enum.GetNames(type))}",
            _ when type == typeof(int) => "a whole number between -2147483648 and 2147483647",
            _ when type == typeof(long) || type == typeof(short) || type == typeof(byte) => "a whole number",
            _ when type == typeof(double) || type == typeof(decimal) || type == typeof(float) => "a number",
            _ when type == typeof(bool) => "true or false",
            _ when type == typeof(Guid) => "an id (a GUID)",
            _ when type == typeof(DateTimeOffset) || type == typeof(DateTime) => "a date and time (ISO 8601, e.g. 2026-12-01T09:00:00Z)",
            _ when type == typeof(string) => "text",
            _ when type != typeof(System.Text.Json.Nodes.JsonObject) && typeof(System.Collections.IEnumerable).IsAssignableFrom(type)
                   && !typeof(System.Collections.IDictionary).IsAssignableFrom(type) => "a JSON array",
            _ => "a JSON object",
        };
    }

    [GeneratedRegex("parameter \"(?<type>[^\"]+) (?<name>[^\" ]+)\"")]
    private static partial Regex ParameterPattern();

    [GeneratedRegex("\" from \"(?<value>.*)\"\\.$", RegexOptions.Singleline)]
    private static partial Regex BoundValuePattern();

    [GeneratedRegex("^Implicit body inferred|was not provided from body", RegexOptions.None)]
    private static partial Regex MissingBodyPattern();
}
