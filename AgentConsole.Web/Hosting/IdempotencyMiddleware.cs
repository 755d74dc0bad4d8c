using System.Security.Cryptography;
using AgentConsole.Domain.Idempotency;

namespace AgentConsole.Web.Hosting;

/// <summary>
/// <c>Idempotency-Key</c> on the API's creating and changing calls (POST, PUT, PATCH, DELETE under <c>/api</c>):
/// the first successful answer is stored per tenant and key; a repeat of the same request (caller, method,
/// path, query and body) gets that answer with <c>Idempotency-Replayed: true</c> and does not run again;
/// the key with a different request, or while its first request still runs, answers 409. Failed answers
/// (4xx, 5xx) and answers marked <c>Cache-Control: no-store</c> are not stored, so a corrected request may reuse the
/// key and a repeat of a no-store request runs again. The header is optional.
/// </summary>
public sealed class IdempotencyMiddleware(RequestDelegate next, ILogger<IdempotencyMiddleware> logger)
{
    public const string Header = "Idempotency-Key";
    public const string ReplayedHeader = "Idempotency-Replayed";

    private static readonly string[] Changing = [HttpMethods.Post, HttpMethods.Put, HttpMethods.Patch, HttpMethods.Delete];

    /// <summary>The request's key, when it sent one on a creating or changing API call.</summary>
    public static string? KeyOf(HttpRequest request) =>
        Changing.Contains(request.Method, StringComparer.OrdinalIgnoreCase) && request.Headers.TryGetValue(Header, out var values) ? values.ToString() : null;

    public async Task InvokeAsync(HttpContext context, IdempotencyService idempotency, IProblemDetailsService problems)
    {
        if (KeyOf(context.Request) is not { } key || context.GetEndpoint() is null || context.User.ToActor() is not { } caller)
        {
            await next(context);
            return;
        }

        var claim = await idempotency.ClaimAsync(caller, await FingerprintAsync(context.Request, key), context.RequestAborted);
        switch (claim.Verdict)
        {
            case IdempotencyVerdict.Replay:
                await ReplayAsync(context.Response, claim.Answer!);
                return;
            case IdempotencyVerdict.InProgress:
                context.Response.Headers.RetryAfter = "1";
                await ConflictAsync(context, problems, "idempotency.in-progress",
                    "The request with this Idempotency-Key is still being processed. Retry in a moment to get its answer.");
                return;
            case IdempotencyVerdict.Mismatch:
                await ConflictAsync(context, problems, "idempotency.key-reused",
                    $"This Idempotency-Key was used for a different request ({claim.UsedFor}, another body or caller). Use a new key for a new request.");
                return;
        }

        await RunAsync(context, idempotency, claim.ReservationId);
    }

    /// <summary>Runs the request with its answer buffered, stores a successful answer (or gives the key back), then sends it.</summary>
    private async Task RunAsync(HttpContext context, IdempotencyService idempotency, Guid reservationId)
    {
        var response = context.Response;
        var original = response.Body;
        await using var buffer = new MemoryStream();
        response.Body = buffer;
        try
        {
            await next(context);
        }
        catch
        {
            response.Body = original;
            await SettleAsync(() => idempotency.ReleaseAsync(reservationId, CancellationToken.None), reservationId);
            throw;
        }

        response.Body = original;
        buffer.Position = 0;
        // An answer marked no-store (e.g. a revealed masked value) is never kept: a repeat runs, and is audited, again.
        var mayKeep = !response.Headers.CacheControl.ToString().Contains("no-store", StringComparison.OrdinalIgnoreCase);
        if (response.StatusCode is >= 200 and < 300 && mayKeep)
        {
            var body = await new StreamReader(buffer, leaveOpen: true).ReadToEndAsync(context.RequestAborted);
            var answer = new StoredAnswer(response.StatusCode, response.ContentType, response.Headers.Location.ToString() is { Length: > 0 } l ? l : null, body);
            await SettleAsync(() => idempotency.CompleteAsync(reservationId, answer, CancellationToken.None), reservationId);
            buffer.Position = 0;
        }
        else
        {
            await SettleAsync(() => idempotency.ReleaseAsync(reservationId, CancellationToken.None), reservationId);
        }

        await buffer.CopyToAsync(original, context.RequestAborted);
    }

    // The request's own outcome stands even when its key cannot be settled: the key then stays reserved
    // until Api:IdempotencyLockSeconds, after which a repeat runs again (a case submission finds its run).
    private async Task SettleAsync(Func<Task> settle, Guid reservationId)
    {
        try
        {
            await settle();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning(ex, "The answer under idempotency reservation {ReservationId} could not be settled", reservationId);
        }
    }

    private static async Task<RequestFingerprint> FingerprintAsync(HttpRequest request, string key)
    {
        request.EnableBuffering();
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(System.Text.Encoding.UTF8.GetBytes(request.QueryString.Value + "\n"));
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, request.HttpContext.RequestAborted)) > 0)
        {
            hash.AppendData(chunk, 0, read);
        }

        request.Body.Position = 0;
        return new RequestFingerprint(key, request.Method.ToUpperInvariant(), request.Path.Value ?? "", Convert.ToHexStringLower(hash.GetHashAndReset()));
    }

    private static async Task ReplayAsync(HttpResponse response, StoredAnswer answer)
    {
        response.StatusCode = answer.StatusCode;
        response.ContentType = answer.ContentType;
        if (answer.Location is not null)
        {
            response.Headers.Location = answer.Location;
        }

        response.Headers[ReplayedHeader] = "true";
        await response.WriteAsync(answer.Body, response.HttpContext.RequestAborted);
    }

    private static Task ConflictAsync(HttpContext context, IProblemDetailsService problems, string code, string detail) =>
        ApiErrors.WriteProblemAsync(context, problems, StatusCodes.Status409Conflict, "Conflict", code, detail);
}

public static class ApiIdempotency
{
    /// <summary>Idempotency keys on API calls; after authentication and the tenant, so keys are kept per tenant and caller.</summary>
    public static IApplicationBuilder UseApiIdempotency(this IApplicationBuilder app) =>
        app.UseWhen(ApiErrors.IsApi, api => api.UseMiddleware<IdempotencyMiddleware>());
}
