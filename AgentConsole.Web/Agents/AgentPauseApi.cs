using AgentConsole.Domain.Agents.Pause;
using AgentConsole.Web.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AgentConsole.Web.Agents;

/// <summary>Why an agent is paused or resumed; required.</summary>
public sealed record AgentPauseRequest(string? Reason);

/// <summary>An agent's pause as API clients see it; <c>ReleasedRuns</c> counts the held runs a resume sent on to routing.</summary>
public sealed record AgentPauseResponse(string Agent, string Name, bool Paused, DateTimeOffset? PausedAt, string? PausedBy, string? Reason, bool ByCircuitBreaker, int ReleasedRuns)
{
    public static AgentPauseResponse From(AgentPauseState s) => new(s.AgentKey, s.AgentName, s.IsPaused, s.PausedAt, s.PausedBy, s.Reason, s.ByBreaker, s.ReleasedRuns);
}

/// <summary>Seniors pause and resume agents: while paused, an agent's proposals go to review or are held, as its policy says.</summary>
public static class AgentPauseApi
{
    public static RouteGroupBuilder MapAgentPauseApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapApiGroup("/api/agents", Permissions.PauseAgents);
        group.MapPost("/{agentKey}/pause", PauseAsync);
        group.MapPost("/{agentKey}/resume", ResumeAsync);
        return group;
    }

    public static async Task<Ok<AgentPauseResponse>> PauseAsync(string agentKey, AgentPauseRequest request, HttpContext http, AgentPauseService pauses, CancellationToken cancellationToken) =>
        TypedResults.Ok(AgentPauseResponse.From(await pauses.PauseAsync(agentKey, request.Reason, http.Actor(), cancellationToken)));

    public static async Task<Ok<AgentPauseResponse>> ResumeAsync(string agentKey, AgentPauseRequest request, HttpContext http, AgentPauseService pauses, CancellationToken cancellationToken) =>
        TypedResults.Ok(AgentPauseResponse.From(await pauses.ResumeAsync(agentKey, request.Reason, http.Actor(), cancellationToken)));
}
