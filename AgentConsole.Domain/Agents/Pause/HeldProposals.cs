using System.Text.Json;

namespace AgentConsole.Domain.Agents.Pause;

/// <summary>A held run keeps its proposal as JSON, so the agent is not asked again when it is resumed.</summary>
public static class HeldProposals
{
    public static string Write(AgentProposal proposal) => JsonSerializer.Serialize(proposal);

    public static AgentProposal Read(string json) =>
        JsonSerializer.Deserialize<AgentProposal>(json) ?? throw new InvalidOperationException("A held proposal is empty.");
}
