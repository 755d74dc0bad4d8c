using System.Text.Json.Nodes;

namespace AgentConsole.Domain.Agents.BuiltIn;

/// <summary>A generated business case: what the agent sees, and the hidden true answer it does not.</summary>
public sealed record SyntheticCase(UseCase UseCase, string Subject, JsonObject Inputs, JsonObject Truth);

/// <summary>
/// Generates synthetic but realistic B2B cases for the four use cases. Each case's true answer
/// comes from the same score the agent sees plus hidden noise, so the agents' confidences are
/// calibrated: of the proposals made at confidence 0.8, about 80 % match the truth.
/// </summary>
public sealed class SyntheticCaseGenerator(Random random)
{
    private static readonly string[] Prefixes = ["Nordwind", "Altura", "Bluepeak", "Castell", "Delta Rho", "Everline", "Fjordia", "Granite", "Helix", "Ironbridge", "Juniper", "Kestrel", "Lumen", "Meridian", "Northgate", "Orchid", "Pioneer", "Quarry", "Riverside", "Solace", "Tidewater", "Umbra", "Vanta", "Westmark"];
    private static readonly string[] Suffixes = ["GmbH", "Ltd", "S.A.", "B.V.", "AB", "Inc.", "S.p.A.", "Oy", "SAS", "AG"];
    private static readonly string[] Industries = ["Logistics", "Components", "Chemicals", "Foods", "Systems", "Textiles", "Metals", "Labs", "Energy", "Packaging"];

    public Random Random { get; } = random;

    public SyntheticCase Next(UseCase useCase) => useCase switch
    {
        UseCase.PartnerOnboarding => PartnerOnboardingAgent.Generate(this),
        UseCase.DynamicPricing => DynamicPricingAgent.Generate(this),
        UseCase.ContractReview => ContractReviewAgent.Generate(this),
        UseCase.InvoicePolicy => InvoicePolicyAgent.Generate(this),
        _ => throw new ArgumentOutOfRangeException(nameof(useCase)),
    };

    public string Company() =>
        $"{Pick(Prefixes)} {Pick(Industries)} {Pick(Suffixes)}";

    public T Pick<T>(IReadOnlyList<T> items) => items[Random.Next(items.Count)];

    public bool Chance(double p) => Random.NextDouble() < p;

    public double Between(double min, double max) => min + (Random.NextDouble() * (max - min));

    public decimal Money(double min, double max, int roundTo) =>
        Math.Round((decimal)Between(min, max) / roundTo) * roundTo;

    public double Noise(double sigma) => Probability.Normal(Random, sigma);
}
