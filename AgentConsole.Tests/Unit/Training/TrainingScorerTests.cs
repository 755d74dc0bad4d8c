using System.Text.Json.Nodes;
using AgentConsole.Domain.Agents;
using AgentConsole.Domain.Training.Scenarios;
using AgentConsole.Domain.Training.Scoring;

namespace AgentConsole.Tests.Unit.Training;

public sealed class TrainingScorerTests
{
    private static readonly Guid[] Ids = [.. Enumerable.Range(1, 10).Select(i => new Guid(i, 0, 0, new byte[8]))];

    private static JsonObject Discount(decimal percent) => new() { ["discountPercent"] = percent };

    /// <summary>
    /// The hand-computed fixture: ten pricing items, (person, gold) per item —
    /// 1–5 (approve, approve) · 6 (override, approve) · 7 (override, override) · 8 (override, override) · 9 (approve, override) · 10 (reject, reject).
    /// Observed agreement on the action p_o = 8/10 = 0.80 (items 1–5, 7, 8, 10).
    /// Person's marginals: approve 6 (1–5, 9), override 3 (6–8), reject 1; gold's: approve 6 (1–6), override 3 (7–9), reject 1.
    /// Chance agreement p_e = 0.6·0.6 + 0.3·0.3 + 0.1·0.1 = 0.36 + 0.09 + 0.01 = 0.46.
    /// κ = (0.80 − 0.46) / (1 − 0.46) = 0.34 / 0.54 = 0.6296…
    /// Accuracy counts the values too: item 7 overrides to 12 % against gold 12 % (right), item 8 to 20 % against gold 12 %
    /// (more than the field's 0.5 step off: wrong), so 7 of 10 are right (1–5, 7, 10) = 70 %.
    /// Times 10, 20, …, 100 s: mean 55 s, median (50 + 60) / 2 = 55 s.
    /// </summary>
    [Fact]
    public void Score_MatchesTheHandComputedFixture()
    {
        var gold = new List<GoldAnswer>();
        var answers = new List<ScenarioAnswer>();
        (GoldAction Person, JsonObject? PersonValues, GoldAction Gold, JsonObject? GoldValues)[] items =
        [
            (GoldAction.Approve, null, GoldAction.Approve, Discount(10)),
            (GoldAction.Approve, null, GoldAction.Approve, Discount(10)),
            (GoldAction.Approve, null, GoldAction.Approve, Discount(10)),
            (GoldAction.Approve, null, GoldAction.Approve, Discount(10)),
            (GoldAction.Approve, null, GoldAction.Approve, Discount(10)),
            (GoldAction.Override, Discount(5), GoldAction.Approve, Discount(10)),
            (GoldAction.Override, Discount(12), GoldAction.Override, Discount(12)),
            (GoldAction.Override, Discount(20), GoldAction.Override, Discount(12)),
            (GoldAction.Approve, null, GoldAction.Override, Discount(12)),
            (GoldAction.Reject, null, GoldAction.Reject, null),
        ];
        for (var i = 0; i < items.Length; i++)
        {
            gold.Add(new GoldAnswer(Ids[i], UseCase.DynamicPricing, items[i].Gold, items[i].GoldValues));
            answers.Add(new ScenarioAnswer(Ids[i], items[i].Person, items[i].PersonValues, (i + 1) * 10));
        }

        var score = TrainingScorer.Score(gold, answers);

        Assert.Equal(0.80, score.Kappa.ObservedAgreement, 10);
        Assert.Equal(0.46, score.Kappa.ChanceAgreement, 10);
        Assert.Equal(0.6296, score.Kappa.Value);
        Assert.Equal(7, score.Correct);
        Assert.Equal(70.0, score.AccuracyPercent);
        Assert.Equal(55.0, score.MeanSecondsPerItem);
        Assert.Equal(55.0, score.MedianSecondsPerItem);
        Assert.False(score.Passes(80));
        Assert.True(score.Passes(70));
        Assert.Equal(["discountPercent"], score.Items[7].WrongFields);
        Assert.Equal("Right action, values off: Discount.", score.Items[7].Note);
        Assert.Equal("Answered override; the right action is approve.", score.Items[5].Note);
    }

    [Fact]
    public void Kappa_IsUndefinedAndSaysWhy_WhenEveryAnswerAndEveryGoldIsOneCategory()
    {
        var kappa = TrainingScorer.CohensKappa([.. Enumerable.Repeat((GoldAction.Approve, GoldAction.Approve), 5)]);

        Assert.Null(kappa.Value);
        Assert.Equal(1.0, kappa.ObservedAgreement);
        Assert.Contains("every answer and every gold answer is approve", kappa.Undefined, StringComparison.Ordinal);
        Assert.DoesNotContain("NaN", kappa.ToString(), StringComparison.Ordinal);
        Assert.StartsWith("undefined: ", kappa.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Kappa_IsUndefined_WhenNothingWasAnswered()
    {
        var score = TrainingScorer.Score([new GoldAnswer(Ids[0], UseCase.DynamicPricing, GoldAction.Approve, Discount(5))], []);

        Assert.Null(score.Kappa.Value);
        Assert.Equal("no answered items to compare", score.Kappa.Undefined);
        Assert.Equal(0, score.AccuracyPercent);
        Assert.Equal("Not answered.", score.Items[0].Note);
    }

    [Fact]
    public void Kappa_IsZero_ForSomeoneWhoApprovesEverything()
    {
        // p_o = 3/4 (the three approvals); person all approve, gold 3 approve + 1 reject: p_e = 1·0.75 + 0·0.25 = 0.75; κ = 0.
        var kappa = TrainingScorer.CohensKappa(
            [(GoldAction.Approve, GoldAction.Approve), (GoldAction.Approve, GoldAction.Approve), (GoldAction.Approve, GoldAction.Approve), (GoldAction.Approve, GoldAction.Reject)]);

        Assert.Equal(0.0, kappa.Value);
    }

    [Theory]
    [InlineData("10.5", true)]
    [InlineData("9.5", true)]
    [InlineData("11", false)]
    public void AnOverride_IsRight_WhenItsNumberIsWithinTheFieldsStepOfGold(string answered, bool right)
    {
        var score = TrainingScorer.Score(
            [new GoldAnswer(Ids[0], UseCase.DynamicPricing, GoldAction.Override, Discount(10))],
            [new ScenarioAnswer(Ids[0], GoldAction.Override, new JsonObject { ["discountPercent"] = answered }, 12)]);

        Assert.Equal(right, score.Items[0].Correct);
    }

    [Fact]
    public void AnOverride_IsWrong_WhenAChoiceDiffers_AndItsFreeTextIsNotCompared()
    {
        var gold = new JsonObject { ["action"] = "Hold", ["holdReason"] = "Bank account changed last week." };
        var score = TrainingScorer.Score(
            [new GoldAnswer(Ids[0], UseCase.InvoicePolicy, GoldAction.Override, gold), new GoldAnswer(Ids[1], UseCase.InvoicePolicy, GoldAction.Override, gold)],
            [
                new ScenarioAnswer(Ids[0], GoldAction.Override, new JsonObject { ["action"] = "hold", ["holdReason"] = "Other words entirely." }, 5),
                new ScenarioAnswer(Ids[1], GoldAction.Override, new JsonObject { ["action"] = "Block", ["holdReason"] = "Bank account changed last week." }, 5),
            ]);

        Assert.True(score.Items[0].Correct);
        Assert.False(score.Items[1].Correct);
        Assert.Equal(["action"], score.Items[1].WrongFields);
    }
}
