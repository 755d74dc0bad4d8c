using System.Diagnostics;
using System.Text.Json;
using AgentConsole.Domain.Telemetry;
using AgentConsole.Domain.Traces;

namespace AgentConsole.Tests.Unit.Traces;

/// <summary>A finished span is kept with its attributes, events and links, and the ids a search looks for in columns of their own.</summary>
public sealed class StoredSpanTests
{
    private static readonly string[] RulesFired = ["large-discount", "new-customer"];

    private static Activity NewSpan(string name, ActivityContext parent = default, IEnumerable<ActivityLink>? links = null)
    {
        var span = new Activity(name);
        if (parent != default)
        {
            span.SetParentId(parent.TraceId, parent.SpanId, parent.TraceFlags);
        }

        foreach (var link in links ?? [])
        {
            span.AddLink(link);
        }

        span.Start();
        return span;
    }

    [Fact]
    public void From_KeepsAttributesAndTheSearchedIds()
    {
        var decision = Guid.NewGuid();
        var run = Guid.NewGuid();
        var tenant = Guid.NewGuid();
        var parent = new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded);
        using var span = NewSpan("invoke_agent builtin:pricing/1", parent);
        span.SetTag(SpanAttributes.GenAi.RequestModel, "builtin:pricing/1");
        span.SetTag(SpanAttributes.Confidence, 0.82);
        span.SetTag(SpanAttributes.PolicyRulesFired, RulesFired);
        span.SetTag(SpanAttributes.DecisionId, decision.ToString());
        span.SetTag(SpanAttributes.RunId, run.ToString());
        span.SetTag(SpanAttributes.AgentKey, "pricing");
        span.SetTag(SpanAttributes.ReviewReason, new string('x', 10_000));
        span.Stop();

        var stored = StoredSpan.From(span, tenant, "agentconsole-jobs");

        Assert.Equal((span.TraceId.ToHexString(), span.SpanId.ToHexString(), parent.SpanId.ToHexString()), (stored.TraceId, stored.SpanId, stored.ParentSpanId));
        Assert.Equal((decision, run, "pricing", tenant), (stored.DecisionId!.Value, stored.RunId!.Value, stored.AgentKey, stored.TenantId));
        Assert.Equal("agentconsole-jobs", stored.Service);
        using var attributes = JsonDocument.Parse(stored.AttributesJson);
        Assert.Equal("builtin:pricing/1", attributes.RootElement.GetProperty(SpanAttributes.GenAi.RequestModel).GetString());
        Assert.Equal(0.82, attributes.RootElement.GetProperty(SpanAttributes.Confidence).GetDouble());
        Assert.Equal(2, attributes.RootElement.GetProperty(SpanAttributes.PolicyRulesFired).GetArrayLength());
        Assert.Equal(StoredSpan.MaxValueLength, attributes.RootElement.GetProperty(SpanAttributes.ReviewReason).GetString()!.Length);
        Assert.True(stored.EndMicros >= stored.StartMicros);
    }

    [Fact]
    public void From_AFailedSpan_KeepsItsStatusAndException()
    {
        using var span = NewSpan("execute Simulated ERP");
        span.Fail(new InvalidOperationException("Simulated ERP is unavailable (HTTP 503)"));
        span.Stop();

        var stored = StoredSpan.From(span, Guid.NewGuid(), "agentconsole-web");

        Assert.Equal(SpanStatus.Error, stored.Status);
        Assert.Equal("Simulated ERP is unavailable (HTTP 503)", stored.StatusDescription);
        using var events = JsonDocument.Parse(stored.EventsJson);
        var exception = Assert.Single(events.RootElement.EnumerateArray());
        Assert.Equal("exception", exception.GetProperty("name").GetString());
        Assert.Equal("System.InvalidOperationException", exception.GetProperty("attributes").GetProperty("exception.type").GetString());
        Assert.Contains(SpanAttributes.ErrorType, stored.AttributesJson, StringComparison.Ordinal);
    }

    [Fact]
    public void From_ASpanJoiningARunsTrace_NamesThatTrace()
    {
        var run = new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded);
        var request = new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded);
        using var span = NewSpan("review approve", links: [
            new ActivityLink(request, new ActivityTagsCollection { [SpanAttributes.LinkType] = "request" }),
            new ActivityLink(run, new ActivityTagsCollection { [SpanAttributes.LinkType] = "run" }),
        ]);
        span.Stop();

        var stored = StoredSpan.From(span, Guid.NewGuid(), "agentconsole-web");

        Assert.Equal(run.TraceId.ToHexString(), stored.LinkedTraceId);
        using var links = JsonDocument.Parse(stored.LinksJson);
        Assert.Equal(2, links.RootElement.GetArrayLength());
    }

    [Fact]
    public void TraceIdOf_ReadsTheTraceFromATraceparent()
    {
        Assert.Equal("4bf92f3577b34da6a3ce929d0e0e4736", StoredSpan.TraceIdOf("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"));
        Assert.Null(StoredSpan.TraceIdOf("garbage"));
        Assert.Null(StoredSpan.TraceIdOf(null));
    }
}
