using AgentConsole.Domain.Telemetry;
using AgentConsole.Domain.Traces;
using Microsoft.Extensions.Options;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace AgentConsole.Jobs.Traces;

public static class TelemetryExtensions
{
    /// <summary>
    /// Traces and metrics of the product's own source, HttpClient and the runtime; spans kept in the console's own
    /// span store unless <c>Traces:Store</c> is false, and exported over OTLP as well when
    /// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> (or <c>OpenTelemetry:OtlpEndpoint</c>) is set.
    /// </summary>
    public static IHostApplicationBuilder AddAgentConsoleTelemetry(
        this IHostApplicationBuilder builder,
        string serviceName,
        Action<TracerProviderBuilder>? tracing = null,
        Action<MeterProviderBuilder>? metrics = null)
    {
        var endpoint = builder.Configuration["OpenTelemetry:OtlpEndpoint"] ?? builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"];
        var store = builder.Configuration.GetSection(TracesOptions.Section).Get<TracesOptions>()?.Store ?? true;
        builder.Services.AddSingleton(sp => new SpanStore(sp.GetRequiredService<IOptions<TracesOptions>>(), serviceName));
        if (store)
        {
            builder.Services.AddHostedService<SpanWriter>();
        }

        var otel = builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(serviceName, serviceInstanceId: Environment.MachineName + ":" + Environment.ProcessId))
            .WithTracing(t =>
            {
                t.AddSource(AgentConsoleTelemetry.Name).AddHttpClientInstrumentation();
                if (store)
                {
                    t.AddProcessor(sp => new SpanStoreProcessor(sp.GetRequiredService<SpanStore>()));
                }

                tracing?.Invoke(t);
            })
            .WithMetrics(m =>
            {
                m.AddMeter(AgentConsoleTelemetry.Name).AddHttpClientInstrumentation().AddRuntimeInstrumentation();
                metrics?.Invoke(m);
            });
        if (!string.IsNullOrWhiteSpace(endpoint))
        {
            builder.Services.Configure<OpenTelemetry.Exporter.OtlpExporterOptions>(o => o.Endpoint = new Uri(endpoint));
            otel.UseOtlpExporter();
        }

        return builder;
    }
}
