using System.Text.Json.Nodes;
using AgentConsole.Domain.Pipelines;
using AgentConsole.Web.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AgentConsole.Web.Pipelines;

/// <summary>A case another system sends to an agent.</summary>
public sealed record SubmitCaseRequest(string? Subject, JsonObject? Inputs);

/// <summary>
/// A pipeline run as API clients see it; <c>DecisionId</c> is set once the agent has proposed. A run whose agent is paused
/// under a policy that holds proposals is <c>Held</c>, with <c>HeldReason</c>, until the agent is resumed.
/// </summary>
public sealed record RunResponse(Guid Id, string Subject, string Agent, string Status, string ExecutionStatus, int Attempts, Guid? DecisionId, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, string? LastError, string? HeldReason)
{
    public static RunResponse From(RunListItem r) =>
        new(r.Id, r.Subject, r.AgentName, r.Status.ToString(), r.ExecutionStatus.ToString(), r.Attempts, r.DecisionId, r.CreatedAt, r.UpdatedAt, r.LastError, r.HeldReason);
}

/// <summary>Cases in, runs out: other systems submit cases to agents and follow their runs.</summary>
public static class RunsApi
{
    public static IEndpointRouteBuilder MapRunsApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapApiGroup("/api/agents", Permissions.SubmitCases).MapPost("/{agentKey}/runs", SubmitAsync);
        endpoints.MapApiGroup("/api/runs", Permissions.ViewAgents).MapGet("/{runId:guid}", GetAsync);
        return endpoints;
    }

    /// <summary>Records the case's run; with an <c>Idempotency-Key</c>, a repeat finds the run recorded the first time.</summary>
    public static async Task<Accepted<RunResponse>> SubmitAsync(
        string agentKey, SubmitCaseRequest request, HttpContext http, PipelineService pipelines, AgentQueries agents, CancellationToken cancellationToken)
    {
        var runId = await pipelines.SubmitCaseAsync(agentKey, request.Subject, request.Inputs, http.Actor(), IdempotencyMiddleware.KeyOf(http.Request), cancellationToken);
        var run = await agents.GetRunAsync(runId, http.Actor().Roles, cancellationToken);
        return TypedResults.Accepted($"/api/runs/{runId}", RunResponse.From(run!));
    }

    public static async Task<Results<Ok<RunResponse>, NotFound>> GetAsync(Guid runId, HttpContext http, AgentQueries agents, CancellationToken cancellationToken) =>
        await agents.GetRunAsync(runId, http.Actor().Roles, cancellationToken) is { } run ? TypedResults.Ok(RunResponse.From(run)) : TypedResults.NotFound();
}
