namespace AgentConsole.Domain.Decisions;

/// <summary>How much harm a wrong decision could do.</summary>
public enum RiskLevel
{
    Low,
    Medium,
    High,
    Critical,
}
