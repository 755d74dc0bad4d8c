using AgentConsole.Domain.Queues;
using AgentConsole.Domain.Training.Scenarios;

namespace AgentConsole.Domain.Decisions;

public sealed partial class Decision
{
    /// <summary>
    /// A training scenario as a decision waiting in a sandbox queue: never saved, never routed, executed or audited. The
    /// sandbox shows it with the same components as a real decision and judges an answer with the same rules (a reason
    /// for every action, a claim someone else holds) by acting on it in memory.
    /// </summary>
    internal static Decision ForPractice(Guid id, Scenario scenario, int agentVersion, ReviewQueue sandbox, DateTimeOffset createdAt, DateTimeOffset? dueAt) => new()
    {
        Id = id,
        TenantId = scenario.TenantId,
        RunId = Guid.Empty,
        AgentId = scenario.AgentId,
        AgentVersion = agentVersion,
        UseCase = scenario.UseCase,
        Subject = scenario.Subject,
        InputsJson = scenario.InputsJson,
        ProposalJson = scenario.ProposalJson,
        Confidence = scenario.Confidence,
        Rationale = scenario.Rationale,
        EvidenceJson = scenario.EvidenceJson,
        Risk = scenario.Risk,
        ProposedRisk = scenario.Risk,
        Route = DecisionRoute.Review,
        RouteReason = "A training scenario: your answer is compared with its gold answer and changes nothing else.",
        RoutedBy = "sandbox",
        Priority = 4 - (int)scenario.Risk,
        Status = DecisionStatus.Pending,
        QueueId = sandbox.Id,
        CreatedAt = createdAt,
        DueAt = dueAt,
        Version = 1,
    };
}
