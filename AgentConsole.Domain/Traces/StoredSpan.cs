using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using AgentConsole.Domain.Tenancy;

namespace AgentConsole.Domain.Traces;

/// <summary>How a span ended (OpenTelemetry's status codes; stored as numbers so a search can take the worst of a trace).</summary>
public enum SpanStatus
{
    Unset = 0,
    Ok = 1,
    Error = 2,
}

/// <summary>
/// One finished span, as the console keeps it in its own database so trace views work without a tracing backend.
/// Times are microseconds since the Unix epoch (OTLP's clock, and comparable on every provider). The ids a search
/// looks for — decision, run, agent, and the run's trace a later review joins — are columns of their own.
/// </summary>
public sealed class StoredSpan : ITenantOwned
{
    /// <summary>Attribute values and event or link attributes longer than this are cut (a stack trace, a long reason).</summary>
    public const int MaxValueLength = 4_000;

    private static readonly DateTime Epoch = DateTime.UnixEpoch;

    private StoredSpan()
    {
    }

    public Guid Id { get; private set; }

    public Guid TenantId { get; private set; }

    /// <summary>W3C trace id, 32 lowercase hex characters.</summary>
    public string TraceId { get; private set; } = "";

    /// <summary>W3C span id, 16 lowercase hex characters.</summary>
    public string SpanId { get; private set; } = "";

    public string? ParentSpanId { get; private set; }

    /// <summary>The run's trace this span joins through a link (a review done later, in its own trace); shown in that trace's view.</summary>
    public string? LinkedTraceId { get; private set; }

    public string Name { get; private set; } = "";

    /// <summary>Internal, Server, Client, Producer or Consumer.</summary>
    public string Kind { get; private set; } = "";

    /// <summary>The instrumentation that made it, e.g. <c>AgentConsole</c> or <c>Microsoft.AspNetCore</c>.</summary>
    public string Source { get; private set; } = "";

    /// <summary>The process that made it, e.g. <c>agentconsole-web</c>.</summary>
    public string Service { get; private set; } = "";

    public long StartMicros { get; private set; }

    public long EndMicros { get; private set; }

    public SpanStatus Status { get; private set; }

    public string? StatusDescription { get; private set; }

    /// <summary>A JSON object of the span's attributes.</summary>
    public string AttributesJson { get; private set; } = "{}";

    /// <summary>A JSON array of <c>{ name, timeMicros, attributes }</c>.</summary>
    public string EventsJson { get; private set; } = "[]";

    /// <summary>A JSON array of <c>{ traceId, spanId, attributes }</c>.</summary>
    public string LinksJson { get; private set; } = "[]";

    public Guid? DecisionId { get; private set; }

    public Guid? RunId { get; private set; }

    public string? AgentKey { get; private set; }

    public DateTimeOffset StartedAt => FromMicros(StartMicros);

    public TimeSpan Duration => TimeSpan.FromMicroseconds(EndMicros - StartMicros);

    public static long ToMicros(DateTimeOffset at) => (at.UtcDateTime - Epoch).Ticks / TimeSpan.TicksPerMicrosecond;

    public static DateTimeOffset FromMicros(long micros) => new(Epoch.AddTicks(micros * TimeSpan.TicksPerMicrosecond), TimeSpan.Zero);

    /// <summary>The W3C trace id in a <c>traceparent</c> (<c>00-{trace id}-{span id}-{flags}</c>), or null.</summary>
    public static string? TraceIdOf(string? traceParent) =>
        traceParent is not null && ActivityContext.TryParse(traceParent, null, out var context) ? context.TraceId.ToHexString() : null;

    /// <summary>Whether <paramref name="traceId"/> is a W3C trace id: 32 lowercase or uppercase hex characters, not all zero.</summary>
    public static bool IsTraceId(string? traceId) =>
        traceId is { Length: 32 } && traceId.All(char.IsAsciiHexDigit) && traceId.Any(c => c != '0');

    /// <summary>A finished span as the store keeps it.</summary>
    /// <param name="tenantId">The tenant its work belongs to.</param>
    /// <param name="service">The process that made it (the OpenTelemetry resource's <c>service.name</c>).</param>
    public static StoredSpan From(Activity activity, Guid tenantId, string service)
    {
        var start = (activity.StartTimeUtc - Epoch).Ticks / TimeSpan.TicksPerMicrosecond;
        var span = new StoredSpan
        {
            Id = Guid.CreateVersion7(),
            TenantId = tenantId,
            TraceId = activity.TraceId.ToHexString(),
            SpanId = activity.SpanId.ToHexString(),
            ParentSpanId = activity.ParentSpanId == default ? null : activity.ParentSpanId.ToHexString(),
            Name = Cut(activity.DisplayName, 256),
            Kind = activity.Kind.ToString(),
            Source = Cut(activity.Source.Name, 128),
            Service = Cut(service, 128),
            StartMicros = start,
            EndMicros = start + (activity.Duration.Ticks / TimeSpan.TicksPerMicrosecond),
            Status = activity.Status switch
            {
                ActivityStatusCode.Error => SpanStatus.Error,
                ActivityStatusCode.Ok => SpanStatus.Ok,
                _ => SpanStatus.Unset,
            },
            StatusDescription = activity.StatusDescription is { Length: > 0 } d ? Cut(d, 1_000) : null,
        };

        var buffer = new ArrayBufferWriter<byte>(512);
        using (var json = new Utf8JsonWriter(buffer))
        {
            WriteTags(json, activity.TagObjects);
        }

        span.AttributesJson = Encoding.UTF8.GetString(buffer.WrittenSpan);
        span.EventsJson = Events(activity, buffer);
        span.LinksJson = Links(activity, buffer, out var joins);
        span.LinkedTraceId = joins == span.TraceId ? null : joins;
        span.DecisionId = GuidTag(activity, SpanAttributes.DecisionId);
        span.RunId = GuidTag(activity, SpanAttributes.RunId);
        span.AgentKey = activity.GetTagItem(SpanAttributes.AgentKey) is string key ? Cut(key, 64) : null;
        return span;
    }

    /// <summary>A span of a trace made up for tests and benchmarks (a 1,000-span trace view, ingestion at volume).</summary>
    public static StoredSpan Synthetic(
        Guid tenantId, string traceId, string spanId, string? parentSpanId, string name, long startMicros, long durationMicros,
        SpanStatus status = SpanStatus.Unset, string attributesJson = "{}", Guid? decisionId = null, Guid? runId = null, string? agentKey = null, string? linkedTraceId = null) => new()
        {
            Id = Guid.CreateVersion7(),
            TenantId = tenantId,
            TraceId = traceId,
            SpanId = spanId,
            ParentSpanId = parentSpanId,
            LinkedTraceId = linkedTraceId,
            Name = name,
            Kind = nameof(ActivityKind.Internal),
            Source = Telemetry.AgentConsoleTelemetry.Name,
            Service = "agentconsole-bench",
            StartMicros = startMicros,
            EndMicros = startMicros + durationMicros,
            Status = status,
            AttributesJson = attributesJson,
            DecisionId = decisionId,
            RunId = runId,
            AgentKey = agentKey,
        };

    private static string Events(Activity activity, ArrayBufferWriter<byte> buffer)
    {
        var any = false;
        buffer.ResetWrittenCount();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartArray();
            foreach (var e in activity.Events)
            {
                any = true;
                json.WriteStartObject();
                json.WriteString("name", Cut(e.Name, 256));
                json.WriteNumber("timeMicros", (e.Timestamp.UtcDateTime - Epoch).Ticks / TimeSpan.TicksPerMicrosecond);
                json.WritePropertyName("attributes");
                WriteTags(json, e.Tags);
                json.WriteEndObject();
            }

            json.WriteEndArray();
        }

        return any ? Encoding.UTF8.GetString(buffer.WrittenSpan) : "[]";
    }

    private static string Links(Activity activity, ArrayBufferWriter<byte> buffer, out string? joins)
    {
        joins = null;
        var any = false;
        buffer.ResetWrittenCount();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartArray();
            foreach (var link in activity.Links)
            {
                any = true;
                var traceId = link.Context.TraceId.ToHexString();
                if (joins is null && link.Tags?.FirstOrDefault(t => t.Key == SpanAttributes.LinkType).Value as string == "run")
                {
                    joins = traceId;
                }

                json.WriteStartObject();
                json.WriteString("traceId", traceId);
                json.WriteString("spanId", link.Context.SpanId.ToHexString());
                json.WritePropertyName("attributes");
                WriteTags(json, link.Tags ?? []);
                json.WriteEndObject();
            }

            json.WriteEndArray();
        }

        return any ? Encoding.UTF8.GetString(buffer.WrittenSpan) : "[]";
    }

    private static void WriteTags(Utf8JsonWriter json, IEnumerable<KeyValuePair<string, object?>> tags)
    {
        json.WriteStartObject();
        foreach (var (key, value) in tags)
        {
            json.WritePropertyName(key);
            WriteValue(json, value);
        }

        json.WriteEndObject();
    }

    private static void WriteValue(Utf8JsonWriter json, object? value)
    {
        switch (value)
        {
            case null:
                json.WriteNullValue();
                break;
            case string s:
                json.WriteStringValue(Cut(s, MaxValueLength));
                break;
            case bool b:
                json.WriteBooleanValue(b);
                break;
            case int or long or short or byte or sbyte or uint or ushort:
                json.WriteNumberValue(Convert.ToInt64(value, CultureInfo.InvariantCulture));
                break;
            case double d when double.IsFinite(d):
                json.WriteNumberValue(d);
                break;
            case float f when float.IsFinite(f):
                json.WriteNumberValue(f);
                break;
            case decimal m:
                json.WriteNumberValue(m);
                break;
            case System.Collections.IEnumerable items and not IDictionary<string, object?>:
                json.WriteStartArray();
                foreach (var item in items)
                {
                    WriteValue(json, item);
                }

                json.WriteEndArray();
                break;
            default:
                json.WriteStringValue(Cut(Convert.ToString(value, CultureInfo.InvariantCulture) ?? "", MaxValueLength));
                break;
        }
    }

    private static Guid? GuidTag(Activity activity, string key) => activity.GetTagItem(key) switch
    {
        Guid g => g,
        string s when Guid.TryParse(s, out var g) => g,
        _ => null,
    };

    private static string Cut(string value, int length) => value.Length <= length ? value : string.Concat(value.AsSpan(0, length - 1), "…");
}
