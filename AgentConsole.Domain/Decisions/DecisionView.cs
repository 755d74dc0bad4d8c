using System.Text.Json;
using System.Text.Json.Nodes;
using AgentConsole.Domain.Agents;
using AgentConsole.Domain.Policies;

namespace AgentConsole.Domain.Decisions;

/// <summary>One line of evidence as a viewer sees it: the agent's text, or a note where policy hides it.</summary>
/// <param name="Text">The line, or for a hidden line the note, e.g. "Hidden by policy: margin floor".</param>
/// <param name="Hidden">The line states a field hidden from the viewer.</param>
public sealed record EvidenceView(string Text, bool Hidden);

/// <summary>
/// What one viewer may see of a decision's case — subject, inputs, rationale, evidence, proposal — with the fields
/// the routing policy hides from them masked wherever they would appear. Pages, API answers and lists show a
/// decision's case only through a view. By construction: a text that declares a hidden field is hidden (evidence
/// lines become a note, the rationale is told from the proposal alone or hidden); in depth: any masked value still
/// written in free text — the subject, people's reasons, the proposal's text, lines stored before agents declared
/// what they state — is replaced by <see cref="MaskedText.Redacted"/>.
/// </summary>
public sealed class DecisionView
{
    private readonly MaskedText _loose;

    private DecisionView(
        CaseMask mask, MaskedText loose, string subject, JsonObject inputs, string? rationale, string? rationaleNote,
        IReadOnlyList<EvidenceView> evidence, JsonObject proposal, JsonObject? final)
    {
        Mask = mask;
        _loose = loose;
        Subject = subject;
        Inputs = inputs;
        Rationale = rationale;
        RationaleNote = rationaleNote;
        Evidence = evidence;
        Proposal = proposal;
        Final = final;
    }

    /// <summary>What is hidden from the viewer, and what they revealed.</summary>
    public CaseMask Mask { get; }

    public string Subject { get; }

    /// <summary>The case inputs, hidden fields replaced by <see cref="PolicyMasking.Hidden"/>.</summary>
    public JsonObject Inputs { get; }

    /// <summary>The rationale the viewer may read; null when it states hidden fields and cannot be told without them.</summary>
    public string? Rationale { get; }

    /// <summary>Why the rationale is shortened or hidden; null when it is shown as the agent wrote it.</summary>
    public string? RationaleNote { get; }

    public IReadOnlyList<EvidenceView> Evidence { get; }

    /// <summary>The proposal: never masked (it is what the reviewer decides on); its texts are searched in depth.</summary>
    public JsonObject Proposal { get; }

    /// <summary>The values carried out, when resolved (a reviewer's override), searched like the proposal.</summary>
    public JsonObject? Final { get; }

    /// <summary>Free text about the decision that declares nothing (a reviewer's reason), with masked values redacted.</summary>
    public string Redact(string text) => _loose.Redact(text);

    /// <summary>The decision as a viewer with this mask sees it.</summary>
    public static DecisionView Of(Decision decision, CaseMask mask) =>
        Of(decision.Subject, decision.Inputs, decision.Explanation, decision.Proposal, decision.Final, mask);

    /// <summary>A case as a viewer with this mask sees it.</summary>
    public static DecisionView Of(string subject, JsonObject inputs, AgentExplanation explanation, JsonObject proposal, JsonObject? final, CaseMask mask)
    {
        if (mask.IsEmpty)
        {
            return new DecisionView(mask, MaskedText.Nothing, subject, inputs, explanation.Rationale.Text, null,
                [.. explanation.Evidence.Select(e => new EvidenceView(e.Text, false))], proposal, final);
        }

        var maskedValues = mask.Fields.Select(f => inputs[f.Name]).ToList();
        var loose = new MaskedText(maskedValues, []);
        var decided = MaskedText.ValuesOf(proposal).Concat(MaskedText.ValuesOf(final)).ToList();

        // A text that declares its fields may state their values and the proposal's; a distinctive masked value in it is redacted.
        MaskedText For(IReadOnlyList<string>? fields) =>
            fields is null ? loose : new MaskedText(maskedValues, MaskedText.ValuesOf(inputs, fields.Where(f => !mask.Hides(f))).Concat(decided), distinctiveOnly: true);

        var evidence = explanation.Evidence.Select(line => Hidden(line.Fields, mask) is { Count: > 0 } hidden
            ? new EvidenceView(HiddenNote(hidden, mask), true)
            : new EvidenceView(For(line.Fields).Redact(line.Text), false)).ToList();

        var rationale = explanation.Rationale;
        string? shown;
        string? note = null;
        if (Hidden(rationale.Fields, mask) is { Count: > 0 } withheld)
        {
            var labels = Join(withheld.Select(MaskedText.InText));
            shown = rationale.WithoutFields is { } shorter ? For([]).Redact(shorter) : null;
            note = shown is null
                ? $"Hidden by policy: the agent's rationale states the {labels}."
                : $"Shortened by policy: the agent's full rationale states the {labels}.";
        }
        else
        {
            shown = For(rationale.Fields).Redact(rationale.Text);
        }

        return new DecisionView(mask, loose, loose.Redact(subject), PolicyMasking.MaskInputs(inputs, mask), shown, note, evidence,
            RedactTexts(proposal, loose), final is null ? null : RedactTexts(final, loose));
    }

    /// <summary>A subject (free text, often repeating case values) as a viewer with this mask sees it.</summary>
    public static string SubjectFor(string subject, JsonObject inputs, CaseMask mask) =>
        mask.IsEmpty ? subject : new MaskedText(mask.Fields.Select(f => inputs[f.Name]), []).Redact(subject);

    private static List<string>? Hidden(IReadOnlyList<string>? fields, CaseMask mask) =>
        fields?.Where(mask.Hides).Distinct(StringComparer.Ordinal).ToList();

    private static string HiddenNote(IReadOnlyList<string> fields, CaseMask mask) =>
        mask.PolicyUnreadable
            ? "Hidden: the policy that routed this decision cannot be read."
            : $"Hidden by policy: {Join(fields.Select(MaskedText.InText))}";

    private static string Join(IEnumerable<string> items)
    {
        var list = items.ToList();
        return list.Count <= 1 ? string.Join("", list) : string.Join(", ", list[..^1]) + " and " + list[^1];
    }

    private static JsonObject RedactTexts(JsonObject values, MaskedText text)
    {
        var copy = values.DeepClone().AsObject();
        foreach (var (name, value) in values)
        {
            if (value is JsonValue v && v.GetValueKind() == JsonValueKind.String)
            {
                copy[name] = text.Redact(v.GetValue<string>());
            }
        }

        return copy;
    }
}
