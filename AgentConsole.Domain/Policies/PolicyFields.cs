using System.Collections.Frozen;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentConsole.Domain.Agents;
using AgentConsole.Domain.Agents.BuiltIn;
using AgentConsole.Domain.Decisions;

namespace AgentConsole.Domain.Policies;

/// <summary>What kind of value a name in a condition stands for.</summary>
public enum PolicyValueKind
{
    Number,
    Text,
    Boolean,
}

/// <summary>
/// The names a condition may use for one use case: <c>proposal.*</c> (the proposal's fields),
/// <c>inputs.*</c> (the case's fields), <c>confidence</c>, <c>risk</c> (<c>'low'</c> … <c>'critical'</c>),
/// <c>exposure</c> (EUR) and <c>agent</c> (the agent's key). A sample case gives every name a value,
/// so a condition is tried once before it is accepted.
/// </summary>
public sealed class PolicyFields
{
    private static readonly FrozenDictionary<UseCase, PolicyFields> ByUseCase =
        Enum.GetValues<UseCase>().ToFrozenDictionary(u => u, Build);

    private PolicyFields(UseCase useCase, FrozenDictionary<string, PolicyValueKind> names, FrozenDictionary<string, object?> sample)
    {
        UseCase = useCase;
        Names = names;
        Sample = sample;
    }

    public UseCase UseCase { get; }

    /// <summary>Every name a condition may use, with its kind.</summary>
    public FrozenDictionary<string, PolicyValueKind> Names { get; }

    /// <summary>A value for every name, from a generated case.</summary>
    public FrozenDictionary<string, object?> Sample { get; }

    public static PolicyFields For(UseCase useCase) => ByUseCase[useCase];

    /// <summary>The value of a name for one decision, as conditions see it: numbers as double, text as string.</summary>
    public static object? Resolve(string name, in PolicySubject subject) => name switch
    {
        "confidence" => subject.Confidence,
        "risk" => RiskName(subject.Risk),
        "exposure" => (double)subject.ExposureEur,
        "agent" => subject.AgentKey,
        _ when name.StartsWith("proposal.", StringComparison.Ordinal) => ToValue(subject.Proposal[name["proposal.".Length..]]),
        _ when name.StartsWith("inputs.", StringComparison.Ordinal) => ToValue(subject.Inputs[name["inputs.".Length..]]),
        _ => null,
    };

    public static string RiskName(RiskLevel risk) => risk switch
    {
        RiskLevel.Low => "low",
        RiskLevel.Medium => "medium",
        RiskLevel.High => "high",
        _ => "critical",
    };

    public static object? ToValue(JsonNode? node)
    {
        if (node is not JsonValue value)
        {
            return null;
        }

        return value.GetValueKind() switch
        {
            JsonValueKind.Number => value.TryGetValue<double>(out var d) ? d
                : value.TryGetValue<decimal>(out var m) ? (double)m
                : value.TryGetValue<int>(out var i) ? i
                : value.TryGetValue<long>(out var l) ? l
                : double.Parse(value.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture),
            JsonValueKind.String => value.GetValue<string>(),
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => null,
        };
    }

    private static PolicyFields Build(UseCase useCase)
    {
        var names = new Dictionary<string, PolicyValueKind>(StringComparer.Ordinal)
        {
            ["confidence"] = PolicyValueKind.Number,
            ["risk"] = PolicyValueKind.Text,
            ["exposure"] = PolicyValueKind.Number,
            ["agent"] = PolicyValueKind.Text,
        };
        var sample = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["confidence"] = 0.8,
            ["risk"] = "medium",
            ["exposure"] = 100_000.0,
            ["agent"] = "agent",
        };

        foreach (var field in ProposalSchema.For(useCase).Fields)
        {
            var kind = field.Kind == ProposalFieldKind.Number ? PolicyValueKind.Number : PolicyValueKind.Text;
            names["proposal." + field.Name] = kind;
            sample["proposal." + field.Name] = kind == PolicyValueKind.Number ? (double)(field.Min ?? 0) : field.Choices?[0] ?? "";
        }

        var generated = new SyntheticCaseGenerator(new Random(7)).Next(useCase);
        foreach (var (name, node) in generated.Inputs)
        {
            var value = ToValue(node);
            names["inputs." + name] = value switch
            {
                double => PolicyValueKind.Number,
                bool => PolicyValueKind.Boolean,
                _ => PolicyValueKind.Text,
            };
            sample["inputs." + name] = value;
        }

        return new PolicyFields(useCase, names.ToFrozenDictionary(StringComparer.Ordinal), sample.ToFrozenDictionary(StringComparer.Ordinal));
    }
}

/// <summary>One decision as a policy sees it.</summary>
public readonly record struct PolicySubject(
    string AgentKey, double Confidence, RiskLevel Risk, decimal ExposureEur, JsonObject Proposal, JsonObject Inputs);
