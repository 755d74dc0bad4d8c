using System.Diagnostics;
using System.Globalization;
using System.Security.Claims;
using System.Text.Encodings.Web;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace AgentConsole.Web.Hosting.Security;

/// <summary>
/// The console's rate limits (<see cref="RateLimitOptions"/>), with ASP.NET Core's rate limiter: sign-in form
/// posts per client address in a fixed minute; API requests through a token bucket per signed-in user (per client
/// address without one). Everything else — pages, static files, the live connections — is not limited here.
/// A refused request answers 429 with <c>Retry-After</c>: a ProblemDetails on the API, a short page for the
/// sign-in form. Each refusal is a security event.
/// </summary>
/// <remarks>
/// The client address is the connection's. Behind a reverse proxy every request comes from the proxy, so enable
/// forwarded headers there (<c>ASPNETCORE_FORWARDEDHEADERS_ENABLED=true</c>) or one client's burst refuses everyone's
/// sign-in.
/// </remarks>
public static class RateLimits
{
    /// <summary>The limit on sign-in form posts.</summary>
    public const string SignIn = "sign-in";

    /// <summary>The limit on checks of certificate codes (the page and the API), per client address like sign-in.</summary>
    public const string CertificateCheck = "certificate-check";

    /// <summary>The limit on API requests.</summary>
    public const string Api = "api";

    private static readonly PathString SignInPath = new("/account/login");

    private static readonly PathString[] CertificateCheckPaths = [new("/certificates/verify"), new("/api/certificates/verify")];

    /// <summary>The limiter, partitioned by what a request is and who sends it.</summary>
    internal static IServiceCollection AddConsoleRateLimits(this IServiceCollection services)
    {
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<RateLimitOptions>>((o, limits) =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context => Partition(context, limits.Value));
            o.OnRejected = RejectAsync;
        });
        return services;
    }

    /// <summary>Applies the limits; after authentication (the API's partition is its user), before authorization (refused calls count too).</summary>
    public static IApplicationBuilder UseConsoleRateLimits(this IApplicationBuilder app) => app.UseRateLimiter();

    /// <summary>Which limit a request falls under, if any.</summary>
    internal static string? LimitOf(HttpRequest request) =>
        HttpMethods.IsPost(request.Method) && request.Path.Equals(SignInPath, StringComparison.OrdinalIgnoreCase) ? SignIn
        : CertificateCheckPaths.Any(p => request.Path.Equals(p, StringComparison.OrdinalIgnoreCase)) && request.Query.ContainsKey("code") ? CertificateCheck
        : ApiErrors.IsApi(request.HttpContext) ? Api
        : null;

    private static RateLimitPartition<string> Partition(HttpContext context, RateLimitOptions limits)
    {
        var address = context.Connection.RemoteIpAddress?.ToString() ?? "-";
        switch (LimitOf(context.Request))
        {
            case var limit and (SignIn or CertificateCheck):
                return RateLimitPartition.GetFixedWindowLimiter($"{limit}:{address}", _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = limit == SignIn ? limits.SignInPerMinute : limits.CertificateChecksPerMinute,
                    Window = TimeSpan.FromMinutes(1),
                    QueueLimit = 0,
                });
            case Api:
                var user = context.User.Identity?.IsAuthenticated == true ? context.User.FindFirstValue(ClaimTypes.NameIdentifier) : null;
                return RateLimitPartition.GetTokenBucketLimiter(user is null ? $"{Api}:address:{address}" : $"{Api}:user:{user}", _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = limits.ApiBurst,
                    TokensPerPeriod = limits.ApiPerSecond,
                    ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                    QueueLimit = 0,
                    AutoReplenishment = true,
                });
            default:
                return RateLimitPartition.GetNoLimiter("none");
        }
    }

    private static async ValueTask RejectAsync(OnRejectedContext rejected, CancellationToken cancellationToken)
    {
        var context = rejected.HttpContext;
        var seconds = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)) : 1;
        var limit = LimitOf(context.Request) ?? "unknown";
        context.RequestServices.GetRequiredService<SecurityEvents>().RateLimited(context, limit, seconds);

        context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        if (limit == Api || ApiErrors.IsApi(context))
        {
            var problem = new ProblemDetails
            {
                Status = StatusCodes.Status429TooManyRequests,
                Title = "Too many requests",
                Detail = limit == Api
                    ? $"This caller sent more API requests than its limit allows. Retry after {seconds} s (the Retry-After header)."
                    : $"Too many certificate checks from your address. Retry after {seconds} s (the Retry-After header).",
                Extensions = { ["code"] = "rate-limit." + limit, ["traceId"] = Activity.Current?.Id ?? context.TraceIdentifier },
            };
            var problems = context.RequestServices.GetRequiredService<IProblemDetailsService>();
            if (!await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem }))
            {
                await context.Response.WriteAsJsonAsync(problem, problem.GetType(), options: null, contentType: "application/problem+json", cancellationToken);
            }

            return;
        }

        context.Response.ContentType = "text/html; charset=utf-8";
        if (limit == CertificateCheck)
        {
            var refusal = HtmlEncoder.Default.Encode($"Too many certificate checks from your address. Wait {seconds} seconds, then try again.");
            await context.Response.WriteAsync(
                "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Too many checks · AgentConsole</title></head>"
                + $"<body><h1>Too many certificate checks</h1><p data-testid=\"rate-limited\">{refusal}</p></body></html>",
                cancellationToken);
            return;
        }

        var message = HtmlEncoder.Default.Encode($"Too many sign-in attempts from your address. Wait {seconds} seconds, then try again.");
        await context.Response.WriteAsync(
            "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Too many sign-in attempts · AgentConsole</title></head>"
            + $"<body><h1>Too many sign-in attempts</h1><p data-testid=\"rate-limited\">{message}</p><p><a href=\"/account/login\">Back to sign-in</a></p></body></html>",
            cancellationToken);
    }
}
