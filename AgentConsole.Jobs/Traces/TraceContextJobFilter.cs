using System.Diagnostics;
using AgentConsole.Domain.Telemetry;
using AgentConsole.Domain.Traces;
using Hangfire.Client;
using Hangfire.Common;
using Hangfire.Server;

namespace AgentConsole.Jobs.Traces;

/// <summary>
/// Carries the W3C trace context from where a job is enqueued into the job, so a run's web
/// request, its jobs and their database calls form one trace — across processes too (the context travels as a job
/// parameter in the job storage). A failed job's span is an error with the exception.
/// </summary>
public sealed class TraceContextJobFilter : JobFilterAttribute, IClientFilter, IServerFilter
{
    private const string TraceParent = "traceparent";
    private const string ActivityKey = "agentconsole.activity";

    private static readonly AsyncLocal<string?> RecordedIn = new();

    /// <summary>
    /// The trace a job is enqueued for when it is enqueued after the activity that recorded it ended (a stopped activity
    /// cannot be made current again): the id of that activity, until the returned scope is disposed.
    /// </summary>
    public static IDisposable EnqueuingFor(string? traceParent)
    {
        var previous = RecordedIn.Value;
        RecordedIn.Value = traceParent;
        return new Restore(previous);
    }

    public void OnCreating(CreatingContext context)
    {
        if ((RecordedIn.Value ?? Activity.Current?.Id) is { } id)
        {
            context.SetJobParameter(TraceParent, id);
        }
    }

    public void OnCreated(CreatedContext context)
    {
    }

    public void OnPerforming(PerformingContext context)
    {
        var parent = context.GetJobParameter<string>(TraceParent);
        var activity = AgentConsoleTelemetry.StartContinuing($"job {context.BackgroundJob.Job.Method.Name}", parent, ActivityKind.Consumer);
        activity?.SetTag(SpanAttributes.JobId, context.BackgroundJob.Id);
        activity?.SetTag(SpanAttributes.JobQueue, context.BackgroundJob.Job.Queue);
        if (activity is not null)
        {
            context.Items[ActivityKey] = activity;
        }
    }

    public void OnPerformed(PerformedContext context)
    {
        if (context.Items.TryGetValue(ActivityKey, out var value) && value is Activity activity)
        {
            if (context.Exception is { } ex && !context.ExceptionHandled)
            {
                activity.Fail(ex is JobPerformanceException { InnerException: { } inner } ? inner : ex);
            }

            activity.Dispose();
        }
    }

    private sealed class Restore(string? previous) : IDisposable
    {
        public void Dispose() => RecordedIn.Value = previous;
    }
}
