using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace AgentConsole.Domain.Policies;

/// <summary>
/// The first stage of reading a policy: YAML to JSON, keeping where each value sits so that later
/// stages can name the line and column of a problem.
/// </summary>
internal static partial class PolicyYaml
{
    /// <summary>Flow collections nested deeper than a policy ever needs are refused before parsing (the YAML reader recurses).</summary>
    public static PolicyProblem? TooDeep(string yaml)
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

    /// <summary>The YAML library's message without its own position (the problem carries line and column).</summary>
    public static string Message(YamlException ex)
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

    /// <summary>Where each value (and each mapping key) of the document starts, by JSON pointer.</summary>
    public sealed class Marks
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

    /// <summary>The document as JSON, or null when it is empty or not one document (a problem says why).</summary>
    public static JsonNode? Read(string yaml, Marks marks, List<PolicyProblem> problems)
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

}
