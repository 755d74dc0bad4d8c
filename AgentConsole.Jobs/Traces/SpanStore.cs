using System.Collections.Concurrent;
using System.Diagnostics;
using System.Threading.Channels;
using AgentConsole.Domain.Telemetry;
using AgentConsole.Domain.Traces;
using Microsoft.Extensions.Options;

namespace AgentConsole.Jobs.Traces;

/// <summary>A finished span waiting for the store, with the tenant it was given.</summary>
internal readonly record struct PendingSpan(Activity Activity, Guid TenantId);

/// <summary>
/// The queue between finished spans and the span store's writer: bounded (<c>Traces:QueueCapacity</c>), never
/// waited on — a span that finds it full is dropped and counted — and the counts this node shows on the traces page.
/// </summary>
public sealed class SpanStore
{
    private readonly Channel<PendingSpan> _queue;
    private long _stored;
    private long _dropped;
    private long _failed;

    public SpanStore(IOptions<TracesOptions> options, string service)
    {
        var o = options.Value;
        Enabled = o.Store;
        Capacity = o.QueueCapacity;
        Service = service;
        _queue = Channel.CreateBounded<PendingSpan>(new BoundedChannelOptions(o.QueueCapacity)
        {
            // TryWrite answers false when full (DropWrite would drop without saying so): the caller counts the drop.
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
        });
    }

    /// <summary>Whether this node stores spans (<c>Traces:Store</c>).</summary>
    public bool Enabled { get; }

    /// <summary>The most spans waiting at once.</summary>
    public int Capacity { get; }

    /// <summary>The process whose spans these are (OpenTelemetry's <c>service.name</c>).</summary>
    public string Service { get; }

    /// <summary>Spans this node wrote since it started.</summary>
    public long Stored => Interlocked.Read(ref _stored);

    /// <summary>Spans this node dropped since it started because the store fell behind (the queue was full).</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Spans this node lost since it started because writing them failed (the database refused or timed out).</summary>
    public long Failed => Interlocked.Read(ref _failed);

    /// <summary>Spans waiting now.</summary>
    public int Queued => _queue.Reader.Count;

    /// <summary>Which traces hold the product's own spans, and whose they are.</summary>
    internal ProductTraces Traces { get; } = new();

    internal ChannelReader<PendingSpan> Reader => _queue.Reader;

    /// <summary>Hands a finished span to the writer, or drops and counts it when the queue is full. Never waits.</summary>
    internal bool TryEnqueue(PendingSpan span)
    {
        if (_queue.Writer.TryWrite(span))
        {
            return true;
        }

        Interlocked.Increment(ref _dropped);
        AgentConsoleTelemetry.SpansDropped.Add(1, new KeyValuePair<string, object?>("reason", "queue_full"));
        return false;
    }

    internal void Written(int count)
    {
        Interlocked.Add(ref _stored, count);
        AgentConsoleTelemetry.SpansStored.Add(count);
    }

    internal void Lost(int count)
    {
        Interlocked.Add(ref _failed, count);
        AgentConsoleTelemetry.SpansDropped.Add(count, new KeyValuePair<string, object?>("reason", "write_failed"));
    }

    /// <summary>No more spans: the writer drains what is queued and stops.</summary>
    internal void Complete() => _queue.Writer.TryComplete();
}

/// <summary>
/// The traces in which the product made a span (so a framework's span there — the HTTP request that submitted a case
/// — is kept too, and one elsewhere — a health probe, a static file — is not), with their tenant once known. Bounded:
/// two generations of at most <see cref="GenerationSize"/> traces each; the older is forgotten when the newer fills.
/// </summary>
internal sealed class ProductTraces
{
    public const int GenerationSize = 20_000;

    private readonly Lock _rotate = new();
    private Generation _current = new();
    private Generation _previous = new();

    public void Mark(ActivityTraceId traceId) => Add(traceId, Guid.Empty);

    public void Remember(ActivityTraceId traceId, Guid tenantId) => Add(traceId, tenantId);

    public bool IsMarked(ActivityTraceId traceId) => _current.Traces.ContainsKey(traceId) || _previous.Traces.ContainsKey(traceId);

    public Guid? TenantOf(ActivityTraceId traceId) =>
        (_current.Traces.TryGetValue(traceId, out var t) || _previous.Traces.TryGetValue(traceId, out t)) && t != Guid.Empty ? t : null;

    private void Add(ActivityTraceId traceId, Guid tenantId)
    {
        var current = _current;
        var added = false;
        if (tenantId == Guid.Empty)
        {
            added = current.Traces.TryAdd(traceId, tenantId);
        }
        else
        {
            current.Traces.AddOrUpdate(traceId, _ => { added = true; return tenantId; }, (_, _) => tenantId);
        }

        if (added && Interlocked.Increment(ref current.Count) > GenerationSize)
        {
            lock (_rotate)
            {
                if (ReferenceEquals(current, _current))
                {
                    _previous = current;
                    _current = new Generation();
                }
            }
        }
    }

    private sealed class Generation
    {
        public readonly ConcurrentDictionary<ActivityTraceId, Guid> Traces = new();
#pragma warning disable CA1051 // A counter taken with Interlocked: a field by necessity.
        public int Count;
#pragma warning restore CA1051
    }
}
