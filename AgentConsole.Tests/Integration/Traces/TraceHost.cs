using System.Net.Http.Json;
using AgentConsole.Domain.Decisions;
using AgentConsole.Domain.Traces;
using AgentConsole.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace AgentConsole.Tests.Integration.Traces;

/// <summary>The console with its in-process job server and span store (written every 100 ms); requests sign in by header as Contoso.</summary>
public sealed class TraceHost() : ConsoleHost(new ConsoleFactory
{
    HeaderSignIn = true,
    Settings = { ["Traces:FlushIntervalMilliseconds"] = "100" },
})
{
    /// <summary>An API client signed in with these roles (Contoso).</summary>
    public HttpClient Client(string roles = "Operator")
    {
        var client = Factory.CreateClient(new() { AllowAutoRedirect = false });
        client.DefaultRequestHeaders.Add(HeaderSignIn.Header, roles);
        return client;
    }

    /// <summary>The W3C trace id of a decision's run.</summary>
    public async Task<string> TraceOfAsync(Decision decision, Guid? tenantId = null)
    {
        var traceParent = await Factory.ReadAsync(db => db.Runs.Where(r => r.Id == decision.RunId).Select(r => r.TraceParent).SingleAsync(), tenantId);
        return StoredSpan.TraceIdOf(traceParent) ?? throw new InvalidOperationException("The run was not traced.");
    }

    /// <summary>The stored spans of a trace and those joining it, once <paramref name="done"/> holds for them.</summary>
    public Task<List<StoredSpan>> SpansAsync(string traceId, Func<List<StoredSpan>, bool> done, Guid? tenantId = null) =>
        Factory.WaitForAsync(async db =>
        {
            var spans = await db.StoredSpans.AsNoTracking().Where(s => s.TraceId == traceId || s.LinkedTraceId == traceId).ToListAsync();
            return done(spans) ? spans : null;
        }, tenantId);

    /// <summary>Approves a decision through the API as an operator.</summary>
    public async Task ApproveAsync(Guid decisionId, string reason)
    {
        using var client = Client();
        using var response = await client.PostAsJsonAsync(new Uri($"/api/decisions/{decisionId}/approve", UriKind.Relative), new { reason });
        response.EnsureSuccessStatusCode();
    }
}
