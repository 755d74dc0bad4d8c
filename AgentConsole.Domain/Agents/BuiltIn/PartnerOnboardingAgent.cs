using System.Globalization;
using System.Text.Json.Nodes;
using AgentConsole.Domain.Decisions;

namespace AgentConsole.Domain.Agents.BuiltIn;

/// <summary>Scores a new partner's onboarding risk from KYC and credit signals.</summary>
public sealed class PartnerOnboardingAgent : IDecisionAgent
{
    internal const double Sigma = 0.5;
    private const decimal MaxCreditLimitEur = 5_000_000m;
    private const double ApproveAbove = 0.6;
    private const double DeclineBelow = -0.6;
    private static readonly ScoreBands Bands = new(DeclineBelow, ApproveAbove, "Decline", "ManualKyc", "Approve");
    private static readonly string[] LowRiskCountries = ["DE", "NL", "SE", "FR", "DK", "FI", "AT", "IE"];
    private static readonly string[] MediumRiskCountries = ["IT", "ES", "PL", "PT", "GR", "TR", "BR", "IN"];
    private static readonly string[] HighRiskCountries = ["NG", "PK", "VE", "MM"];
    private static readonly string[] SanctionedCountries = ["IR", "KP", "SY"];

    public UseCase UseCase => UseCase.PartnerOnboarding;

    public string Implementation => "builtin:onboarding/1";

    public Task<AgentProposal> ProposeAsync(JsonObject inputs, CancellationToken cancellationToken)
    {
        var country = inputs["country"]!.GetValue<string>();
        var sanctioned = SanctionedCountries.Contains(country);
        var score = Score(inputs);
        var revenue = inputs["annualRevenueEur"]!.GetValue<decimal>();
        var requested = inputs["requestedCreditLimitEur"]!.GetValue<decimal>();
        var years = inputs["yearsInBusiness"]!.GetValue<int>();
        var credit = inputs["creditScore"]!.GetValue<int>();

        string decision;
        double confidence;
        if (sanctioned)
        {
            decision = "Decline";
            confidence = 0.99;
        }
        else
        {
            decision = Bands.Label(score);
            confidence = Bands.Confidence(score, Sigma);
        }

        var limit = decision switch
        {
            "Approve" => Math.Min(requested, Math.Round(revenue * 0.10m / 1000) * 1000),
            "ManualKyc" => Math.Min(requested, Math.Round(revenue * 0.05m / 1000) * 1000),
            _ => 0m,
        };
        limit = Math.Min(limit, MaxCreditLimitEur);
        var tier = score > ApproveAbove ? "Low" : score > DeclineBelow ? "Medium" : "High";
        var risk = sanctioned ? RiskLevel.Critical
            : requested > 1_000_000m || HighRiskCountries.Contains(country) ? RiskLevel.High
            : decision == "Approve" ? RiskLevel.Low
            : RiskLevel.Medium;

        // Every field has its line whatever its value, so a hidden line never tells which way a field went.
        var evidence = new List<EvidenceLine>
        {
            new(sanctioned ? $"Country {country} is under sanctions: onboarding is not permitted." : $"Country {country}: {CountryRisk(country).ToLowerInvariant()} risk jurisdiction.", ["country"]),
            new($"Credit score {credit} ({(credit >= 700 ? "strong" : credit >= 620 ? "fair" : "weak")}).", ["creditScore"]),
            new($"{Counted.Of(years, "year")} in business.", ["yearsInBusiness"]),
            new($"Annual revenue {revenue.ToString("#,0", CultureInfo.InvariantCulture)} EUR.", ["annualRevenueEur"]),
            new(inputs["ownershipDisclosed"]!.GetValue<bool>() ? "Beneficial ownership fully disclosed." : "Beneficial ownership NOT disclosed.", ["ownershipDisclosed"]),
            new(inputs["adverseMedia"]!.GetValue<bool>() ? "Adverse media hits found in the last 24 months." : "No adverse media hits in the last 24 months.", ["adverseMedia"]),
        };

        var outcome = decision == "Approve" ? $"Proposing a credit limit of {limit:#,0} EUR (capped at 10 % of revenue)."
            : decision == "ManualKyc" ? "Signals are mixed, so a manual KYC review should confirm ownership and references before onboarding."
            : "The combination of weak credit and missing transparency is outside our onboarding appetite.";
        // The composite score is computed from every input, so the rationale that prints it states them all.
        var rationale = new AgentRationale(
            sanctioned
                ? $"{inputs["partnerName"]} is registered in a sanctioned country ({country}); the partner must be declined."
                : $"Composite risk score {score:0.00} places {inputs["partnerName"]} in the '{decision}' band. " + outcome,
            [.. CaseSchema.PartnerOnboarding.Fields.Select(f => f.Name)],
            decision == "Approve" ? $"The partner falls in the 'Approve' band. Proposing a credit limit of {limit:#,0} EUR (capped at 10 % of revenue)."
                : decision == "ManualKyc" ? "The partner falls in the 'ManualKyc' band: a manual KYC review should confirm ownership and references before onboarding."
                : "The partner falls outside our onboarding appetite and should be declined.");

        var values = new JsonObject { ["decision"] = decision, ["creditLimitEur"] = limit, ["riskTier"] = tier };
        return Task.FromResult(new AgentProposal(values, Probability.Clamp01(confidence), rationale, evidence, risk, requested));
    }

    internal static SyntheticCase Generate(SyntheticCaseGenerator g)
    {
        var roll = g.Random.NextDouble();
        var country = roll < 0.03 ? g.Pick(SanctionedCountries) : roll < 0.12 ? g.Pick(HighRiskCountries) : roll < 0.4 ? g.Pick(MediumRiskCountries) : g.Pick(LowRiskCountries);
        var revenue = g.Money(500_000, 80_000_000, 10_000);
        var inputs = new JsonObject
        {
            ["partnerName"] = g.Company(),
            ["country"] = country,
            ["yearsInBusiness"] = g.Random.Next(0, 40),
            ["annualRevenueEur"] = revenue,
            ["creditScore"] = g.Random.Next(480, 840),
            ["ownershipDisclosed"] = g.Chance(0.82),
            ["adverseMedia"] = g.Chance(0.1),
            ["requestedCreditLimitEur"] = Math.Min(MaxCreditLimitEur, Math.Round(revenue * (decimal)g.Between(0.01, 0.2) / 1000) * 1000),
        };
        var truthScore = Score(inputs) + g.Noise(Sigma);
        var decision = SanctionedCountries.Contains(country) ? "Decline" : Bands.Label(truthScore);
        var truth = new JsonObject { ["decision"] = decision, ["latentScore"] = Math.Round(truthScore, 3) };
        return new SyntheticCase(UseCase.PartnerOnboarding,
            $"Onboard {inputs["partnerName"]} ({country}) — {inputs["requestedCreditLimitEur"]!.GetValue<decimal>().ToString("#,0", CultureInfo.InvariantCulture)} EUR credit",
            inputs, truth);
    }

    private static string CountryRisk(string country) =>
        LowRiskCountries.Contains(country) ? "Low" : MediumRiskCountries.Contains(country) ? "Medium" : "High";

    private static double Score(JsonObject inputs)
    {
        var credit = inputs["creditScore"]!.GetValue<int>();
        var years = inputs["yearsInBusiness"]!.GetValue<int>();
        var country = CountryRisk(inputs["country"]!.GetValue<string>());
        var revenue = (double)inputs["annualRevenueEur"]!.GetValue<decimal>();
        var requested = (double)inputs["requestedCreditLimitEur"]!.GetValue<decimal>();
        return ((credit - 650) / 90.0)
            + (Math.Min(years, 12) / 12.0)
            - (country == "High" ? 1.2 : country == "Medium" ? 0.35 : 0)
            - (inputs["ownershipDisclosed"]!.GetValue<bool>() ? 0 : 0.9)
            - (inputs["adverseMedia"]!.GetValue<bool>() ? 1.0 : 0)
            - (requested / Math.Max(revenue, 1) * 3);
    }
}
