using System.Collections.Concurrent;
using System.Diagnostics;
using AgentConsole.Domain.Traces;
using AgentConsole.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AgentConsole.Tests.Integration.Traces;

/// <summary>
/// With an OTLP endpoint configured, the console exports its spans to that collector (here a real HTTP server taking
/// OTLP/HTTP protobuf) and keeps them in its own store at the same time; with a backend's trace address configured,
/// a trace's page links to it.
/// </summary>
public sealed class OtlpExportTests : IAsyncLifetime
{
    private readonly ConcurrentQueue<(string Path, byte[] Body)> _received = new();
    private WebApplication _collector = default!;
    private ConsoleFactory _console = default!;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _collector = builder.Build();
        _collector.MapPost("/v1/{signal}", async (HttpContext context) =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body);
            _received.Enqueue((context.Request.Path, body.ToArray()));
            context.Response.ContentType = "application/x-protobuf";
        });
        await _collector.StartAsync();
        var collector = _collector.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

        _console = new ConsoleFactory
        {
            HeaderSignIn = true,
            Settings =
            {
                ["OpenTelemetry:OtlpEndpoint"] = collector,
                ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
                ["OTEL_BSP_SCHEDULE_DELAY"] = "200",
                ["Traces:FlushIntervalMilliseconds"] = "100",
                ["Traces:ExternalTraceUrl"] = "http://jaeger.example:16686/trace/{traceId}",
            },
        }.Start();
    }

    public async Task DisposeAsync()
    {
        await _console.DisposeAsync();
        await _collector.DisposeAsync();
    }

    [Fact]
    public async Task ARunsSpans_GoToTheCollector_AndToTheConsolesOwnStore_AndItsPageLinksToTheBackend()
    {
        var decision = await _console.ProposeAsync(TestCases.UncertainPricing("Trace Export GmbH"));
        var traceParent = await _console.ReadAsync(db => db.Runs.Where(r => r.Id == decision.RunId).Select(r => r.TraceParent).SingleAsync());
        var traceId = StoredSpan.TraceIdOf(traceParent)!;
        var rawTraceId = Convert.FromHexString(traceId);

        // The collector receives the run's agent inference span (spans of one trace may arrive in several exports):
        // OTLP carries the trace id as its 16 raw bytes.
        static bool HasInference(byte[] body, byte[] trace) =>
            body.AsSpan().IndexOf(trace) >= 0 && body.AsSpan().IndexOf("invoke_agent builtin:pricing/1"u8) >= 0;
        var clock = Stopwatch.StartNew();
        while (!_received.Any(r => r.Path == "/v1/traces" && HasInference(r.Body, rawTraceId)))
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"The collector received no inference span of trace {traceId} within 30 s ({_received.Count} exports to {string.Join(", ", _received.Select(r => r.Path).Distinct())}).");
            await Task.Delay(100);
        }

        var exported = _received.First(r => r.Path == "/v1/traces" && HasInference(r.Body, rawTraceId)).Body;
        Assert.True(exported.AsSpan().IndexOf("gen_ai.request.model"u8) >= 0, "With its GenAI attributes.");

        // … and the console's own store has the same trace.
        var stored = await _console.WaitForAsync(async db =>
        {
            var names = await db.StoredSpans.Where(s => s.TraceId == traceId).Select(s => s.Name).ToListAsync();
            return names.Contains("step route") ? names : null;
        });
        Assert.Contains("invoke_agent builtin:pricing/1", stored);

        using var client = _console.CreateClient();
        client.DefaultRequestHeaders.Add(HeaderSignIn.Header, "Operator");
        var page = await client.GetStringAsync(new Uri($"/traces/{traceId}", UriKind.Relative));
        Assert.Contains($"href=\"http://jaeger.example:16686/trace/{traceId}\"", page, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"trace-external\"", page, StringComparison.Ordinal);
    }
}
