using AgentConsole.Domain.Training.Calibration;
using AgentConsole.Web.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AgentConsole.Web.Training.Calibration;

/// <summary>A trainer's request to clear a calibration pause: why (kept in the audit trail and shown with the pause).</summary>
public sealed record ClearPauseRequest(string? Reason);

/// <summary>
/// Calibration for API clients: operators' accuracy and agreement on gold items and who is paused (senior operators and
/// trainers), a trainer clearing a pause, and one's own pauses, per person, never per item; only auditors may ask
/// whether one decision was a gold item.
/// </summary>
public static class CalibrationApi
{
    public static RouteGroupBuilder MapCalibrationApi(this IEndpointRouteBuilder endpoints)
    {
        var view = endpoints.MapApiGroup("/api/calibration", Permissions.ViewCalibration);
        view.MapGet("/", DashboardAsync);

        var manage = endpoints.MapApiGroup("/api/calibration", Permissions.ManageTraining);
        manage.MapPost("/pauses/{pauseId:guid}/clear", ClearAsync);

        var audit = endpoints.MapApiGroup("/api/calibration", Permissions.ReadAudit);
        audit.MapGet("/gold-items/{decisionId:guid}", GoldItemAsync);

        var mine = endpoints.MapGroup("/api/me/calibration").RequireAuthorization().AddEndpointFilter<DomainProblemFilter>().DisableAntiforgery();
        mine.MapGet("/pauses", MineAsync);
        return view;
    }

    /// <summary>Each operator's gold answers, accuracy, Cohen's kappa and daily accuracy over <c>days</c> (1–365, default 30), optionally of one use case; who is paused; what the policies set.</summary>
    public static async Task<Ok<CalibrationDashboard>> DashboardAsync(int? days, UseCase? useCase, HttpContext http, CalibrationQueries queries, CancellationToken cancellationToken) =>
        TypedResults.Ok(await queries.DashboardAsync(http.Actor(), days ?? CalibrationQueries.DefaultDays, useCase, cancellationToken));

    /// <summary>Clears a pause at once: 400 without a reason, 404 for one of another tenant, 409 when already cleared.</summary>
    public static async Task<Ok<PauseView>> ClearAsync(Guid pauseId, ClearPauseRequest request, HttpContext http, CalibrationClearance clearance, CancellationToken cancellationToken) =>
        TypedResults.Ok(await clearance.ClearAsync(pauseId, http.Actor(), request.Reason, cancellationToken));

    /// <summary>For auditors: whether a decision was a gold item, its gold answer and the answers scored against it; 404 for a real decision.</summary>
    public static async Task<Results<Ok<GoldItemView>, NotFound>> GoldItemAsync(Guid decisionId, HttpContext http, CalibrationQueries queries, CancellationToken cancellationToken) =>
        await queries.GoldItemAsync(http.Actor(), decisionId, cancellationToken) is { } gold ? TypedResults.Ok(gold) : TypedResults.NotFound();

    /// <summary>The caller's own pauses in force, with the reason.</summary>
    public static async Task<Ok<IReadOnlyList<PauseView>>> MineAsync(HttpContext http, CalibrationQueries queries, CancellationToken cancellationToken) =>
        TypedResults.Ok(await queries.MineAsync(http.Actor(), cancellationToken));
}
