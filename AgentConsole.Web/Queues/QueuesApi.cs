using AgentConsole.Web.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AgentConsole.Web.Queues;

/// <summary>Queues and their open decisions, for API clients.</summary>
public static class QueuesApi
{
    public static IEndpointRouteBuilder MapQueuesApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapApiGroup("/api/queues", Permissions.ViewQueues);
        api.MapGet("/", ListQueuesAsync);
        api.MapGet("/{queueId:guid}/decisions", ListDecisionsAsync);
        return endpoints;
    }

    public static async Task<Ok<IReadOnlyList<QueueSummary>>> ListQueuesAsync(QueueQueries queues, CancellationToken cancellationToken) =>
        TypedResults.Ok(await queues.OverviewAsync(cancellationToken));

    /// <summary>The queue's open decisions; each that needs a certification says whether the caller holds it (<c>holdsCertification</c>) and if not, why; each the caller is paused from by calibration says why (<c>pausedReason</c>).</summary>
    public static async Task<Results<Ok<IReadOnlyList<DecisionListItem>>, NotFound>> ListDecisionsAsync(
        Guid queueId, Guid? agentId, RiskLevel? minRisk, double? minConfidence, double? maxConfidence, string? sort,
        HttpContext http, QueueQueries queues, DecisionQueries decisions, CertificationQueries certifications,
        Domain.Training.Calibration.CalibrationQueries calibration, CancellationToken cancellationToken)
    {
        var filter = new DecisionFilter(agentId, minRisk, minConfidence, maxConfidence, DecisionSorts.Parse(sort));
        return await queues.GetAsync(queueId, cancellationToken) is null
            ? TypedResults.NotFound()
            : TypedResults.Ok(await calibration.MarkAsync(http.Actor(),
                await certifications.MarkAsync(http.Actor(), await decisions.ListOpenAsync(queueId, filter, http.Actor().Roles, cancellationToken), cancellationToken), cancellationToken));
    }
}
