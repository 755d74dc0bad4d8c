using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentConsole.Domain.Agents;
using AgentConsole.Domain.Decisions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace AgentConsole.Domain.Policies;

/// <summary>
/// The third stage of reading a policy: builds it from a schema-valid document and checks what the
/// schema cannot — conditions compile in the sandbox, fields exist, tiers and queues exist, SLA steps come in order.
/// </summary>
internal sealed class PolicyDocumentReader(string yaml, JsonObject root, PolicyYaml.Marks marks, PolicyContext context, List<PolicyProblem> problems)
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
        var calibration = ReadCalibration(root["calibration"] as JsonObject);
        var agentPause = ReadAgentPause(root["agentPause"] as JsonObject);
        var breaker = ReadCircuitBreaker(root["circuitBreaker"] as JsonObject);
        if (problems.Count > 0)
        {
            return null;
        }

        var document = new PolicyDocument(autoApprove, [.. rules.Select(r => r.Rule)], [.. limits.Select(l => l.Limit)], requirements, sla, masking, calibration, agentPause, breaker);
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

    private CalibrationSettings? ReadCalibration(JsonObject? node)
    {
        if (node is null)
        {
            return null;
        }

        if (context.AgentKey is not null)
        {
            Problem("/calibration", $"Calibration measures the people who review all {context.UseCase.Label().ToLowerInvariant()} decisions; set it in the use case's policy, not in the policy of the agent '{context.AgentKey}'.", key: true);
        }

        var queues = node["queues"]!.AsArray().Select(q => q!.GetValue<string>()).ToList();
        for (var i = 0; i < queues.Count; i++)
        {
            if (!context.Queues.Any(q => q.Key == queues[i]))
            {
                Problem($"/calibration/queues/{i}", $"No {context.UseCase.Label().ToLowerInvariant()} queue has the key '{queues[i]}'. Queues: {Join(context.Queues.Select(q => q.Key))}.");
            }
        }

        var gold = node["goldItems"]!.AsObject();
        var count = Int(gold["count"]);
        var period = gold["per"]!.GetValue<string>() == "hour" ? TimeSpan.FromHours(1) : TimeSpan.FromDays(1);
        var source = node["source"]!.GetValue<string>() == "track" ? CalibrationSource.Track : CalibrationSource.Generated;
        var track = node["track"]?.GetValue<string>();
        if (source == CalibrationSource.Track && track is null)
        {
            Problem("/calibration/source", "source: track needs track: the key of a published training track whose scenarios are the gold items.");
        }
        else if (source == CalibrationSource.Generated && track is not null)
        {
            Problem("/calibration/track", "Gold items are generated (source: generated), so no track is read; remove track or write source: track.", key: true);
        }
        else if (track is not null && context.PublishedTracks is { } published && !published.Contains(track, StringComparer.Ordinal))
        {
            Problem("/calibration/track", $"No published {context.UseCase.Label().ToLowerInvariant()} training track has the key '{track}'. Published: {Join(published)}.");
        }

        var pauseBelow = Number(node["pauseBelow"]);
        var minimum = Int(node["minimumAnswers"]);
        var window = Duration(node["window"]!.GetValue<string>());
        if (window < TimeSpan.FromHours(1))
        {
            Problem("/calibration/window", "The window must be at least 1h: accuracy is measured over the gold answers of that long.");
        }

        // Every operator shares the seeded items: the window must at least hold that many, or no pause could ever happen.
        var seeded = (long)Math.Floor(window / period * count) * queues.Count;
        if (window >= TimeSpan.FromHours(1) && seeded < minimum)
        {
            Problem("/calibration/minimumAnswers", $"At {count} gold item{(count == 1 ? "" : "s")} per {(period == TimeSpan.FromHours(1) ? "hour" : "day")} in {queues.Count} queue{(queues.Count == 1 ? "" : "s")}, a window of {node["window"]!.GetValue<string>()} holds at most {seeded}; minimumAnswers {minimum} could never be reached. Lengthen the window or raise the rate.");
        }

        var levels = node["pauseFrom"]!.AsArray().Select(l => Risk(l!.GetValue<string>())).Order().ToList();
        return new CalibrationSettings(queues, count, period, source, track, pauseBelow, minimum, window, levels);
    }

    private static AgentPauseSettings? ReadAgentPause(JsonObject? node) =>
        node is null ? null : new AgentPauseSettings(node["whilePaused"]?.GetValue<string>() == "hold" ? WhilePaused.Hold : WhilePaused.Review);

    private CircuitBreakerSettings? ReadCircuitBreaker(JsonObject? node)
    {
        if (node is null)
        {
            return null;
        }

        var window = Duration(node["window"]!.GetValue<string>());
        if (window < TimeSpan.FromMinutes(10) || window > TimeSpan.FromDays(30))
        {
            Problem("/circuitBreaker/window", $"The window must be between 10m and 30d; {node["window"]!.GetValue<string>()} is {(window < TimeSpan.FromMinutes(10) ? "too short to hold enough resolutions" : "too long to react to a change in the agent")}.");
        }

        var minimum = Int(node["minDecisions"]);
        var overrides = NumberOrNull(node["maxOverrideRate"]);
        var rejections = NumberOrNull(node["maxRejectionRate"]);
        if (overrides is null && rejections is null)
        {
            Problem("/circuitBreaker", "The circuit breaker needs maxOverrideRate, maxRejectionRate or both: the rate above which the agent is paused.", key: true);
        }

        return new CircuitBreakerSettings(window, minimum, overrides, rejections);
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
            var reveal = ReadRevealRoles(item["reveal"] as JsonArray, field, roles, $"/masking/{i}/reveal");
            result.Add(new MaskingRule(field, roles, item["show"]?.GetValue<string>() == "last4" ? MaskStyle.Last4 : MaskStyle.Nothing, reveal));
        }

        return result;
    }

    /// <summary>Who may reveal a masked field: only people it is hidden from, and only people who see decisions.</summary>
    private List<string>? ReadRevealRoles(JsonArray? items, string field, IReadOnlyList<string> hiddenFrom, string pointer)
    {
        if (items is null)
        {
            return null;
        }

        var result = new List<string>();
        for (var j = 0; j < items.Count; j++)
        {
            var role = items[j]!.GetValue<string>();
            if (!hiddenFrom.Contains(role))
            {
                Problem($"{pointer}/{j}", $"{Capitalised(Tenancy.Roles.WithArticle(role))} sees {field} anyway (the role is not under roles), so has nothing to reveal; add it to roles, or remove it here.");
            }
            else if (!Tenancy.Permissions.Allows(Tenancy.Permissions.ViewQueues, [role]))
            {
                Problem($"{pointer}/{j}", $"{Capitalised(Tenancy.Roles.WithArticle(role))} does not see decisions, so cannot reveal {field} on one; remove it here.");
            }

            result.Add(role);
        }

        return result;
    }

    private static string Capitalised(string text) => char.ToUpperInvariant(text[0]) + text[1..];

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
        problems.Add(new PolicyProblem(line, column, pointer, $"{PolicyDocumentParser.Describe(pointer)}: {problem.Message}"));
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
