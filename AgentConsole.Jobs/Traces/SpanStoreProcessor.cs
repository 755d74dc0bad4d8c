using System.Diagnostics;
using AgentConsole.Domain.Telemetry;
using AgentConsole.Domain.Traces;
using OpenTelemetry;

namespace AgentConsole.Jobs.Traces;

/// <summary>
/// Hands finished spans to the console's span store: every span of the product's own source, and any other span
/// (an HTTP request, an HTTP call) of a trace the product took part in. Each is given its tenant — its own
/// <c>agentconsole.tenant.id</c>, a parent's, or its trace's — and one without a tenant is not kept (health probes,
/// sign-in pages, maintenance jobs). Costs the ending thread a few lookups and a queue write; never waits.
/// </summary>
internal sealed class SpanStoreProcessor(SpanStore store) : BaseProcessor<Activity>
{
    public override void OnStart(Activity data)
    {
        if (data.Source.Name == AgentConsoleTelemetry.Name)
        {
            store.Traces.Mark(data.TraceId);
        }
    }

    public override void OnEnd(Activity data)
    {
        if (!data.Recorded || (data.Source.Name != AgentConsoleTelemetry.Name && !store.Traces.IsMarked(data.TraceId)))
        {
            return;
        }

        var tenant = TenantOf(data) ?? store.Traces.TenantOf(data.TraceId);
        if (tenant is not { } tenantId)
        {
            return;
        }

        store.Traces.Remember(data.TraceId, tenantId);
        store.TryEnqueue(new PendingSpan(data, tenantId));
    }

    /// <summary>The tenant the span or one of its parents in this process names.</summary>
    private static Guid? TenantOf(Activity activity)
    {
        for (var a = activity; a is not null; a = a.Parent)
        {
            switch (a.GetTagItem(SpanAttributes.TenantId))
            {
                case string s when Guid.TryParse(s, out var id):
                    return id;
                case Guid id:
                    return id;
            }
        }

        return null;
    }
}
