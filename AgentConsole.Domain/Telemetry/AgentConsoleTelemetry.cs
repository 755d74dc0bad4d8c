using System.Diagnostics;
using System.Diagnostics.Metrics;
using AgentConsole.Domain.Traces;

namespace AgentConsole.Domain.Telemetry;

/// <summary>The product's own traces and metrics, registered with OpenTelemetry by every host.</summary>
public static class AgentConsoleTelemetry
{
    public const string Name = "AgentConsole";

    public static readonly ActivitySource Source = new(Name, "1.0");

    public static readonly Meter Meter = new(Name, "1.0");

    public static readonly Counter<long> RunsStarted = Meter.CreateCounter<long>("agentconsole.pipeline.runs_started", description: "Pipeline runs recorded.");

    public static readonly Counter<long> DecisionsProposed = Meter.CreateCounter<long>("agentconsole.decisions.proposed", description: "Decisions proposed by agents, by route.");

    public static readonly Counter<long> DecisionsResolved = Meter.CreateCounter<long>("agentconsole.decisions.resolved", description: "Decisions resolved by people, by action.");

    public static readonly Counter<long> Executions = Meter.CreateCounter<long>("agentconsole.executions", description: "Connector executions, by outcome.");

    public static readonly Counter<long> SpansStored = Meter.CreateCounter<long>("agentconsole.traces.spans_stored", description: "Spans written to the console's span store.");

    public static readonly Counter<long> SpansDropped = Meter.CreateCounter<long>("agentconsole.traces.spans_dropped",
        description: "Spans the console's span store dropped, by reason: queue_full (the store fell behind) or write_failed.");

    public static readonly Histogram<double> TimeToDecision = Meter.CreateHistogram<double>("agentconsole.decisions.time_to_decision", unit: "s", description: "From proposal to a person's resolution.");

    /// <summary>
    /// Starts a span that continues the trace stored with a run (W3C traceparent), or a new trace. Already inside that
    /// trace (an auto-approved decision executed in its proposal's job), it nests under the current span.
    /// </summary>
    public static Activity? StartContinuing(string name, string? traceParent, ActivityKind kind = ActivityKind.Internal, IEnumerable<ActivityLink>? links = null) =>
        traceParent is not null && ActivityContext.TryParse(traceParent, null, out var parent)
            ? Activity.Current is { } current && current.TraceId == parent.TraceId
                ? Source.StartActivity(name, kind, default(ActivityContext), links: links)
                : Source.StartActivity(name, kind, parent, links: links)
            : Source.StartActivity(name, kind, default(ActivityContext), links: links);

    /// <summary>
    /// Starts a span of its own trace that joins a run's trace through a link (typed <c>run</c>), for work done long
    /// after the run started — a reviewer's action days later. The caller's span, if any, is linked too (typed
    /// <c>request</c>). The span store shows it in the run's trace view.
    /// </summary>
    /// <remarks>
    /// The span is a new root: call this from an async method, whose caller keeps its own current span when the
    /// method returns.
    /// </remarks>
    public static Activity? StartJoining(string name, string? runTraceParent)
    {
        var caller = Activity.Current;
        List<ActivityLink> links = [];
        if (runTraceParent is not null && ActivityContext.TryParse(runTraceParent, null, out var run))
        {
            links.Add(new ActivityLink(run, new ActivityTagsCollection { [SpanAttributes.LinkType] = "run" }));
        }

        if (caller is not null && caller.TraceId != default)
        {
            links.Add(new ActivityLink(caller.Context, new ActivityTagsCollection { [SpanAttributes.LinkType] = "request" }));
        }

        Activity.Current = null;
        var activity = Source.StartActivity(name, ActivityKind.Internal, default(ActivityContext), tags: null, links);
        if (activity is null)
        {
            Activity.Current = caller;
        }

        return activity;
    }

    /// <summary>Says whose work the span is: the span store keeps it for this tenant.</summary>
    public static Activity? ForTenant(this Activity? activity, Guid tenantId) =>
        activity?.SetTag(SpanAttributes.TenantId, tenantId.ToString());

    /// <summary>Marks the span failed: status Error with the message, <c>error.type</c>, and the exception as an event.</summary>
    public static void Fail(this Activity? activity, Exception exception)
    {
        if (activity is null)
        {
            return;
        }

        activity.SetStatus(ActivityStatusCode.Error, exception.Message);
        activity.SetTag(SpanAttributes.ErrorType, exception.GetType().FullName);
        activity.AddException(exception);
    }
}
