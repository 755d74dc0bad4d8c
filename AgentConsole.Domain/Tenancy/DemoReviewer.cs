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
/// several reviewers (four-eyes) or no valid correction exists. The demo history and the demo
/// colleagues judge alike.
/// </summary>
public static class DemoReviewer
{
    private const double NoticeMistakes = 0.9;

    public static DemoVerdict Judge(UseCase useCase, JsonObject proposal, JsonObject truth, int reviewersRequired, Random random)
    {
        var schema = ProposalSchema.For(useCase);
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

    /// <summary>The proposal corrected to the true answer, if that gives valid values that differ from it.</summary>
    private static IReadOnlyDictionary<string, string?>? Correction(ProposalSchema schema, JsonObject proposal, JsonObject truth)
    {
        var corrected = new JsonObject();
        foreach (var field in schema.Fields)
        {
            corrected[field.Name] = (truth[field.Name] ?? proposal[field.Name])?.DeepClone();
        }

        var raw = ProposalSchema.ToStrings(corrected);
        return schema.TryParse(raw, out var values).Count == 0 && !JsonNode.DeepEquals(values, proposal) ? raw : null;
    }
}
