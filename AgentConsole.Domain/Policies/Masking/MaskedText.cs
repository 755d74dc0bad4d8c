using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using AgentConsole.Domain.Agents;

namespace AgentConsole.Domain.Policies;

/// <summary>
/// The defence in depth behind masking. Texts are hidden by what they declare they state; this also finds a masked
/// value written in free text — raw, with thousands separators, rounded, as a percentage, an identifier in words —
/// and replaces it with <see cref="Redacted"/>, as a whole token (25 is found in "25 %" but not in "25,000" or
/// "2025"). Every blank it leaves depends on the hidden value, so it must not blank what is there anyway: values
/// that explain the text (the proposal, fields the text declares and the viewer may see) are left alone, and in a
/// text that declares what it states only distinctive forms are searched — three digits or more, or a text of
/// more than one word as written — because a short number or a phrase of the agent's own wording ("the last 24 months", "payment terms")
/// stands there whatever the hidden value is, and blanking it would tell that value.
/// </summary>
public sealed class MaskedText
{
    /// <summary>What stands where a masked value was written.</summary>
    public const string Redacted = "•••";

    private static readonly string[] NumberFormats = ["0.#", "0.##", "0.###", "0.0", "0.00", "#,0", "#,0.#", "#,0.##", "#,0.00"];
    private static readonly string[] PercentFormats = ["0", "0.#", "0.##"];
    private static readonly TimeSpan MatchTimeout = TimeSpan.FromSeconds(1);

    private readonly Regex? _pattern;

    /// <param name="masked">The values that must not appear.</param>
    /// <param name="explained">Values the text may state (their forms are not redacted even where a masked value shares them).</param>
    /// <param name="distinctiveOnly">Search only forms with three digits or more and texts as written: for texts that declare what they state.</param>
    public MaskedText(IEnumerable<JsonNode?> masked, IEnumerable<JsonNode?> explained, bool distinctiveOnly = false)
    {
        var forms = masked.SelectMany(v => distinctiveOnly ? DistinctiveForms(v) : Forms(v)).ToHashSet(StringComparer.Ordinal);
        forms.ExceptWith(explained.SelectMany(Forms));
        if (forms.Count > 0)
        {
            var alternatives = string.Join("|", forms.OrderByDescending(f => f.Length).ThenBy(f => f, StringComparer.Ordinal).Select(Regex.Escape));
            _pattern = new Regex($@"(?<![\p{{L}}\p{{N}}])(?<!\p{{N}}[.,])(?:{alternatives})(?![\p{{L}}\p{{N}}])(?![.,]\p{{N}})", RegexOptions.CultureInvariant, MatchTimeout);
        }
    }

    /// <summary>Redacts nothing.</summary>
    public static MaskedText Nothing { get; } = new([], []);

    /// <summary>The text with every masked value's forms replaced by <see cref="Redacted"/>.</summary>
    public string Redact(string text)
    {
        if (_pattern is null || string.IsNullOrEmpty(text))
        {
            return text;
        }

        try
        {
            return _pattern.Replace(text, Redacted);
        }
        catch (RegexMatchTimeoutException)
        {
            // A text too long to search is not shown rather than shown unsearched.
            return Redacted;
        }
    }

    /// <summary>
    /// The ways a value is written in text. A number: its JSON text and invariant renderings (0.#, #,0, #,0.00, …)
    /// that stay within 0.5 % of it, and for a fraction up to 1 the percentage (0.82 is "82"); a text: itself and, for
    /// an identifier such as <c>LimitationOfLiability</c>, its words ("limitation of liability", "Limitation of
    /// liability"). True, false and null have no forms: what states them is hidden by declaration.
    /// </summary>
    public static IReadOnlyCollection<string> Forms(JsonNode? value)
    {
        var forms = new HashSet<string>(StringComparer.Ordinal);
        if (value is not JsonValue json)
        {
            return forms;
        }

        switch (json.GetValueKind())
        {
            case JsonValueKind.Number:
                var raw = json.ToJsonString();
                forms.Add(raw);
                if (decimal.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
                {
                    AddNumber(forms, number, NumberFormats);
                    if (number != 0 && Math.Abs(number) <= 1)
                    {
                        AddNumber(forms, number * 100, PercentFormats);
                    }
                }

                break;
            case JsonValueKind.String:
                var text = json.GetValue<string>();
                if (!string.IsNullOrWhiteSpace(text))
                {
                    forms.Add(text);
                    if (Regex.IsMatch(text, "^[A-Za-z]+$") && Regex.IsMatch(text, "[a-z][A-Z]"))
                    {
                        var words = Regex.Replace(text, "(?<=[a-z])(?=[A-Z])", " ").ToLowerInvariant();
                        forms.Add(words);
                        forms.Add(char.ToUpperInvariant(words[0]) + words[1..]);
                    }
                }

                break;
        }

        return forms;
    }

    /// <summary>
    /// The forms unlikely to stand in an agent's own wording: numbers of three digits or more, and a text as written
    /// when it is more than one word (a name, an invoice number) — a single word such as a clause type or a segment is
    /// as likely to be the agent's word as the value.
    /// </summary>
    public static IReadOnlyCollection<string> DistinctiveForms(JsonNode? value) =>
        value is JsonValue json && json.GetValueKind() == JsonValueKind.String
            ? [.. Forms(value).Where(f => f == json.GetValue<string>() && f.Any(c => !char.IsLetter(c)))]
            : [.. Forms(value).Where(f => f.Count(char.IsAsciiDigit) >= 3)];

    private static void AddNumber(HashSet<string> forms, decimal number, string[] formats)
    {
        var exact = number.ToString(CultureInfo.InvariantCulture);
        forms.Add(exact);
        foreach (var format in formats)
        {
            var text = number.ToString(format, CultureInfo.InvariantCulture);
            if (decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out var shown)
                && Math.Abs(shown - number) <= Math.Abs(number) * 0.005m)
            {
                forms.Add(text);
            }
        }
    }

    /// <summary>The case values a list of fields names, for <see cref="MaskedText"/>'s explained values.</summary>
    internal static IEnumerable<JsonNode?> ValuesOf(JsonObject values, IEnumerable<string> fields) => fields.Select(f => values[f]);

    /// <summary>Every value of an object (a proposal, an override), for <see cref="MaskedText"/>'s explained values.</summary>
    internal static IEnumerable<JsonNode?> ValuesOf(JsonObject? values) => values?.Select(p => p.Value) ?? [];

    /// <summary>A field's label in a note, as people read it in running text: "margin floor".</summary>
    internal static string InText(string field) => CaseSchema.Label(field).ToLowerInvariant();
}
