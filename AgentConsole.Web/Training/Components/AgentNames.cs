namespace AgentConsole.Web.Training.Components;

/// <summary>How the training forms name an agent in their pickers: its name and use case, nothing while none is chosen.</summary>
internal static class AgentNames
{
    public static Func<Guid, string?> For(IReadOnlyList<Agent> agents) =>
        id => agents.FirstOrDefault(a => a.Id == id) is { } agent ? $"{agent.Name} ({agent.UseCase.Label()})" : null;
}
