using System.Globalization;
using System.Text.Json.Nodes;
using AgentConsole.Domain.Agents;

namespace AgentConsole.Domain.Tenancy;

/// <summary>What a demo reviewer does with a proposal.</summary>
public enum DemoVerdictKind
{
    Approve,
    Override,
    Reject,
}

/// <summary>A demo reviewer's verdict, with the reason they give.</summary>
/// <param name="Values">For an override: the corrected values as a form sends them, valid for the use case's proposal schema.</param>
public sealed record DemoVerdict(DemoVerdictKind Kind, string Reason, IReadOnlyDictionary<string, string?>? Values = null);

/// <summary>
/// How the demo's reviewers judge a proposal, knowing the case's hidden true answer: they agree when
/// the agent matches it and catch nine in ten of its mistakes. A caught mistake is corrected to the
/// true outcome where one person may change the values, and rejected where the policy asks for
/// several reviewers (four-eyes) or no valid correction exists. A case without a hidden answer (one
/// sent by another system) is approved. The demo history and the demo colleagues judge alike.
/// </summary>
public static class DemoReviewer
{
    private const double NoticeMistakes = 0.9;

    public static DemoVerdict Judge(UseCase useCase, JsonObject proposal, JsonObject truth, int reviewersRequired, Random random)
    {
        var schema = ProposalSchema.For(useCase);
        if (truth[schema.OutcomeField] is null)
        {
            return new DemoVerdict(DemoVerdictKind.Approve, "Nothing in the case contradicts the proposal.");
        }

        var agentRight = schema.SameOutcome(proposal, truth);
        var noticed = random.NextDouble() < NoticeMistakes;
        if (agentRight || !noticed)
        {
            return new DemoVerdict(DemoVerdictKind.Approve, agentRight ? "Matches the evidence." : "Looks plausible.");
        }

        var rejected = new DemoVerdict(DemoVerdictKind.Reject, "The proposal does not hold up.");
        if (reviewersRequired > 1)
        {
            return rejected;
        }

        return Correction(schema, proposal, truth) is { } values
            ? new DemoVerdict(DemoVerdictKind.Override, "The evidence points to a different outcome.", values)
            : rejected;
    }

    /// <summary>
    /// The proposal corrected to the true answer as a reviewer would type it — numbers in steps of 0.5, and
    /// the words a new outcome needs (a redline, a hold reason) — if that is valid and differs from the proposal.
    /// </summary>
    internal static Dictionary<string, string?>? Correction(ProposalSchema schema, JsonObject proposal, JsonObject truth)
    {
        var raw = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var field in schema.Fields)
        {
            raw[field.Name] = (truth[field.Name] ?? proposal[field.Name]) switch
            {
                null => null,
                JsonValue number when field.Kind == ProposalFieldKind.Number =>
                    (Math.Round(number.GetValue<decimal>() * 2, MidpointRounding.AwayFromZero) / 2).ToString(CultureInfo.InvariantCulture),
                var value => ProposalSchema.FormatValue(value),
            };
        }

        var was = proposal[schema.OutcomeField] is { } outcome ? ProposalSchema.FormatValue(outcome) : "nothing";
        foreach (var missing in schema.TryParse(raw, out _).Keys)
        {
            if (schema.Fields.FirstOrDefault(f => f.Name == missing) is { Kind: ProposalFieldKind.Text })
            {
                raw[missing] = $"The evidence calls for {raw[schema.OutcomeField]} rather than {was}.";
            }
        }

        return schema.TryParse(raw, out var values).Count == 0 && !JsonNode.DeepEquals(values, proposal) ? raw : null;
    }
}
