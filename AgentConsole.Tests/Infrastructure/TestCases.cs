using System.Text.Json.Nodes;

namespace AgentConsole.Tests.Infrastructure;

/// <summary>Hand-made cases whose routing is known in advance.</summary>
public static class TestCases
{
    /// <summary>
    /// A small SMB pricing case with no comparable deals: low confidence, low risk, so it is
    /// routed to the first-tier pricing queue.
    /// </summary>
    public static (string Subject, JsonObject Inputs, JsonObject Truth) UncertainPricing(string customer = "Test Customer GmbH") =>
        ($"Discount for {customer}", new JsonObject
        {
            ["customer"] = customer,
            ["segment"] = "SMB",
            ["product"] = "spare parts",
            ["quoteValueEur"] = 20_000m,
            ["competitorGapPercent"] = 5.0,
            ["comparableDeals"] = 0,
            ["customerTenureYears"] = 2,
            ["marginFloorPercent"] = 25.0,
        }, new JsonObject { ["discountPercent"] = 4.5m });

    /// <summary>A pricing case with plenty of history and no competition: confident and low risk, so auto-approved.</summary>
    public static (string Subject, JsonObject Inputs, JsonObject Truth) ConfidentPricing() =>
        ("Discount for Confident Buyer AB", new JsonObject
        {
            ["customer"] = "Confident Buyer AB",
            ["segment"] = "SMB",
            ["product"] = "packaging film",
            ["quoteValueEur"] = 10_000m,
            ["competitorGapPercent"] = 0.0,
            ["comparableDeals"] = 39,
            ["customerTenureYears"] = 0,
            ["marginFloorPercent"] = 25.0,
        }, new JsonObject { ["discountPercent"] = 0m });
}
