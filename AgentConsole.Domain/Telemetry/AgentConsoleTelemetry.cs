using System.Diagnostics;
using System.Diagnostics.Metrics;

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

    public static readonly Histogram<double> TimeToDecision = Meter.CreateHistogram<double>("agentconsole.decisions.time_to_decision", unit: "s", description: "From proposal to a person's resolution.");

    /// <summary>Starts a span that continues the trace stored with a run (W3C traceparent), or a new trace.</summary>
    public static Activity? StartContinuing(string name, string? traceParent, ActivityKind kind = ActivityKind.Internal) =>
        traceParent is not null && ActivityContext.TryParse(traceParent, null, out var parent)
            ? Source.StartActivity(name, kind, parent)
            : Source.StartActivity(name, kind);
}
