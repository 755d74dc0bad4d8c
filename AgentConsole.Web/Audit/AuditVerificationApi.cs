using AgentConsole.Web.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AgentConsole.Web.Audit;

/// <summary>One verification run as API clients see it, with its findings.</summary>
public sealed record AuditVerificationResponse(
    Guid Id, DateTimeOffset StartedAt, DateTimeOffset FinishedAt, string RequestedBy, AuditVerificationOutcome Outcome, long FirstSequence, long LastSequence,
    long EntriesChecked, int CheckpointsChecked, long? LatestCheckpointSize, int FindingCount, string? Problem, IReadOnlyList<AuditFinding> Findings)
{
    public static AuditVerificationResponse From(AuditVerification v) => new(
        v.Id, v.StartedAt, v.FinishedAt, v.RequestedBy, v.Outcome, v.FirstSequence, v.LastSequence, v.EntriesChecked, v.CheckpointsChecked,
        v.LatestCheckpointSize, v.FindingCount, v.Problem, v.Findings);
}

/// <summary>The latest verification with its findings, the history, and how the chain is checkpointed.</summary>
public sealed record AuditVerificationOverview(AuditVerificationResponse? Latest, IReadOnlyList<AuditVerificationSummary> History, AuditCheckpointSetup Checkpoints);

/// <summary>
/// Verification of the caller's tenant's audit chain: run it now, read the latest result and the history, write a
/// signed checkpoint now. Auditors and admins.
/// </summary>
public static class AuditVerificationApi
{
    public static IEndpointRouteBuilder MapAuditVerificationApi(this IEndpointRouteBuilder endpoints)
    {
        var audit = endpoints.MapApiGroup("/api/audit", Permissions.VerifyAudit);
        audit.MapGet("/verification", GetAsync);
        audit.MapPost("/verification", VerifyAsync);
        audit.MapPost("/checkpoints", CheckpointAsync);
        return endpoints;
    }

    /// <summary>The latest verification (null before the first), the last 50 runs, and the checkpoints' setup.</summary>
    public static async Task<Ok<AuditVerificationOverview>> GetAsync(HttpContext http, AuditVerificationQueries queries, CancellationToken cancellationToken) =>
        TypedResults.Ok(new AuditVerificationOverview(
            await queries.LatestAsync(http.Actor(), cancellationToken) is { } latest ? AuditVerificationResponse.From(latest) : null,
            await queries.HistoryAsync(http.Actor(), 50, cancellationToken), await queries.CheckpointSetupAsync(http.Actor(), cancellationToken)));

    /// <summary>Verifies the chain now and answers the run, whatever its outcome (Intact, Tampered, or Stopped with the reason).</summary>
    public static async Task<Ok<AuditVerificationResponse>> VerifyAsync(HttpContext http, AuditVerifier verifier, CancellationToken cancellationToken) =>
        TypedResults.Ok(AuditVerificationResponse.From(await verifier.VerifyAsync(http.Actor(), cancellationToken)));

    /// <summary>Writes a signed checkpoint of the chain now (or answers the one already written at its size).</summary>
    public static async Task<Ok<WrittenCheckpoint>> CheckpointAsync(HttpContext http, AuditCheckpoints checkpoints, CancellationToken cancellationToken) =>
        TypedResults.Ok(await checkpoints.WriteNowAsync(http.Actor(), cancellationToken));
}
