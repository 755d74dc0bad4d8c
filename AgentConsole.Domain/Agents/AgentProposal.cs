using System.Text.Json.Nodes;
using AgentConsole.Domain.Decisions;

namespace AgentConsole.Domain.Agents;

/// <summary>What an agent proposes for one case.</summary>
/// <param name="Values">The proposed action, shaped by the use case's <see cref="ProposalSchema"/>.</param>
/// <param name="Confidence">Probability, 0–1, that the proposal is what a careful expert would decide.</param>
/// <param name="Rationale">A readable explanation for the reviewer, with the case fields it states.</param>
/// <param name="Evidence">The facts the agent relied on, one per line, each with the case fields it states.</param>
/// <param name="Risk">The harm a wrong decision could do.</param>
/// <param name="ExposureEur">The money at stake, used for priority.</param>
public sealed record AgentProposal(JsonObject Values, double Confidence, AgentRationale Rationale, IReadOnlyList<EvidenceLine> Evidence, RiskLevel Risk, decimal ExposureEur)
{
    /// <summary>The rationale and evidence together, as the decision keeps them.</summary>
    public AgentExplanation Explanation => new(Rationale, Evidence);

    /// <summary>What a model-backed agent's model reported using; null for the built-in agents, which call no model.</summary>
    public ModelUsage? Usage { get; init; }
}

/// <summary>The tokens a model reports for one proposal, and the model that answered when it differs from the one asked.</summary>
public sealed record ModelUsage(long InputTokens, long OutputTokens, string? ResponseModel = null);

/// <summary>An agent that turns a case into a proposal. Built-in agents run offline.</summary>
public interface IDecisionAgent
{
    UseCase UseCase { get; }

    /// <summary>Identifies the implementation, recorded on the agent version, e.g. <c>builtin:pricing/1</c>.</summary>
    string Implementation { get; }

    Task<AgentProposal> ProposeAsync(JsonObject inputs, CancellationToken cancellationToken);
}

/// <summary>Finds the implementation an agent version names.</summary>
public sealed class AgentRegistry(IEnumerable<IDecisionAgent> agents)
{
    private readonly Dictionary<string, IDecisionAgent> _byImplementation =
        agents.ToDictionary(a => a.Implementation, StringComparer.Ordinal);

    public IReadOnlyCollection<IDecisionAgent> All => _byImplementation.Values;

    public IDecisionAgent Resolve(string implementation) =>
        _byImplementation.TryGetValue(implementation, out var agent)
            ? agent
            : throw DomainException.NotFound("agent.implementation", $"No agent implementation '{implementation}' is installed.");
}
