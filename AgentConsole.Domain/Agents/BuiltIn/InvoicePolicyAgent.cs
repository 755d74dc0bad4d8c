using System.Globalization;
using System.Text.Json.Nodes;
using AgentConsole.Domain.Decisions;

namespace AgentConsole.Domain.Agents.BuiltIn;

/// <summary>Enforces invoice and payment policy: three-way match, bank changes, duplicates.</summary>
public sealed class InvoicePolicyAgent : IDecisionAgent
{
    internal const double Sigma = 0.5;
    private const double HoldFrom = 1.0;
    private const double BlockFrom = 2.2;
    private static readonly ScoreBands Bands = new(HoldFrom, BlockFrom, "Pay", "Hold", "Block");

    public UseCase UseCase => UseCase.InvoicePolicy;

    public string Implementation => "builtin:invoices/1";

    public Task<AgentProposal> ProposeAsync(JsonObject inputs, CancellationToken cancellationToken)
    {
        var score = Suspicion(inputs);
        var action = Bands.Label(score);
        var confidence = Bands.Confidence(score, Sigma);
        var amount = inputs["amountEur"]!.GetValue<decimal>();
        var bankChanged = inputs["bankAccountChangedDaysAgo"]!.GetValue<int>() is >= 0 and <= 30;
        var risk = bankChanged && amount > 100_000m ? RiskLevel.Critical
            : amount > 250_000m || action == "Block" ? RiskLevel.High
            : action == "Hold" ? RiskLevel.Medium
            : RiskLevel.Low;

        var reasons = new List<string>();
        if (!inputs["poMatched"]!.GetValue<bool>())
        {
            reasons.Add("no matching purchase order");
        }

        if (!inputs["receiptMatched"]!.GetValue<bool>())
        {
            reasons.Add("goods receipt missing");
        }

        if (bankChanged)
        {
            reasons.Add("supplier bank account changed recently");
        }

        else if (inputs["bankAccountChangedDaysAgo"]!.GetValue<int>() > 30)
        {
            reasons.Add("supplier bank account changed more than 30 days ago");
        }

        if (inputs["duplicateSimilarity"]!.GetValue<double>() > 0.6)
        {
            reasons.Add("likely duplicate of an earlier invoice");
        }

        if (amount > 200_000m)
        {
            reasons.Add("amount above 200,000 EUR");
        }

        if (reasons.Count == 0)
        {
            reasons.Add("several weak signals add up");
        }

        var evidence = new List<EvidenceLine>
        {
            new($"Invoice {inputs["invoiceNumber"]} from {inputs["supplier"]}.", ["invoiceNumber", "supplier"]),
            new($"Amount {amount.ToString("#,0.00", CultureInfo.InvariantCulture)} EUR, {Counted.DueIn(inputs["dueInDays"]!.GetValue<int>())}.", ["amountEur", "dueInDays"]),
            new($"PO match: {(inputs["poMatched"]!.GetValue<bool>() ? "yes" : "no")}; goods receipt: {(inputs["receiptMatched"]!.GetValue<bool>() ? "yes" : "no")}.", ["poMatched", "receiptMatched"]),
            new(inputs["bankAccountChangedDaysAgo"]!.GetValue<int>() < 0 ? "Bank account unchanged." : $"Bank account changed {Counted.Ago(inputs["bankAccountChangedDaysAgo"]!.GetValue<int>())}.", ["bankAccountChangedDaysAgo"]),
            new($"Similarity to earlier invoices: {inputs["duplicateSimilarity"]!.GetValue<double>():P0}.", ["duplicateSimilarity"]),
        };
        // The reasons, listed or left out, tell which checks failed: the rationale states every field they read.
        var rationale = new AgentRationale(
            action == "Pay"
                ? "Three-way match succeeded and no fraud signals exceed policy; release for payment."
                : $"{(action == "Hold" ? "Hold" : "Block")} the payment: {string.Join(", ", reasons)}.",
            ["poMatched", "receiptMatched", "bankAccountChangedDaysAgo", "duplicateSimilarity", "amountEur"],
            action == "Pay" ? "Release for payment." : $"{(action == "Hold" ? "Hold" : "Block")} the payment for the reasons given in the proposal.");
        var values = new JsonObject { ["action"] = action };
        if (action != "Pay")
        {
            values["holdReason"] = string.Join("; ", reasons);
        }

        return Task.FromResult(new AgentProposal(values, Probability.Clamp01(confidence), rationale, evidence, risk, amount));
    }

    internal static SyntheticCase Generate(SyntheticCaseGenerator g)
    {
        var inputs = new JsonObject
        {
            ["supplier"] = g.Company(),
            ["invoiceNumber"] = $"INV-{g.Random.Next(10000, 99999)}",
            ["amountEur"] = g.Money(800, 400_000, 1),
            ["poMatched"] = g.Chance(0.85),
            ["receiptMatched"] = g.Chance(0.8),
            ["bankAccountChangedDaysAgo"] = g.Chance(0.12) ? g.Random.Next(0, 60) : -1,
            ["duplicateSimilarity"] = Math.Round(g.Chance(0.1) ? g.Between(0.5, 0.99) : g.Between(0, 0.3), 2),
            ["dueInDays"] = g.Random.Next(-5, 45),
        };
        var truthScore = Suspicion(inputs) + g.Noise(Sigma);
        var truth = new JsonObject { ["action"] = Bands.Label(truthScore), ["latentScore"] = Math.Round(truthScore, 3) };
        return new SyntheticCase(UseCase.InvoicePolicy,
            $"Invoice {inputs["invoiceNumber"]} — {inputs["supplier"]}, {inputs["amountEur"]!.GetValue<decimal>().ToString("#,0", CultureInfo.InvariantCulture)} EUR",
            inputs, truth);
    }

    private static double Suspicion(JsonObject inputs)
    {
        var bankDays = inputs["bankAccountChangedDaysAgo"]!.GetValue<int>();
        return (inputs["poMatched"]!.GetValue<bool>() ? 0 : 1.0)
            + (inputs["receiptMatched"]!.GetValue<bool>() ? 0 : 0.6)
            + (bankDays is >= 0 and <= 30 ? 1.5 : bankDays > 30 ? 0.3 : 0)
            + (inputs["duplicateSimilarity"]!.GetValue<double>() * 2.0)
            + (inputs["amountEur"]!.GetValue<decimal>() > 200_000m ? 0.3 : 0);
    }
}
