using System.Text.Json;
using System.Text.Json.Serialization;

namespace AgentConsole.Domain.Agents;

/// <summary>A fact an agent relied on, and the case fields whose values the text states.</summary>
/// <param name="Text">The line as the reviewer reads it, e.g. "Margin floor allows at most 31 % discount."</param>
/// <param name="Fields">
/// The input fields the line states, by name (<c>marginFloorPercent</c>); a line whose wording depends on a field
/// (even only on whether it is true, or on whether the line appears at all) states it. Null for lines stored before
/// agents declared what they state: those may state any field.
/// </param>
public sealed record EvidenceLine(string Text, IReadOnlyList<string>? Fields);

/// <summary>The agent's explanation for the reviewer and the case fields it states.</summary>
/// <param name="Text">The explanation.</param>
/// <param name="Fields">
/// The input fields the explanation states, including those behind any number it prints that is computed from them
/// (a composite score states every field that goes into it). Null when not declared: it may state any field.
/// </param>
/// <param name="WithoutFields">
/// The same reasoning told from the proposal alone, stating none of the case fields: what a reviewer from whom one
/// of <paramref name="Fields"/> is masked reads instead. Null when there is none; the explanation is then hidden.
/// </param>
public sealed record AgentRationale(string Text, IReadOnlyList<string>? Fields, string? WithoutFields = null)
{
    /// <summary>An explanation that states none of the case fields.</summary>
    public static AgentRationale StatingNothing(string text) => new(text, []);
}

/// <summary>
/// What an agent said about a case, as a decision keeps it: the rationale and the evidence, each with the case
/// fields it states, so that masking a field hides every text that would give its value away. The evidence and
/// what the rationale states are stored as JSON (<see cref="ToJson"/>); rows written before this shape held the
/// evidence as a plain array of strings, and read as lines that may state any field.
/// </summary>
public sealed record AgentExplanation(AgentRationale Rationale, IReadOnlyList<EvidenceLine> Evidence)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>The evidence and what the rationale states, for the decision's evidence column (the rationale's text has its own).</summary>
    public string ToJson() => JsonSerializer.Serialize(
        new Stored(Evidence.Select(e => new StoredLine(e.Text, e.Fields)).ToList(), Rationale.Fields, Rationale.WithoutFields), Json);

    /// <summary>Reads what <see cref="ToJson"/> wrote, or a plain array of evidence strings from older rows.</summary>
    public static AgentExplanation Read(string rationale, string evidenceJson)
    {
        using var document = JsonDocument.Parse(string.IsNullOrWhiteSpace(evidenceJson) ? "[]" : evidenceJson);
        if (document.RootElement.ValueKind == JsonValueKind.Array)
        {
            var legacy = document.RootElement.EnumerateArray().Select(e => new EvidenceLine(e.GetString() ?? "", null)).ToList();
            return new AgentExplanation(new AgentRationale(rationale, null), legacy);
        }

        var stored = document.RootElement.Deserialize<Stored>(Json) ?? new Stored([], null, null);
        return new AgentExplanation(
            new AgentRationale(rationale, stored.RationaleFields, stored.RationaleWithoutFields),
            [.. (stored.Evidence ?? []).Select(e => new EvidenceLine(e.Text ?? "", e.Fields))]);
    }

    private sealed record Stored(List<StoredLine>? Evidence, IReadOnlyList<string>? RationaleFields, string? RationaleWithoutFields);

    private sealed record StoredLine(string? Text, IReadOnlyList<string>? Fields);
}
