using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentConsole.Domain.Agents;
using AgentConsole.Domain.Training.Scenarios;

namespace AgentConsole.Domain.Training.Scoring;

/// <summary>A scenario's gold answer: the right action and, for an override, the right values.</summary>
public sealed record GoldAnswer(Guid ScenarioId, UseCase UseCase, GoldAction Action, JsonObject? Values);

/// <summary>What a person answered on one scenario, and how long it took them.</summary>
public sealed record ScenarioAnswer(Guid ScenarioId, GoldAction Action, JsonObject? Values, double Seconds);

/// <summary>One scored item: whether the answer was right, and why not when it was wrong.</summary>
public sealed record ScoredItem(Guid ScenarioId, GoldAction Gold, GoldAction? Answered, bool Correct, double Seconds, IReadOnlyList<string> WrongFields, string? Note);

/// <summary>
/// Cohen's kappa between a person's actions and gold: agreement beyond chance. <see cref="Value"/> is null when it is
/// undefined — no items, or both the person and gold used one and the same category for every item, so chance
/// agreement is already 1 — and <see cref="Undefined"/> says why, for people to read; it is never NaN.
/// </summary>
public sealed record Kappa(double? Value, double ObservedAgreement, double ChanceAgreement, string? Undefined)
{
    public override string ToString() => Value is { } k ? k.ToString("0.00", CultureInfo.InvariantCulture) : "undefined: " + Undefined;
}

/// <summary>A score over a set of scenarios: accuracy against gold, time per item and Cohen's kappa.</summary>
public sealed record TrainingScore(IReadOnlyList<ScoredItem> Items, int Correct, double AccuracyPercent, double MeanSecondsPerItem, double MedianSecondsPerItem, Kappa Kappa)
{
    /// <summary>Whether the accuracy reaches a pass mark given in percent.</summary>
    public bool Passes(int passMarkPercent) => AccuracyPercent >= passMarkPercent;
}

/// <summary>
/// Scores answers against gold, as practice and exam sessions will. An item is right when the action matches gold and,
/// for an override, every number field of the gold values is within the field's step of the answer (one step, or
/// exactly equal for a field without a step) and every choice field is the same choice. Free-text fields (a redline, a
/// hold reason) are the person's words and are not compared. A scenario left unanswered counts as wrong and takes no
/// category in kappa's table; answers to scenarios not in the set are ignored.
/// </summary>
public static class TrainingScorer
{
    private static readonly int Categories = Enum.GetValues<GoldAction>().Length;

    public static TrainingScore Score(IReadOnlyList<GoldAnswer> gold, IReadOnlyList<ScenarioAnswer> answers)
    {
        ArgumentNullException.ThrowIfNull(gold);
        ArgumentNullException.ThrowIfNull(answers);
        var byScenario = answers.GroupBy(a => a.ScenarioId).ToDictionary(g => g.Key, g => g.Last());
        var items = new List<ScoredItem>(gold.Count);
        var pairs = new List<(GoldAction Person, GoldAction Gold)>();
        foreach (var g in gold)
        {
            if (!byScenario.TryGetValue(g.ScenarioId, out var answer))
            {
                items.Add(new ScoredItem(g.ScenarioId, g.Action, null, false, 0, [], "Not answered."));
                continue;
            }

            pairs.Add((answer.Action, g.Action));
            var wrongFields = answer.Action == GoldAction.Override && g.Action == GoldAction.Override ? WrongFields(g, answer.Values) : [];
            var correct = answer.Action == g.Action && wrongFields.Count == 0;
            var note = correct ? null
                : answer.Action != g.Action ? $"Answered {answer.Action.ToString().ToLowerInvariant()}; the right action is {g.Action.ToString().ToLowerInvariant()}."
                : "Right action, values off: " + string.Join(", ", wrongFields.Select(f => ProposalSchema.For(g.UseCase).Fields.FirstOrDefault(x => x.Name == f)?.Label ?? f)) + ".";
            items.Add(new ScoredItem(g.ScenarioId, g.Action, answer.Action, correct, Math.Max(0, answer.Seconds), wrongFields, note));
        }

        var correctCount = items.Count(i => i.Correct);
        var answeredSeconds = items.Where(i => i.Answered is not null).Select(i => i.Seconds).Order().ToList();
        return new TrainingScore(
            items,
            correctCount,
            gold.Count == 0 ? 0 : Math.Round(100.0 * correctCount / gold.Count, 1),
            answeredSeconds.Count == 0 ? 0 : Math.Round(answeredSeconds.Average(), 1),
            answeredSeconds.Count == 0 ? 0 : Median(answeredSeconds),
            CohensKappa(pairs));
    }

    /// <summary>Cohen's kappa over the four action categories: (p_o − p_e) / (1 − p_e).</summary>
    public static Kappa CohensKappa(IReadOnlyList<(GoldAction Person, GoldAction Gold)> pairs)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        if (pairs.Count == 0)
        {
            return new Kappa(null, 0, 0, "no answered items to compare");
        }

        // One pass: agreements and each side's count per category (the marginals).
        var person = new int[Categories];
        var gold = new int[Categories];
        var agreed = 0;
        foreach (var (p, g) in pairs)
        {
            person[(int)p]++;
            gold[(int)g]++;
            agreed += p == g ? 1 : 0;
        }

        double n = pairs.Count;
        var observed = agreed / n;
        var chance = 0.0;
        for (var c = 0; c < Categories; c++)
        {
            chance += person[c] / n * (gold[c] / n);
        }

        if (1 - chance < 1e-12)
        {
            return new Kappa(null, observed, chance,
                $"every answer and every gold answer is {pairs[0].Gold.ToString().ToLowerInvariant()}, so agreement by chance is already complete");
        }

        return new Kappa(Math.Round((observed - chance) / (1 - chance), 4), observed, chance, null);
    }

    private static List<string> WrongFields(GoldAnswer gold, JsonObject? values)
    {
        var schema = ProposalSchema.For(gold.UseCase);
        var wrong = new List<string>();
        foreach (var field in schema.Fields.Where(f => f.Kind != ProposalFieldKind.Text))
        {
            var expected = gold.Values?[field.Name];
            if (expected is null)
            {
                continue;
            }

            var actual = values?[field.Name];
            var same = field.Kind == ProposalFieldKind.Number
                ? Number(actual) is { } a && Number(expected) is { } e && Math.Abs(a - e) <= (field.Step ?? 0)
                : actual is not null && string.Equals(ProposalSchema.FormatValue(actual), ProposalSchema.FormatValue(expected), StringComparison.OrdinalIgnoreCase);
            if (!same)
            {
                wrong.Add(field.Name);
            }
        }

        return wrong;
    }

    private static decimal? Number(JsonNode? node) => node switch
    {
        JsonValue v when v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<decimal>(out var d) => d,
        JsonValue v when v.GetValueKind() == JsonValueKind.String && decimal.TryParse(v.GetValue<string>(), NumberStyles.Number, CultureInfo.InvariantCulture, out var d) => d,
        _ => null,
    };

    private static double Median(List<double> sorted) =>
        sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : Math.Round((sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2, 1);
}
