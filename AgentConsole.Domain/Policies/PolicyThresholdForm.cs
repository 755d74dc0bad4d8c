using System.Globalization;
using System.Text;
using AgentConsole.Domain.Decisions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace AgentConsole.Domain.Policies;

/// <summary>The common thresholds as a form edits them.</summary>
public sealed record ThresholdSettings(double MinConfidence, RiskLevel MaxRisk, IReadOnlyDictionary<string, double> AgentThresholds);

/// <summary>
/// Reads and writes the <c>autoApprove</c> section of a document for the form view. Writing
/// replaces that section's text only; everything else, comments included, stays as written.
/// </summary>
public static class PolicyThresholdForm
{
    /// <summary>The thresholds written in a document, or null when its autoApprove section cannot be read.</summary>
    public static ThresholdSettings? Read(string yaml)
    {
        var section = Find(yaml);
        if (section?.Value is not YamlMappingNode mapping)
        {
            return null;
        }

        double? Number(YamlNode? node) => node is YamlScalarNode { Value: { } v } && double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : null;
        var values = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
        foreach (var (key, value) in mapping.Children)
        {
            if (key is YamlScalarNode { Value: { } name })
            {
                values[name] = value;
            }
        }

        if (Number(values.GetValueOrDefault("minConfidence")) is not { } min)
        {
            return null;
        }

        var maxRisk = values.GetValueOrDefault("maxRisk") is YamlScalarNode { Value: { } r } && Enum.TryParse<RiskLevel>(r, ignoreCase: true, out var risk) ? risk : RiskLevel.Low;
        var agents = new Dictionary<string, double>(StringComparer.Ordinal);
        if (values.GetValueOrDefault("agents") is YamlMappingNode agentNodes)
        {
            foreach (var (key, value) in agentNodes.Children)
            {
                if (key is YamlScalarNode { Value: { } name } && Number(value) is { } t)
                {
                    agents[name] = t;
                }
            }
        }

        return new ThresholdSettings(min, maxRisk, agents);
    }

    /// <summary>The document with its autoApprove section rewritten from the form.</summary>
    public static string Write(string yaml, ThresholdSettings settings)
    {
        var section = Find(yaml);
        var text = new StringBuilder();
        text.Append("autoApprove:\n");
        text.Append(CultureInfo.InvariantCulture, $"  minConfidence: {Number(settings.MinConfidence)}\n");
        text.Append(CultureInfo.InvariantCulture, $"  maxRisk: {PolicyFields.RiskName(settings.MaxRisk)}\n");
        if (settings.AgentThresholds.Count > 0)
        {
            text.Append("  agents:\n");
            foreach (var (agent, threshold) in settings.AgentThresholds.OrderBy(a => a.Key, StringComparer.Ordinal))
            {
                text.Append(CultureInfo.InvariantCulture, $"    {agent}: {Number(threshold)}\n");
            }
        }

        if (section is null)
        {
            return text + (yaml.Length == 0 || yaml.StartsWith('\n') ? "" : "\n") + yaml;
        }

        var (key, value) = section.Value;
        var start = (int)key.Start.Index;

        // The section ends with its last value (a block mapping's own end mark lies at the next key,
        // past any comments that belong to what follows); the rest of that line goes with it.
        var end = value.AllNodes.Max(n => (int)n.End.Index);
        var lineEnd = yaml.IndexOf('\n', Math.Max(start, end - 1));
        return yaml[..start] + text + (lineEnd < 0 ? "" : yaml[(lineEnd + 1)..]);
    }

    /// <summary>The number exactly as entered (round-trip), so applying the form never shifts a threshold the author did not touch.</summary>
    private static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static (YamlNode Key, YamlNode Value)? Find(string yaml)
    {
        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(yaml));
            if (stream.Documents.Count != 1 || stream.Documents[0].RootNode is not YamlMappingNode root)
            {
                return null;
            }

            foreach (var (key, value) in root.Children)
            {
                if (key is YamlScalarNode { Value: "autoApprove" })
                {
                    return (key, value);
                }
            }
        }
        catch (Exception ex) when (ex is YamlException or InvalidOperationException or ArgumentException)
        {
            // An unreadable document has no thresholds to show; the editor lists its problems.
        }

        return null;
    }
}
