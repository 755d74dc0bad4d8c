using System.Globalization;
using Microsoft.AspNetCore.WebUtilities;
using AgentConsole.Web.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AgentConsole.Web.Queues;

/// <summary>A filter to save: <c>minRisk</c> Low…Critical, <c>confidenceBand</c> any|low|mid|high, <c>sort</c> as the decisions list takes it.</summary>
public sealed record SavedFilterRequest(string? Name, Guid? AgentId, string? MinRisk, string? ConfidenceBand, string? Sort)
{
    public QueueFilterChoice ToChoice() => new(
        AgentId,
        MinRisk is null ? null : Enum.TryParse<RiskLevel>(MinRisk, ignoreCase: true, out var risk) && !int.TryParse(MinRisk, out _) ? risk : (RiskLevel)(-1),
        ConfidenceBand?.Trim().ToLowerInvariant() ?? "any",
        Sort is null ? DecisionSort.DueAt : Enum.TryParse<DecisionSort>(Sort, ignoreCase: true, out var sort) && !int.TryParse(Sort, out _) ? sort : (DecisionSort)(-1));
}

public sealed record SavedFilterResponse(Guid Id, string Name, Guid? AgentId, string? MinRisk, string ConfidenceBand, string Sort)
{
    public static SavedFilterResponse From(SavedFilter f) => new(f.Id, f.Name, f.AgentId, f.MinRisk?.ToString(), f.ConfidenceBand, f.Sort.ToString());
}

/// <summary>Queues and their open decisions, for API clients.</summary>
public static class QueuesApi
{
    public static IEndpointRouteBuilder MapQueuesApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapApiGroup("/api/queues", Permissions.ViewQueues);
        api.MapGet("/", ListQueuesAsync);
        api.MapGet("/{queueId:guid}/decisions", ListDecisionsAsync);
        api.MapGet("/{queueId:guid}/filters", ListFiltersAsync);
        api.MapPost("/{queueId:guid}/filters", SaveFilterAsync);
        api.MapDelete("/{queueId:guid}/filters/{filterId:guid}", DeleteFilterAsync);
        return endpoints;
    }

    /// <summary>The caller's saved filters on the queue.</summary>
    public static async Task<Ok<IReadOnlyList<SavedFilterResponse>>> ListFiltersAsync(Guid queueId, HttpContext http, SavedFilters filters, CancellationToken cancellationToken) =>
        TypedResults.Ok<IReadOnlyList<SavedFilterResponse>>([.. (await filters.ListAsync(http.Actor(), queueId, cancellationToken)).Select(SavedFilterResponse.From)]);

    /// <summary>201 with the filter; 400 naming <c>name</c>, <c>confidenceBand</c>, <c>minRisk</c> or <c>sort</c>; 404 for a queue that does not exist.</summary>
    public static async Task<Created<SavedFilterResponse>> SaveFilterAsync(Guid queueId, SavedFilterRequest request, HttpContext http, SavedFilters filters, CancellationToken cancellationToken)
    {
        var saved = await filters.SaveAsync(http.Actor(), queueId, request.Name, request.ToChoice(), cancellationToken);
        return TypedResults.Created($"/api/queues/{queueId}/filters/{saved.Id}", SavedFilterResponse.From(saved));
    }

    public static async Task<NoContent> DeleteFilterAsync(Guid queueId, Guid filterId, HttpContext http, SavedFilters filters, CancellationToken cancellationToken)
    {
        await filters.DeleteAsync(http.Actor(), filterId, cancellationToken);
        return TypedResults.NoContent();
    }

    public static async Task<Ok<IReadOnlyList<QueueSummary>>> ListQueuesAsync(QueueQueries queues, CancellationToken cancellationToken) =>
        TypedResults.Ok(await queues.OverviewAsync(cancellationToken));

    /// <summary>The page of the API's queue list when the caller names none.</summary>
    public const int DefaultLimit = 100;

    /// <summary>
    /// A page of the queue's open decisions (<c>offset</c>, <c>limit</c> up to 500, 100 by default), with the number matching in
    /// all in <c>X-Total-Count</c> and the next page in a <c>Link</c> header; each that needs a certification says whether
    /// the caller holds it (<c>holdsCertification</c>) and if not, why; each the caller is paused from by calibration says
    /// why (<c>pausedReason</c>).
    /// </summary>
    public static async Task<Results<Ok<IReadOnlyList<DecisionListItem>>, NotFound>> ListDecisionsAsync(
        Guid queueId, Guid? agentId, RiskLevel? minRisk, double? minConfidence, double? maxConfidence, string? sort, int? offset, int? limit,
        HttpContext http, QueueQueries queues, DecisionQueries decisions, CertificationQueries certifications,
        Domain.Training.Calibration.CalibrationQueries calibration, CancellationToken cancellationToken)
    {
        var filter = new DecisionFilter(agentId, minRisk, minConfidence, maxConfidence, DecisionSorts.Parse(sort));
        if (await queues.GetAsync(queueId, cancellationToken) is null)
        {
            return TypedResults.NotFound();
        }

        var page = await decisions.PageOpenAsync(queueId, filter, offset ?? 0, limit ?? DefaultLimit, http.Actor().Roles, cancellationToken);
        http.Response.Headers["X-Total-Count"] = page.Total.ToString(CultureInfo.InvariantCulture);
        if (page.HasMore)
        {
            var next = QueryHelpers.AddQueryString(http.Request.Path, http.Request.Query
                .Where(q => q.Key is not ("offset" or "limit"))
                .SelectMany(q => q.Value.Select(v => KeyValuePair.Create(q.Key, v)))
                .Append(KeyValuePair.Create("offset", (string?)(page.Offset + page.Items.Count).ToString(CultureInfo.InvariantCulture)))
                .Append(KeyValuePair.Create("limit", (string?)page.Limit.ToString(CultureInfo.InvariantCulture))));
            http.Response.Headers.Link = $"<{next}>; rel=\"next\"";
        }

        return TypedResults.Ok(DecisionQueries.BlindFor(http.Actor(), await calibration.MarkAsync(http.Actor(),
            await certifications.MarkAsync(http.Actor(), page.Items, cancellationToken), cancellationToken)));
    }
}
