using System.Globalization;
using System.Text.Json.Nodes;
using AgentConsole.Domain.Decisions;

namespace AgentConsole.Domain.Agents.BuiltIn;

/// <summary>Reviews a contract clause against the legal playbook: accept, redline or reject.</summary>
public sealed class ContractReviewAgent : IDecisionAgent
{
    internal const double Sigma = 0.45;
    private const double AcceptBelow = 0.8;
    private const double RejectFrom = 2.0;
    private static readonly ScoreBands Bands = new(AcceptBelow, RejectFrom, "Accept", "Redline", "Reject");
    internal static readonly string[] ClauseTypes = ["LimitationOfLiability", "Indemnity", "PaymentTerms", "Termination", "DataProtection"];
    private static readonly int[] PaymentTerms = [30, 45, 60, 90, 120];

    /// <summary>A clause type as people write it, e.g. "limitation of liability" for <c>LimitationOfLiability</c>.</summary>
    internal static string ClauseName(string clauseType) =>
        System.Text.RegularExpressions.Regex.Replace(clauseType, "(?<=[a-z])(?=[A-Z])", " ").ToLowerInvariant();
    private static readonly string[] Laws = ["England and Wales", "Germany", "Netherlands", "New York", "Singapore", "Switzerland"];

    public UseCase UseCase => UseCase.ContractReview;

    public string Implementation => "builtin:contracts/1";

    public Task<AgentProposal> ProposeAsync(JsonObject inputs, CancellationToken cancellationToken)
    {
        var score = Deviation(inputs);
        var verdict = Bands.Label(score);
        var confidence = Bands.Confidence(score, Sigma);
        var value = inputs["contractValueEur"]!.GetValue<decimal>();
        var clause = inputs["clauseType"]!.GetValue<string>();
        var risk = value > 1_000_000m || verdict == "Reject" ? RiskLevel.High : verdict == "Redline" ? RiskLevel.Medium : RiskLevel.Low;
        var redline = verdict == "Redline" ? Redline(clause) : null;

        // Each term the score reads has its line whatever its value, so a hidden line never tells which way a term went.
        var evidence = new List<EvidenceLine>
        {
            new($"Clause type: {ClauseName(clause)}; governing law: {inputs["governingLaw"]}.", ["clauseType", "governingLaw"]),
            new($"Contract value {value.ToString("#,0", CultureInfo.InvariantCulture)} EUR.", ["contractValueEur"]),
            new($"Liability cap {inputs["liabilityCapMultiple"]}× annual fees (playbook: 1–2×).", ["liabilityCapMultiple"]),
            new($"Payment terms {Counted.Of(inputs["paymentTermsDays"]!.GetValue<int>(), "day")} (playbook: up to 60).", ["paymentTermsDays"]),
            new(inputs["uncappedIndemnity"]!.GetValue<bool>() ? "Indemnity is uncapped." : "Indemnity is capped.", ["uncappedIndemnity"]),
            new(inputs["autoRenewal"]!.GetValue<bool>() ? "Renews automatically." : "No automatic renewal.", ["autoRenewal"]),
        };

        var judgement = verdict switch
        {
            "Accept" => "within tolerance, accept as drafted.",
            "Redline" => "negotiable, propose the standard fallback wording.",
            _ => "outside what legal may accept; reject the clause.",
        };
        // The deviation score is computed from the clause's terms, so the rationale that prints it states them.
        var rationale = new AgentRationale(
            $"The {ClauseName(clause)} clause deviates from the playbook by {score:0.0} points: " + judgement,
            ["clauseType", "liabilityCapMultiple", "paymentTermsDays", "uncappedIndemnity", "autoRenewal", "governingLaw"],
            "The clause is " + judgement);
        var values = new JsonObject { ["verdict"] = verdict };
        if (redline is not null)
        {
            values["redline"] = redline;
        }

        return Task.FromResult(new AgentProposal(values, Probability.Clamp01(confidence), rationale, evidence, risk, value));
    }

    internal static SyntheticCase Generate(SyntheticCaseGenerator g)
    {
        var clause = g.Pick(ClauseTypes);
        var cap = Math.Round(g.Chance(0.15) ? 0 : g.Between(0.5, 4.0), 1);
        var inputs = new JsonObject
        {
            ["counterparty"] = g.Company(),
            ["contractValueEur"] = g.Money(20_000, 3_000_000, 5000),
            ["clauseType"] = clause,
            ["clauseText"] = ClauseText(clause, cap),
            ["liabilityCapMultiple"] = cap,
            ["uncappedIndemnity"] = g.Chance(0.12),
            ["paymentTermsDays"] = g.Pick(PaymentTerms),
            ["governingLaw"] = g.Pick(Laws),
            ["autoRenewal"] = g.Chance(0.4),
        };
        var truthScore = Deviation(inputs) + g.Noise(Sigma);
        var truth = new JsonObject { ["verdict"] = Bands.Label(truthScore), ["latentScore"] = Math.Round(truthScore, 3) };
        var name = ClauseName(clause);
        return new SyntheticCase(UseCase.ContractReview, $"{char.ToUpperInvariant(name[0])}{name[1..]} clause — {inputs["counterparty"]}", inputs, truth);
    }

    private static double Deviation(JsonObject inputs)
    {
        var cap = inputs["liabilityCapMultiple"]!.GetValue<double>();
        var days = inputs["paymentTermsDays"]!.GetValue<int>();
        var capScore = cap == 0 ? 2.2 : cap < 1 ? (1 - cap) * 1.5 : cap > 2 ? (cap - 2) * 0.9 : 0;
        return capScore
            + (days > 60 ? (days - 60) / 30.0 * 0.6 : 0)
            + (inputs["uncappedIndemnity"]!.GetValue<bool>() ? 1.4 : 0)
            + (inputs["autoRenewal"]!.GetValue<bool>() ? 0.3 : 0)
            + (inputs["governingLaw"]!.GetValue<string>() is "New York" or "Singapore" ? 0.4 : 0);
    }

    private static string Redline(string clause) => clause switch
    {
        "LimitationOfLiability" => "Cap each party's aggregate liability at 1.5× the fees paid in the preceding 12 months.",
        "Indemnity" => "Limit indemnity to third-party IP claims, capped at 2× annual fees.",
        "PaymentTerms" => "Payment due within 45 days of a correct invoice.",
        "Termination" => "Either party may terminate for convenience with 90 days' written notice.",
        _ => "Processing only on documented instructions; sub-processors require prior written consent.",
    };

    private static string ClauseText(string clause, double cap) => clause switch
    {
        "LimitationOfLiability" => cap == 0
            ? "Supplier's liability under this Agreement shall be unlimited."
            : $"Each party's total liability shall not exceed {cap.ToString("0.#", CultureInfo.InvariantCulture)} times the annual fees.",
        "Indemnity" => "Customer shall indemnify and hold harmless Supplier against any and all claims arising from use of the Services.",
        "PaymentTerms" => "Invoices are payable within the number of days stated in the order form.",
        "Termination" => "This Agreement renews automatically for successive terms unless terminated 180 days before renewal.",
        _ => "Supplier may engage sub-processors at its discretion and shall notify Customer thereafter.",
    };
}
