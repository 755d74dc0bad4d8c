using System.Globalization;
using System.Text.Json.Nodes;
using AgentConsole.Domain.Decisions;

namespace AgentConsole.Domain.Agents.BuiltIn;

/// <summary>Proposes a discount on a B2B quote from competition, segment, volume and deal history.</summary>
public sealed class DynamicPricingAgent : IDecisionAgent
{
    /// <summary>A proposal counts as right when it lies within this many points of the best discount.</summary>
    internal const double Tolerance = 2.5;
    internal static readonly string[] Segments = ["SMB", "MidMarket", "Enterprise"];
    private static readonly string[] Products = ["industrial sensors", "ERP seats", "freight capacity", "packaging film", "spare parts", "cloud storage", "lab reagents"];

    public UseCase UseCase => UseCase.DynamicPricing;

    public string Implementation => "builtin:pricing/1";

    public Task<AgentProposal> ProposeAsync(JsonObject inputs, CancellationToken cancellationToken)
    {
        var (discount, floor) = BestGuess(inputs);
        var sigma = Sigma(inputs);
        var proposed = Math.Round(discount * 2, MidpointRounding.AwayFromZero) / 2;
        var confidence = Probability.InBand(discount, sigma, proposed - Tolerance, proposed + Tolerance);
        var quote = inputs["quoteValueEur"]!.GetValue<decimal>();
        var gap = inputs["competitorGapPercent"]!.GetValue<double>();
        var deals = inputs["comparableDeals"]!.GetValue<int>();
        var risk = proposed > 15 || quote > 1_000_000m ? RiskLevel.High : proposed > 10 ? RiskLevel.Medium : RiskLevel.Low;

        var evidence = new List<EvidenceLine>
        {
            new($"Quote value {quote.ToString("#,0", CultureInfo.InvariantCulture)} EUR, segment {inputs["segment"]}.", ["quoteValueEur", "segment"]),
            new(gap > 0 ? $"Competitor undercuts list price by {gap:0.#} %." : "No competitor undercuts our list price.", ["competitorGapPercent"]),
            new($"{Counted.Of(deals, "comparable won deal")} in the last 12 months.", ["comparableDeals"]),
            new($"Margin floor allows at most {floor:0.#} % discount.", ["marginFloorPercent"]),
            new($"Customer tenure {Counted.Of(inputs["customerTenureYears"]!.GetValue<int>(), "year")}.", ["customerTenureYears"]),
        };
        var rationale = new AgentRationale(
            $"To stay competitive for {inputs["customer"]} ({inputs["product"]}), a {proposed:0.#} % discount matches the market"
                + (deals < 5 ? ", but few comparable deals make this estimate uncertain." : " and is consistent with comparable won deals."),
            ["customer", "product", "comparableDeals"],
            $"A {proposed:0.#} % discount matches the market.");
        var values = new JsonObject { ["discountPercent"] = (decimal)proposed };
        return Task.FromResult(new AgentProposal(values, Probability.Clamp01(confidence), rationale, evidence, risk, quote * (decimal)proposed / 100m));
    }

    internal static SyntheticCase Generate(SyntheticCaseGenerator g)
    {
        var segment = g.Pick(Segments);
        var quote = segment switch
        {
            "SMB" => g.Money(5_000, 80_000, 100),
            "MidMarket" => g.Money(50_000, 600_000, 1000),
            _ => g.Money(300_000, 2_500_000, 5000),
        };
        var inputs = new JsonObject
        {
            ["customer"] = g.Company(),
            ["segment"] = segment,
            ["product"] = g.Pick(Products),
            ["quoteValueEur"] = quote,
            ["competitorGapPercent"] = Math.Round(g.Chance(0.3) ? 0 : g.Between(1, 22), 1),
            ["comparableDeals"] = g.Random.Next(0, 40),
            ["customerTenureYears"] = g.Random.Next(0, 15),
            ["marginFloorPercent"] = Math.Round(g.Between(12, 35), 0),
        };
        var (discount, floor) = BestGuess(inputs);
        var best = Math.Clamp(discount + g.Noise(Sigma(inputs)), 0, floor);
        var truth = new JsonObject { ["discountPercent"] = Math.Round((decimal)best, 1) };
        return new SyntheticCase(UseCase.DynamicPricing,
            $"Discount for {inputs["customer"]} — {quote.ToString("#,0", CultureInfo.InvariantCulture)} EUR {inputs["product"]}",
            inputs, truth);
    }

    private static double Sigma(JsonObject inputs) => 0.8 + (5.0 / (1 + (inputs["comparableDeals"]!.GetValue<int>() / 4.0)));

    private static (double Discount, double Floor) BestGuess(JsonObject inputs)
    {
        var gap = inputs["competitorGapPercent"]!.GetValue<double>();
        var floor = inputs["marginFloorPercent"]!.GetValue<double>();
        var segment = inputs["segment"]!.GetValue<string>();
        var tenure = inputs["customerTenureYears"]!.GetValue<int>();
        var discount = (gap * 0.8) + (segment == "Enterprise" ? 6 : segment == "MidMarket" ? 3 : 0) + Math.Min(tenure, 10) * 0.3;
        return (Math.Clamp(discount, 0, floor), floor);
    }
}
