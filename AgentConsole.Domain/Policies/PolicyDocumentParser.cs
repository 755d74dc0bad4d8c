using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using AgentConsole.Domain.Agents;
using AgentConsole.Domain.Decisions;
using Json.Schema;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace AgentConsole.Domain.Policies;

/// <summary>A queue a policy may route to, as validation needs it.</summary>
/// <param name="Roles">The roles that may act in the queue; null when not known (a document checked on its own).</param>
public sealed record PolicyQueue(string Key, int Tier, bool CanEscalate, IReadOnlyList<string>? Roles = null);

/// <summary>What a document is checked against besides the schema: the scope's agents and queues.</summary>
/// <param name="AgentKey">Set when the policy governs one agent.</param>
public sealed record PolicyContext(UseCase UseCase, string? AgentKey, IReadOnlyList<string> AgentKeys, IReadOnlyList<PolicyQueue> Queues);

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
public static partial class PolicyDocumentParser
{
    public const int MaxDocumentLength = 64 * 1024;
    private const int MaxProblems = 50;

    private static readonly Lazy<(JsonSchema Schema, JsonNode Raw)> Schema = new(LoadSchema);

    /// <summary>The schema text, served to editors.</summary>
    public static string SchemaText => Schema.Value.Raw.ToJsonString(new JsonSerializerOptions { WriteIndented = true });

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

        if (TooDeep(yaml) is { } deep)
        {
            return Fail(deep);
        }

        var marks = new Marks();
        JsonNode? json;
        try
        {
            json = ReadYaml(yaml, marks, problems);
        }
        catch (YamlException ex)
        {
            return Fail(new PolicyProblem((int)ex.Start.Line, (int)ex.Start.Column, "", YamlMessage(ex)));
        }

        if (problems.Count > 0)
        {
            return new PolicyParseResult(null, problems);
        }

        if (json is not JsonObject root)
        {
            return Fail(new PolicyProblem(1, 1, "", "A policy document is a mapping of sections (autoApprove, riskRules, …); this one is empty or a single value."));
        }

        CheckSchema(root, marks, problems);
        var reader = new Reader(yaml, root, marks, context, problems);
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

    /// <summary>Flow collections nested deeper than a policy ever needs are refused before parsing (the YAML reader recurses).</summary>
    private static PolicyProblem? TooDeep(string yaml)
    {
        const int MaxDepth = 24;
        var depth = 0;
        var line = 1;
        var column = 0;
        char? quote = null;
        var comment = false;
        foreach (var c in yaml)
        {
            column++;
            if (c == '\n')
            {
                line++;
                column = 0;
                comment = false;
                quote = null;
                continue;
            }

            if (comment)
            {
                continue;
            }

            if (quote is not null)
            {
                quote = c == quote ? null : quote;
                continue;
            }

            switch (c)
            {
                case '#':
                    comment = true;
                    break;
                case '\'' or '"':
                    quote = c;
                    break;
                case '[' or '{':
                    if (++depth > MaxDepth)
                    {
                        return new PolicyProblem(line, column, "", $"Lists and mappings are nested more than {MaxDepth} levels deep here; a policy never needs that.");
                    }

                    break;
                case ']' or '}':
                    depth = Math.Max(0, depth - 1);
                    break;
            }
        }

        return null;
    }

    private static List<PolicyProblem> Sorted(List<PolicyProblem> problems) =>
        [.. problems.DistinctBy(p => (p.Line, p.Column, p.Message)).OrderBy(p => p.Line).ThenBy(p => p.Column).Take(MaxProblems)];

    private static string YamlMessage(YamlException ex)
    {
        var message = ex.InnerException?.Message ?? ex.Message;
        if (message.StartsWith("Duplicate key", StringComparison.Ordinal))
        {
            return $"'{message["Duplicate key".Length..].Trim()}' appears twice here; keep one.";
        }

        var match = YamlPosition().Match(message);
        return "The YAML is not well formed: " + (match.Success ? message[(match.Index + match.Length)..].Trim() : message).TrimEnd('.') + ".";
    }

    [GeneratedRegex(@"^\(Line: \d+, Col: \d+, Idx: \d+\) - \(Line: \d+, Col: \d+, Idx: \d+\):")]
    private static partial Regex YamlPosition();

    // ---- YAML to JSON, keeping where each value sits ------------------------------------------

    /// <summary>Where each value (and each mapping key) of the document starts, by JSON pointer.</summary>
    private sealed class Marks
    {
        public Dictionary<string, YamlNode> Values { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, YamlNode> Keys { get; } = new(StringComparer.Ordinal);

        public (int Line, int Column) Of(string pointer, bool key = false)
        {
            if (key && Keys.TryGetValue(pointer, out var k))
            {
                return ((int)k.Start.Line, (int)k.Start.Column);
            }

            while (true)
            {
                if (Values.TryGetValue(pointer, out var node))
                {
                    return ((int)node.Start.Line, (int)node.Start.Column);
                }

                if (pointer.Length == 0)
                {
                    return (1, 1);
                }

                pointer = pointer[..pointer.LastIndexOf('/')];
            }
        }
    }

    private static JsonNode? ReadYaml(string yaml, Marks marks, List<PolicyProblem> problems)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        if (stream.Documents.Count == 0)
        {
            return null;
        }

        if (stream.Documents.Count > 1)
        {
            var second = stream.Documents[1].RootNode;
            problems.Add(new PolicyProblem((int)second.Start.Line, (int)second.Start.Column, "", "A policy is one YAML document; remove the second '---'."));
            return null;
        }

        return Convert(stream.Documents[0].RootNode, "", marks, problems);
    }

    private static JsonNode? Convert(YamlNode node, string pointer, Marks marks, List<PolicyProblem> problems, int depth = 0)
    {
        marks.Values[pointer] = node;
        if (depth > 24)
        {
            problems.Add(new PolicyProblem((int)node.Start.Line, (int)node.Start.Column, pointer, "The document nests more than 24 levels deep here; a policy never needs that."));
            return null;
        }

        if (!node.Anchor.IsEmpty)
        {
            problems.Add(new PolicyProblem((int)node.Start.Line, (int)node.Start.Column, pointer, "Anchors and aliases (& and *) are not allowed in a policy; write each value out."));
            return null;
        }

        switch (node)
        {
            case YamlMappingNode mapping:
                var obj = new JsonObject();
                foreach (var (keyNode, valueNode) in mapping.Children)
                {
                    if (keyNode is not YamlScalarNode { Value: { } key })
                    {
                        problems.Add(new PolicyProblem((int)keyNode.Start.Line, (int)keyNode.Start.Column, pointer, "Keys must be plain names."));
                        continue;
                    }

                    var child = pointer + "/" + key.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);
                    marks.Keys[child] = keyNode;
                    if (obj.ContainsKey(key))
                    {
                        problems.Add(new PolicyProblem((int)keyNode.Start.Line, (int)keyNode.Start.Column, child, $"'{key}' appears twice here; keep one."));
                        continue;
                    }

                    obj[key] = Convert(valueNode, child, marks, problems, depth + 1);
                }

                return obj;
            case YamlSequenceNode sequence:
                var array = new JsonArray();
                var i = 0;
                foreach (var item in sequence.Children)
                {
                    array.Add(Convert(item, $"{pointer}/{i++}", marks, problems, depth + 1));
                }

                return array;
            case YamlScalarNode scalar:
                return Scalar(scalar);
            default:
                return null;
        }
    }

    /// <summary>YAML 1.2 core schema: unquoted true/false, null, integers and floats are typed; everything else is text.</summary>
    private static JsonValue? Scalar(YamlScalarNode scalar)
    {
        var text = scalar.Value ?? "";
        if (scalar.Style != ScalarStyle.Plain)
        {
            return JsonValue.Create(text);
        }

        return text switch
        {
            "" or "~" or "null" or "Null" or "NULL" => null,
            "true" or "True" or "TRUE" => JsonValue.Create(true),
            "false" or "False" or "FALSE" => JsonValue.Create(false),
            _ when IntegerPattern().IsMatch(text) && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l) => JsonValue.Create(l),
            _ when FloatPattern().IsMatch(text) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d) => JsonValue.Create(d),
            _ => JsonValue.Create(text),
        };
    }

    [GeneratedRegex(@"^[-+]?[0-9]+$")]
    private static partial Regex IntegerPattern();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex FloatPattern();

    // ---- Schema -------------------------------------------------------------------------------

    private static (JsonSchema, JsonNode) LoadSchema()
    {
        using var stream = typeof(PolicyDocumentParser).Assembly.GetManifestResourceStream("AgentConsole.Policies.policy.schema.json")
            ?? throw new InvalidOperationException("The policy schema resource is missing from the build.");
        using var reader = new StreamReader(stream);
        var text = reader.ReadToEnd();
        return (JsonSchema.FromText(text), JsonNode.Parse(text)!);
    }

    private static void CheckSchema(JsonObject root, Marks marks, List<PolicyProblem> problems)
    {
        var (schema, raw) = Schema.Value;
        using var document = JsonDocument.Parse(root.ToJsonString());
        var results = schema.Evaluate(document.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        if (results.IsValid)
        {
            return;
        }

        foreach (var detail in results.Details ?? [])
        {
            if (detail.Errors is null || detail.Errors.Count == 0)
            {
                continue;
            }

            var pointer = detail.InstanceLocation.ToString();
            var isUnknownKey = detail.EvaluationPath.ToString().EndsWith("/additionalProperties", StringComparison.Ordinal);
            foreach (var (keyword, libraryMessage) in detail.Errors)
            {
                var message = Translate(keyword, libraryMessage, pointer, raw, root, isUnknownKey);
                var (line, column) = marks.Of(pointer, key: isUnknownKey);
                problems.Add(new PolicyProblem(line, column, pointer, message));
            }
        }
    }

    /// <summary>The schema that governs the value at an instance pointer, following properties, items and $refs.</summary>
    private static JsonObject? SchemaAt(JsonNode raw, string pointer)
    {
        var node = Deref(raw, raw as JsonObject);
        foreach (var segment in pointer.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            var name = segment.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
            node = node?["properties"]?[name] is JsonObject property ? Deref(raw, property)
                : node?["items"] is JsonObject items && int.TryParse(name, CultureInfo.InvariantCulture, out _) ? Deref(raw, items)
                : node?["additionalProperties"] is JsonObject additional ? Deref(raw, additional)
                : null;
        }

        return node;
    }

    private static JsonObject? Deref(JsonNode raw, JsonObject? node)
    {
        while (node?["$ref"] is JsonValue reference && reference.GetValue<string>() is { } target && target.StartsWith("#/", StringComparison.Ordinal))
        {
            node = Navigate(raw, target[1..]) as JsonObject;
        }

        return node;
    }

    private static JsonNode? Navigate(JsonNode root, string pointer)
    {
        JsonNode? node = root;
        foreach (var segment in pointer.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            var name = Uri.UnescapeDataString(segment).Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
            node = node switch
            {
                JsonObject o => o[name],
                JsonArray a when int.TryParse(name, CultureInfo.InvariantCulture, out var i) && i < a.Count => a[i],
                _ => null,
            };
        }

        return node;
    }

    private static string Translate(string keyword, string libraryMessage, string pointer, JsonNode raw, JsonObject root, bool isUnknownKey)
    {
        var where = Capitalise(Describe(pointer));
        var name = pointer.Length == 0 ? "" : pointer[(pointer.LastIndexOf('/') + 1)..];
        if (isUnknownKey)
        {
            var parentPointer = pointer[..pointer.LastIndexOf('/')];
            var known = (SchemaAt(raw, parentPointer)?["properties"] as JsonObject)?.Select(p => p.Key).ToList() ?? [];
            var parentWhere = Describe(parentPointer);
            return known.Count == 0
                ? $"'{name}' is not allowed in {parentWhere}."
                : $"'{name}' is not a setting of {parentWhere}. Expected one of: {string.Join(", ", known)}.";
        }

        var schema = SchemaAt(raw, pointer);
        var value = schema?[keyword];
        switch (keyword)
        {
            case "required":
                var instance = Navigate(root, pointer) as JsonObject;
                var missing = (value as JsonArray ?? []).Select(n => n!.GetValue<string>()).Where(r => instance?.ContainsKey(r) != true).ToList();
                return $"{where} needs {string.Join(", ", missing.Select(m => $"'{m}'"))}.";
            case "enum":
                return $"{where} must be one of: {string.Join(", ", (value as JsonArray ?? []).Select(n => n!.ToString()))}.";
            case "type":
                return $"{where} must be {TypeName(value?.ToString())}.";
            case "minimum":
                return $"{where} must be at least {value}.";
            case "maximum":
                return $"{where} must be at most {value}.";
            case "maxLength":
                return $"{where} must be at most {value} characters long.";
            case "minLength":
                return $"{where} must not be empty.";
            case "maxItems":
                return $"{where} may have at most {value} entries.";
            case "minItems":
                return $"{where} needs at least {value} entry.";
            case "minProperties":
                return $"{where} needs at least one setting.";
            case "uniqueItems":
                return $"{where} lists the same value twice.";
            case "pattern":
                return $"{where} {PatternHint(value?.ToString())}";
            default:
                return $"{where}: {libraryMessage}";
        }
    }

    private static string PatternHint(string? pattern) => pattern switch
    {
        { } p when p.Contains("(m|h|d)", StringComparison.Ordinal) => "must be a duration such as 30m, 4h or 2d.",
        { } p when p.Contains("confidence", StringComparison.Ordinal) => "must name a field as proposal.<field>, inputs.<field>, confidence or exposure.",
        { } p when p.StartsWith("^inputs", StringComparison.Ordinal) => "must name a case field as inputs.<field>.",
        _ => "must be a lowercase id of letters, digits and dashes, e.g. large-discount.",
    };

    private static string TypeName(string? type) => type switch
    {
        "object" => "a mapping of settings",
        "array" => "a list (entries start with '- ')",
        "number" => "a number",
        "integer" => "a whole number",
        "string" => "text",
        "boolean" => "true or false",
        _ => type ?? "something else",
    };

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

    private static string Capitalise(string text) => text.StartsWith("the ", StringComparison.Ordinal) ? "The " + text[4..] : text;

    // ---- Meaning -------------------------------------------------------------------------------

    /// <summary>Builds the policy from a schema-valid document and checks what the schema cannot.</summary>
    private sealed class Reader(string yaml, JsonObject root, Marks marks, PolicyContext context, List<PolicyProblem> problems)
    {
        private readonly PolicyFields _fields = PolicyFields.For(context.UseCase);
        private readonly HashSet<string> _ids = new(StringComparer.Ordinal);

        public CompiledPolicy? Read()
        {
            var autoApprove = ReadAutoApprove(root["autoApprove"]!.AsObject());
            var limits = ReadLimits(root["authorityLimits"] as JsonArray);
            var rules = ReadRules(root["riskRules"] as JsonArray);
            var requirements = ReadRequirements(root["reviewRequirements"]!.AsObject());
            var sla = ReadSla(root["slaLadder"] as JsonObject);
            var masking = ReadMasking(root["masking"] as JsonArray);
            if (problems.Count > 0)
            {
                return null;
            }

            var document = new PolicyDocument(autoApprove, [.. rules.Select(r => r.Rule)], [.. limits.Select(l => l.Limit)], requirements, sla, masking);
            return new CompiledPolicy(document, limits, rules);
        }

        /// <summary>Compiles every condition written as text, whatever else is wrong with the document.</summary>
        public void CheckConditions()
        {
            foreach (var section in new[] { "riskRules", "authorityLimits" })
            {
                if (root[section] is not JsonArray items)
                {
                    continue;
                }

                for (var i = 0; i < items.Count; i++)
                {
                    if (items[i] is JsonObject item && item["when"] is JsonValue when && when.GetValueKind() == JsonValueKind.String)
                    {
                        Compile(when.GetValue<string>(), $"/{section}/{i}/when", fromAuthor: true);
                    }
                }
            }
        }

        private AutoApproveSettings ReadAutoApprove(JsonObject node)
        {
            var min = Number(node["minConfidence"]);
            var maxRisk = node["maxRisk"] is { } r ? Risk(r.GetValue<string>()) : RiskLevel.Low;
            var agents = new Dictionary<string, double>(StringComparer.Ordinal);
            foreach (var (key, value) in node["agents"] as JsonObject ?? [])
            {
                var pointer = "/autoApprove/agents/" + key;
                if (context.AgentKey is not null)
                {
                    Problem(pointer, $"This policy governs the agent '{context.AgentKey}' alone; set its threshold with autoApprove.minConfidence.", key: true);
                }
                else if (!context.AgentKeys.Contains(key, StringComparer.Ordinal))
                {
                    Problem(pointer, $"No {context.UseCase.Label().ToLowerInvariant()} agent has the key '{key}'. Agents: {Join(context.AgentKeys)}.", key: true);
                }

                agents[key] = Number(value);
            }

            return new AutoApproveSettings(min, maxRisk, agents);
        }

        private List<(AuthorityLimit Limit, PolicyCondition Condition)> ReadLimits(JsonArray? items)
        {
            var result = new List<(AuthorityLimit, PolicyCondition)>();
            for (var i = 0; i < (items?.Count ?? 0); i++)
            {
                var item = items![i]!.AsObject();
                var pointer = $"/authorityLimits/{i}";
                var id = UniqueId(item, pointer);
                var description = item["description"]?.GetValue<string>();
                var field = item["field"]?.GetValue<string>();
                var min = NumberOrNull(item["min"]);
                var max = NumberOrNull(item["max"]);
                var when = item["when"]?.GetValue<string>();
                string breach;
                if (when is not null)
                {
                    if (field is not null || min is not null || max is not null)
                    {
                        Problem(pointer, $"Authority limit '{id}' has both a condition (when) and a field limit; write one or the other.");
                        continue;
                    }

                    breach = when;
                }
                else if (field is null || (min is null && max is null))
                {
                    Problem(pointer, $"Authority limit '{id}' needs either 'when' (the breach) or 'field' with 'min' and/or 'max'.");
                    continue;
                }
                else if (!_fields.Names.TryGetValue(field, out var kind) || kind != PolicyValueKind.Number)
                {
                    Problem(pointer + "/field", _fields.Names.ContainsKey(field)
                        ? $"'{field}' is not a number, so it cannot have a minimum or maximum."
                        : $"'{field}' is not a field of a {context.UseCase.Label().ToLowerInvariant()} decision.");
                    continue;
                }
                else if (min > max)
                {
                    Problem(pointer + "/min", $"The minimum ({min}) is above the maximum ({max}).");
                    continue;
                }
                else
                {
                    var parts = new List<string>();
                    if (min is not null)
                    {
                        parts.Add($"{field} < {min.Value.ToString(CultureInfo.InvariantCulture)}");
                    }

                    if (max is not null)
                    {
                        parts.Add($"{field} > {max.Value.ToString(CultureInfo.InvariantCulture)}");
                    }

                    breach = string.Join(" or ", parts);
                    description ??= $"{field} must stay within {(min is null ? "" : $"≥ {min} ")}{(min is not null && max is not null ? "and " : "")}{(max is null ? "" : $"≤ {max}")}".TrimEnd();
                }

                if (Compile(breach, when is null ? pointer + "/field" : pointer + "/when", when is not null) is { } condition)
                {
                    result.Add((new AuthorityLimit(id, description, breach), condition));
                }
            }

            return result;
        }

        private List<(RiskRule Rule, PolicyCondition Condition)> ReadRules(JsonArray? items)
        {
            var result = new List<(RiskRule, PolicyCondition)>();
            var tiers = context.Queues.Select(q => q.Tier).ToHashSet();
            for (var i = 0; i < (items?.Count ?? 0); i++)
            {
                var item = items![i]!.AsObject();
                var pointer = $"/riskRules/{i}";
                var id = UniqueId(item, pointer);
                var then = item["then"]!.GetValue<string>() == "block" ? RiskRuleAction.Block : RiskRuleAction.Review;
                var tier = IntOrNull(item["tier"]);
                var raise = item["raiseRiskTo"] is { } r ? Risk(r.GetValue<string>()) : (RiskLevel?)null;
                if (then == RiskRuleAction.Block && (tier is not null || raise is not null))
                {
                    Problem(pointer + (tier is not null ? "/tier" : "/raiseRiskTo"), $"Rule '{id}' blocks the action, so it has no review tier or risk level; remove '{(tier is not null ? "tier" : "raiseRiskTo")}' or use 'then: review'.", key: true);
                }

                if (tier is { } t && !tiers.Contains(t))
                {
                    Problem(pointer + "/tier", $"No {context.UseCase.Label().ToLowerInvariant()} queue has tier {t}. Tiers: {Join(tiers.Order().Select(x => x.ToString(CultureInfo.InvariantCulture)))}.");
                }

                var when = item["when"]!.GetValue<string>();
                if (Compile(when, pointer + "/when", fromAuthor: true) is { } condition)
                {
                    result.Add((new RiskRule(id, item["description"]?.GetValue<string>(), when, then, tier, raise), condition));
                }
            }

            return result;
        }

        private Dictionary<RiskLevel, ReviewRequirement> ReadRequirements(JsonObject node)
        {
            var tiers = context.Queues.Select(q => q.Tier).ToHashSet();
            var result = new Dictionary<RiskLevel, ReviewRequirement>();
            foreach (var level in Enum.GetValues<RiskLevel>())
            {
                var name = PolicyFields.RiskName(level);
                var item = node[name]!.AsObject();
                var tier = Int(item["tier"]);
                if (!tiers.Contains(tier))
                {
                    Problem($"/reviewRequirements/{name}/tier", $"No {context.UseCase.Label().ToLowerInvariant()} queue has tier {tier}. Tiers: {Join(tiers.Order().Select(x => x.ToString(CultureInfo.InvariantCulture)))}.");
                }

                var role = item["role"]!.GetValue<string>();
                if (!Tenancy.Permissions.Allows(Tenancy.Permissions.ActOnDecisions, [role]))
                {
                    Problem($"/reviewRequirements/{name}/role", $"A {Tenancy.Roles.Label(role).ToLowerInvariant()} does not decide reviewed decisions; use Operator or SeniorOperator.");
                }
                else if (context.Queues.FirstOrDefault(q => q.Tier >= tier) is { Roles: { } allowed } queue
                    && !allowed.Any(r => r == role || (role == Tenancy.Roles.Operator && r == Tenancy.Roles.SeniorOperator)))
                {
                    Problem($"/reviewRequirements/{name}/role", $"Queue '{queue.Key}' (tier {queue.Tier}) admits only {string.Join(" and ", allowed.Select(Tenancy.Roles.Label))}, so no {Tenancy.Roles.Label(role).ToLowerInvariant()} could decide these decisions there.");
                }

                result[level] = new ReviewRequirement(tier, role, IntOrNull(item["reviewers"]) ?? 1, item["certification"]?.GetValue<string>());
            }

            return result;
        }

        private Dictionary<string, SlaLadder> ReadSla(JsonObject? node)
        {
            var result = new Dictionary<string, SlaLadder>(StringComparer.Ordinal);
            foreach (var (queueKey, value) in node ?? [])
            {
                var pointer = "/slaLadder/" + queueKey;
                var queue = context.Queues.FirstOrDefault(q => q.Key == queueKey);
                if (queue is null)
                {
                    Problem(pointer, $"No {context.UseCase.Label().ToLowerInvariant()} queue has the key '{queueKey}'. Queues: {Join(context.Queues.Select(q => q.Key))}.", key: true);
                    continue;
                }

                var steps = value!.AsObject();
                TimeSpan? Step(string name) => steps[name] is { } s ? Duration(s.GetValue<string>()) : null;
                var ladder = new SlaLadder(Step("warnAfter"), Step("reassignAfter"), Step("escalateAfter"), Step("autoDecideAfter"), steps["autoDecision"]?.GetValue<string>());
                var ordered = new (string Name, TimeSpan? After)[] { ("warnAfter", ladder.WarnAfter), ("reassignAfter", ladder.ReassignAfter), ("escalateAfter", ladder.EscalateAfter), ("autoDecideAfter", ladder.AutoDecideAfter) }
                    .Where(s => s.After is not null).ToList();
                for (var i = 1; i < ordered.Count; i++)
                {
                    if (ordered[i].After <= ordered[i - 1].After)
                    {
                        Problem($"{pointer}/{ordered[i].Name}", $"{ordered[i].Name} must come after {ordered[i - 1].Name}; the ladder's steps are warn, reassign, escalate, auto-decide, each later than the one before.");
                    }
                }

                if (ladder.EscalateAfter is not null && !queue.CanEscalate)
                {
                    Problem(pointer + "/escalateAfter", $"Queue '{queueKey}' is the top tier; there is no queue to escalate to.", key: true);
                }

                if ((ladder.AutoDecideAfter is null) != (ladder.AutoDecision is null))
                {
                    Problem(pointer, ladder.AutoDecideAfter is null
                        ? "autoDecision needs autoDecideAfter: when should the decision be taken?"
                        : "autoDecideAfter needs autoDecision: approve or reject.", key: true);
                }

                result[queueKey] = ladder;
            }

            return result;
        }

        private List<MaskingRule> ReadMasking(JsonArray? items)
        {
            var result = new List<MaskingRule>();
            for (var i = 0; i < (items?.Count ?? 0); i++)
            {
                var item = items![i]!.AsObject();
                var field = item["field"]!.GetValue<string>();
                if (!_fields.Names.ContainsKey(field))
                {
                    Problem($"/masking/{i}/field", $"'{field}' is not a field of a {context.UseCase.Label().ToLowerInvariant()} decision.");
                    continue;
                }

                var roles = item["roles"]!.AsArray().Select(r => r!.GetValue<string>()).ToList();
                result.Add(new MaskingRule(field, roles, item["show"]?.GetValue<string>() == "last4" ? MaskStyle.Last4 : MaskStyle.Nothing));
            }

            return result;
        }

        private string UniqueId(JsonObject item, string pointer)
        {
            var id = item["id"]!.GetValue<string>();
            if (!_ids.Add(id))
            {
                Problem(pointer + "/id", $"Another rule or limit already has the id '{id}'; ids must be unique in a policy.");
            }

            return id;
        }

        private PolicyCondition? Compile(string text, string pointer, bool fromAuthor)
        {
            var condition = PolicyCondition.TryCompile(text, _fields, out var problem);
            if (problem is null)
            {
                return condition;
            }

            var (line, column) = fromAuthor ? Position(pointer, problem.Line, problem.Column) : marks.Of(pointer);
            problems.Add(new PolicyProblem(line, column, pointer, $"{Describe(pointer)}: {problem.Message}"));
            return null;
        }

        /// <summary>Where a position inside a condition's text sits in the document.</summary>
        private (int Line, int Column) Position(string pointer, int line, int column)
        {
            if (!marks.Values.TryGetValue(pointer, out var node) || node is not YamlScalarNode scalar)
            {
                return marks.Of(pointer);
            }

            var startLine = (int)scalar.Start.Line;
            var startColumn = (int)scalar.Start.Column;
            var multiLine = scalar.End.Line != scalar.Start.Line;
            switch (scalar.Style)
            {
                case ScalarStyle.Literal:
                    // The text keeps its lines; each sits at the block's indentation (that of its first line).
                    var lines = yaml.Split('\n');
                    var first = Math.Clamp(startLine, 0, lines.Length - 1);
                    var indent = lines[first].Length - lines[first].TrimStart().Length;
                    return (Math.Min(startLine + line, lines.Length), indent + column);
                case ScalarStyle.Folded:
                    // YAML folded the lines into one; the position inside cannot be mapped back exactly.
                    return (startLine, startColumn);
                case ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted:
                    return multiLine ? (startLine, startColumn) : (startLine, startColumn + column);
                default:
                    return multiLine ? (startLine, startColumn) : (startLine, startColumn + column - 1);
            }
        }

        private void Problem(string pointer, string message, bool key = false)
        {
            var (line, column) = marks.Of(pointer, key);
            problems.Add(new PolicyProblem(line, column, pointer, message));
        }

        private static string Join(IEnumerable<string> items)
        {
            var list = items.ToList();
            return list.Count == 0 ? "none" : string.Join(", ", list);
        }

        private static int Int(JsonNode? node) => (int)Number(node);

        private static double Number(JsonNode? node) => PolicyFields.ToValue(node) is double d ? d : 0;

        private static int? IntOrNull(JsonNode? node) => node is null ? null : Int(node);

        private static double? NumberOrNull(JsonNode? node) => node is null ? null : Number(node);

        private static RiskLevel Risk(string name) => name switch
        {
            "low" => RiskLevel.Low,
            "medium" => RiskLevel.Medium,
            "high" => RiskLevel.High,
            _ => RiskLevel.Critical,
        };

        private static TimeSpan Duration(string text)
        {
            var amount = int.Parse(text[..^1], CultureInfo.InvariantCulture);
            return text[^1] switch
            {
                'm' => TimeSpan.FromMinutes(amount),
                'h' => TimeSpan.FromHours(amount),
                _ => TimeSpan.FromDays(amount),
            };
        }
    }
}
