using System.Text.Json.Nodes;

namespace AgentConsole.Web.Decisions.Components;

/// <summary>
/// The case of a decision as the viewer may see it: proposal, rationale, evidence and inputs, masked by the policy
/// version that routed it. Beside a hidden field the viewer may reveal, a Reveal button asks for a reason.
/// </summary>
public sealed partial class DecisionCase
{
    /// <summary>The decision shown.</summary>
    [Parameter, EditorRequired]
    public DecisionDetail Detail { get; set; } = default!;

    /// <summary>Who looks, and may reveal.</summary>
    [Parameter, EditorRequired]
    public Actor Actor { get; set; } = default!;

    /// <summary>Raised after the viewer revealed a field (the reveal is audited), so the page can show it.</summary>
    [Parameter]
    public EventCallback<FieldReveal> Revealed { get; set; }

    private ProposalSchema Schema => ProposalSchema.For(Detail.Decision.UseCase);

    private static string Show(JsonObject values, ProposalField field) => CaseFormat.Proposal(values, field);

    private static string FormatInput(string key, JsonNode? value) => CaseFormat.Input(key, value);
}
