using System.ComponentModel.DataAnnotations;

namespace AgentConsole.Domain.Traces;

/// <summary>The console's own span store and its link to a tracing backend (section <c>Traces</c>).</summary>
public sealed class TracesOptions : IValidatableObject
{
    public const string Section = "Traces";

    /// <summary>The placeholder <see cref="ExternalTraceUrl"/> must contain.</summary>
    public const string TraceIdPlaceholder = "{traceId}";

    /// <summary>Keep finished spans in the domain database, so the trace pages work without a tracing backend (default true).</summary>
    public bool Store { get; set; } = true;

    /// <summary>Days a stored span is kept; an hourly job deletes older ones (default 7).</summary>
    [Range(1, 3_650)]
    public int RetentionDays { get; set; } = 7;

    /// <summary>
    /// Finished spans waiting for the store, at most (default 10,000). When the store falls behind, spans beyond
    /// this are dropped and counted; nothing waits for the store.
    /// </summary>
    [Range(10, 1_000_000)]
    public int QueueCapacity { get; set; } = 10_000;

    /// <summary>Spans written in one transaction, at most (default 500).</summary>
    [Range(1, 10_000)]
    public int BatchSize { get; set; } = 500;

    /// <summary>How long the store gathers spans before writing a batch that is not full (default 1,000 ms).</summary>
    [Range(0, 60_000)]
    public int FlushIntervalMilliseconds { get; set; } = 1_000;

    /// <summary>
    /// A trace's page in the tracing backend that receives the OTLP export, with <c>{traceId}</c> where its id goes,
    /// e.g. <c>http://jaeger:16686/trace/{traceId}</c>; empty (the default) shows no link.
    /// </summary>
    public string ExternalTraceUrl { get; set; } = "";

    /// <summary>The backend's page of a trace, or null without <see cref="ExternalTraceUrl"/>.</summary>
    public string? ExternalUrlOf(string traceId) =>
        string.IsNullOrWhiteSpace(ExternalTraceUrl) ? null : ExternalTraceUrl.Replace(TraceIdPlaceholder, traceId, StringComparison.OrdinalIgnoreCase);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (string.IsNullOrWhiteSpace(ExternalTraceUrl))
        {
            yield break;
        }

        if (!ExternalTraceUrl.Contains(TraceIdPlaceholder, StringComparison.OrdinalIgnoreCase))
        {
            yield return new ValidationResult($"Traces:ExternalTraceUrl must contain {TraceIdPlaceholder} where the trace's id goes, e.g. http://jaeger:16686/trace/{TraceIdPlaceholder}.", [nameof(ExternalTraceUrl)]);
        }
        else if (!Uri.TryCreate(ExternalUrlOf(new string('0', 31) + "1"), UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            yield return new ValidationResult("Traces:ExternalTraceUrl must be an absolute http or https address.", [nameof(ExternalTraceUrl)]);
        }
    }
}
