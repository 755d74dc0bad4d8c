using System.Net.Http.Json;
using System.Text.Json.Nodes;
using AgentConsole.Domain.Agents;
using AgentConsole.Domain.Agents.BuiltIn;
using AgentConsole.Domain.Decisions;
using AgentConsole.Domain.Traces;
using AgentConsole.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace AgentConsole.Tests.Integration.Traces;

/// <summary>
/// The console with its in-process job server and span store (written every 100 ms); requests sign in by header as
/// Contoso. Its pricing agent answers as a model that reports its token usage would, for customers named
/// <see cref="UsageReportingCustomer"/>*.
/// </summary>
public sealed class TraceHost() : ConsoleHost(new ConsoleFactory
{
    HeaderSignIn = true,
    Settings = { ["Traces:FlushIntervalMilliseconds"] = "100" },
    ReplaceServices = services =>
    {
        services.RemoveAll<IDecisionAgent>();
        services.AddSingleton<IDecisionAgent, PartnerOnboardingAgent>();
        services.AddSingleton<IDecisionAgent>(new UsageReportingAgent(new DynamicPricingAgent()));
        services.AddSingleton<IDecisionAgent, ContractReviewAgent>();
        services.AddSingleton<IDecisionAgent, InvoicePolicyAgent>();
    },
})
{
    /// <summary>Cases of customers whose name starts so get a proposal with the model's usage.</summary>
    public const string UsageReportingCustomer = "Usage Reporting";

    public static readonly ModelUsage Usage = new(InputTokens: 812, OutputTokens: 64, ResponseModel: "builtin:pricing/1+2026-11");

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

/// <summary>The built-in pricing agent answering as a model-backed agent whose model reports its usage would.</summary>
internal sealed class UsageReportingAgent(IDecisionAgent inner) : IDecisionAgent
{
    public UseCase UseCase => inner.UseCase;

    public string Implementation => inner.Implementation;

    public async Task<AgentProposal> ProposeAsync(JsonObject inputs, CancellationToken cancellationToken)
    {
        var proposal = await inner.ProposeAsync(inputs, cancellationToken);
        return inputs["customer"]?.GetValue<string>().StartsWith(TraceHost.UsageReportingCustomer, StringComparison.Ordinal) == true
            ? proposal with { Usage = TraceHost.Usage }
            : proposal;
    }
}
