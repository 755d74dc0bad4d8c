using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;

namespace AgentConsole.Domain.Policies;

/// <summary>
/// The second stage of reading a policy: the JSON schema shipped with the product
/// (<c>policy.schema.json</c>, usable by editors too), its messages translated for authors.
/// </summary>
internal static class PolicySchemaCheck
{
    private static readonly Lazy<(JsonSchema Schema, JsonNode Raw)> Schema = new(LoadSchema);

    /// <summary>The schema text, served to editors.</summary>
    public static string SchemaText => Schema.Value.Raw.ToJsonString(new JsonSerializerOptions { WriteIndented = true });

    private static (JsonSchema, JsonNode) LoadSchema()
    {
        using var stream = typeof(PolicySchemaCheck).Assembly.GetManifestResourceStream("AgentConsole.Policies.policy.schema.json")
            ?? throw new InvalidOperationException("The policy schema resource is missing from the build.");
        using var reader = new StreamReader(stream);
        var text = reader.ReadToEnd();
        return (JsonSchema.FromText(text), JsonNode.Parse(text)!);
    }

    /// <summary>Adds a problem, with line and column, for each place the document breaks the schema.</summary>
    public static void Check(JsonObject root, PolicyYaml.Marks marks, List<PolicyProblem> problems)
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
        var where = Capitalise(PolicyDocumentParser.Describe(pointer));
        var name = pointer.Length == 0 ? "" : pointer[(pointer.LastIndexOf('/') + 1)..];
        if (isUnknownKey)
        {
            var parentPointer = pointer[..pointer.LastIndexOf('/')];
            var known = (SchemaAt(raw, parentPointer)?["properties"] as JsonObject)?.Select(p => p.Key).ToList() ?? [];
            var parentWhere = PolicyDocumentParser.Describe(parentPointer);
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


    private static string Capitalise(string text) => text.StartsWith("the ", StringComparison.Ordinal) ? "The " + text[4..] : text;
}
