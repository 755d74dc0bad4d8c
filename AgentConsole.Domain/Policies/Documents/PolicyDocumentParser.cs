using System.Globalization;
using System.Text.Json.Nodes;
using AgentConsole.Domain.Agents;
using YamlDotNet.Core;

namespace AgentConsole.Domain.Policies;

/// <summary>A queue a policy may route to, as validation needs it.</summary>
/// <param name="Roles">The roles that may act in the queue; null when not known (a document checked on its own).</param>
public sealed record PolicyQueue(string Key, int Tier, bool CanEscalate, IReadOnlyList<string>? Roles = null);

/// <summary>What a document is checked against besides the schema: the scope's agents and queues.</summary>
/// <param name="AgentKey">Set when the policy governs one agent.</param>
/// <param name="PublishedTracks">The keys of the use case's published training tracks (calibration's source); null when not known.</param>
public sealed record PolicyContext(UseCase UseCase, string? AgentKey, IReadOnlyList<string> AgentKeys, IReadOnlyList<PolicyQueue> Queues, IReadOnlyList<string>? PublishedTracks = null);

/// <summary>The outcome of reading a document: the compiled policy, or the problems with line and column.</summary>
public sealed record PolicyParseResult(CompiledPolicy? Policy, IReadOnlyList<PolicyProblem> Problems)
{
    public bool IsValid => Policy is not null;
}

/// <summary>
/// Reads a YAML policy document: YAML syntax, then the JSON schema shipped with the product
/// (<c>policy.schema.json</c>, usable by editors too), then what a schema cannot say: conditions
/// compile in the sandbox, fields exist, tiers and queues exist, SLA steps come in order.
/// Every problem names its line and column.
/// </summary>
public static class PolicyDocumentParser
{
    public const int MaxDocumentLength = 64 * 1024;
    private const int MaxProblems = 50;

    /// <summary>The schema text, served to editors.</summary>
    public static string SchemaText => PolicySchemaCheck.SchemaText;

    public static PolicyParseResult Parse(string yaml, PolicyContext context)
    {
        try
        {
            return ParseDocument(yaml, context);
        }
        catch (Exception ex) when (ex is not (OutOfMemoryException or OperationCanceledException))
        {
            // Whatever the text, the author gets a message, never a crash.
            return Fail(new PolicyProblem(1, 1, "", $"The document could not be read: {ex.Message.TrimEnd('.')}."));
        }
    }

    private static PolicyParseResult ParseDocument(string yaml, PolicyContext context)
    {
        var problems = new List<PolicyProblem>();
        if (yaml.Length > MaxDocumentLength)
        {
            return Fail(new PolicyProblem(1, 1, "", $"The document is {yaml.Length:#,0} characters long; at most {MaxDocumentLength:#,0} are allowed."));
        }

        if (PolicyYaml.TooDeep(yaml) is { } deep)
        {
            return Fail(deep);
        }

        var marks = new PolicyYaml.Marks();
        JsonNode? json;
        try
        {
            json = PolicyYaml.Read(yaml, marks, problems);
        }
        catch (YamlException ex)
        {
            return Fail(new PolicyProblem((int)ex.Start.Line, (int)ex.Start.Column, "", PolicyYaml.Message(ex)));
        }

        if (problems.Count > 0)
        {
            return new PolicyParseResult(null, problems);
        }

        if (json is not JsonObject root)
        {
            return Fail(new PolicyProblem(1, 1, "", "A policy document is a mapping of sections (autoApprove, riskRules, …); this one is empty or a single value."));
        }

        PolicySchemaCheck.Check(root, marks, problems);
        var reader = new PolicyDocumentReader(yaml, root, marks, context, problems);
        if (problems.Count > 0)
        {
            // The conditions are checked too, so the author sees every problem at once.
            reader.CheckConditions();
            return new PolicyParseResult(null, Sorted(problems));
        }

        var policy = reader.Read();
        return problems.Count > 0 ? new PolicyParseResult(null, Sorted(problems)) : new PolicyParseResult(policy, []);
    }

    private static PolicyParseResult Fail(PolicyProblem problem) => new(null, [problem]);

    private static List<PolicyProblem> Sorted(List<PolicyProblem> problems) =>
        [.. problems.DistinctBy(p => (p.Line, p.Column, p.Message)).OrderBy(p => p.Line).ThenBy(p => p.Column).Take(MaxProblems)];

    /// <summary>A pointer as people say it: <c>/riskRules/0/tier</c> → "riskRules[1].tier".</summary>
    internal static string Describe(string pointer)
    {
        if (pointer.Length == 0)
        {
            return "the document";
        }

        var text = new System.Text.StringBuilder();
        foreach (var segment in pointer.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            var name = segment.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
            if (int.TryParse(name, CultureInfo.InvariantCulture, out var index))
            {
                text.Append(CultureInfo.InvariantCulture, $"[{index + 1}]");
            }
            else
            {
                text.Append(text.Length == 0 ? "" : ".").Append(name);
            }
        }

        return text.ToString();
    }
}
