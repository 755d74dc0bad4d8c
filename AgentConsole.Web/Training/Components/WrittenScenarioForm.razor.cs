using System.Globalization;
using System.Text.Json.Nodes;
using AgentConsole.Domain.Training.Scenarios;

namespace AgentConsole.Web.Training.Components;

/// <summary>
/// A trainer writes a scenario: the agent, the case in the agent's input fields, its proposal and confidence, the gold
/// action (and an override's right values) and the explanation. <see cref="ScenarioLibrary"/> checks everything and
/// its refusals show beside the fields.
/// </summary>
public sealed partial class WrittenScenarioForm
{
    private Guid _agentId;
    private string? _subject;
    private Dictionary<string, string?> _inputs = [];
    private Dictionary<string, bool> _flags = [];
    private Dictionary<string, string?> _proposal = [];
    private Dictionary<string, string?> _goldValues = [];
    private string? _confidence;
    private GoldAction _gold = GoldAction.Approve;
    private string? _explanation;
    private RiskLevel _risk = RiskLevel.Medium;
    private string? _rationale;
    private readonly PendingAction _action = new();

    [Parameter, EditorRequired]
    public Guid TrackId { get; set; }

    [Parameter, EditorRequired]
    public Guid ExerciseId { get; set; }

    [Parameter, EditorRequired]
    public IReadOnlyList<Agent> Agents { get; set; } = [];

    /// <summary>Told what was added, once saved.</summary>
    [Parameter]
    public EventCallback<string> Added { get; set; }

    [Parameter]
    public EventCallback Cancel { get; set; }

    [Inject]
    private ScenarioLibrary Library { get; set; } = default!;

    [Inject]
    private ConsoleUser User { get; set; } = default!;

    private Agent? Agent => Agents.FirstOrDefault(a => a.Id == _agentId);

    private string? Error(string field) => _action.Refusal?.FieldErrors.GetValueOrDefault(field) is [var first, ..] ? first : null;

    private static string? Range(CaseField field) =>
        field.Kind is CaseFieldKind.Number or CaseFieldKind.WholeNumber
            ? field.Max is { } max ? FormattableString.Invariant($"{field.Min}–{max}") : field.Min is { } min ? FormattableString.Invariant($"at least {min}") : null
            : field.Required ? null : "optional";

    private void ChooseAgent(Guid agentId)
    {
        _agentId = agentId;
        _inputs = [];
        _flags = [];
        _proposal = [];
        _goldValues = [];
        _action.Error = null;
    }

    private async Task SaveAsync()
    {
        var agent = Agent!;
        var inputs = new JsonObject();
        foreach (var field in CaseSchema.For(agent.UseCase).Fields)
        {
            if (field.Kind == CaseFieldKind.Boolean)
            {
                inputs[field.Name] = _flags.GetValueOrDefault(field.Name);
                continue;
            }

            var text = _inputs.GetValueOrDefault(field.Name)?.Trim();
            if (string.IsNullOrEmpty(text))
            {
                continue;
            }

            // Numbers typed as numbers become JSON numbers; anything else stays text, and the case schema names what it expected.
            inputs[field.Name] = field.Kind switch
            {
                CaseFieldKind.Number when decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out var number) => number,
                CaseFieldKind.WholeNumber when int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var whole) => whole,
                _ => text,
            };
        }

        var confidence = double.TryParse(_confidence?.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var c) ? c : double.NaN;
        var written = new WrittenScenario(agent.Id, _subject ?? "", inputs, ToJson(_proposal), confidence, _gold, _gold == GoldAction.Override ? ToJson(_goldValues) : null, _explanation ?? "")
        {
            Risk = _risk,
            Rationale = _rationale,
        };
        var actor = await User.GetAsync();
        if (await _action.RunAsync(() => Library.AddWrittenAsync(TrackId, ExerciseId, written, actor)))
        {
            await Added.InvokeAsync("Scenario added.");
        }
    }

    private static JsonObject ToJson(Dictionary<string, string?> values)
    {
        var json = new JsonObject();
        foreach (var (name, value) in values.Where(v => !string.IsNullOrWhiteSpace(v.Value)))
        {
            json[name] = value!.Trim();
        }

        return json;
    }
}
