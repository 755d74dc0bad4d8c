using AgentConsole.Domain.Persistence;
using AgentConsole.Domain.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AgentConsole.Domain.Execution;

/// <summary>How an injected fault behaves.</summary>
public enum ErpFault
{
    /// <summary>The call fails and nothing is applied.</summary>
    FailBeforeApply,
    /// <summary>The action is applied but the answer is lost.</summary>
    LoseAnswerAfterApply,
}

/// <summary>Switches that make the simulated ERP fail, for demos and fault tests.</summary>
public sealed class SimulatedErpFaults(IOptions<ExecutionOptions> options)
{
    private readonly Lock _gate = new();
    private readonly Queue<ErpFault> _next = new();

    /// <summary>While set and in the future, every call fails before applying.</summary>
    public DateTimeOffset? OutageUntil { get; private set; }

    /// <summary>Random failures from the options; tests turn them off.</summary>
    public bool RandomFailures { get; set; } = true;

    public void FailNext(int count, ErpFault fault)
    {
        lock (_gate)
        {
            for (var i = 0; i < count; i++)
            {
                _next.Enqueue(fault);
            }
        }
    }

    public void StartOutage(DateTimeOffset until) => OutageUntil = until;

    public void EndOutage() => OutageUntil = null;

    internal ErpFault? Draw(DateTimeOffset now)
    {
        if (OutageUntil is { } until && until > now)
        {
            return ErpFault.FailBeforeApply;
        }

        lock (_gate)
        {
            if (_next.TryDequeue(out var fault))
            {
                return fault;
            }
        }

        if (!RandomFailures)
        {
            return null;
        }

        var roll = Random.Shared.NextDouble();
        var o = options.Value;
        return roll < o.FailureRate ? ErpFault.FailBeforeApply
            : roll < o.FailureRate + o.LostAnswerRate ? ErpFault.LoseAnswerAfterApply
            : null;
    }
}

/// <summary>A posting in the simulated ERP. The unique idempotency key is what makes repeats harmless.</summary>
public sealed class ErpLedgerEntry : ITenantOwned
{
    private ErpLedgerEntry()
    {
    }

    public ErpLedgerEntry(Guid id, Guid tenantId, string idempotencyKey, string action, string payloadJson, string externalReference, DateTimeOffset appliedAt)
    {
        Id = id;
        TenantId = tenantId;
        IdempotencyKey = idempotencyKey;
        Action = action;
        PayloadJson = payloadJson;
        ExternalReference = externalReference;
        AppliedAt = appliedAt;
    }

    public Guid Id { get; private set; }

    public Guid TenantId { get; private set; }

    public string IdempotencyKey { get; private set; } = "";

    public string Action { get; private set; } = "";

    public string PayloadJson { get; private set; } = "{}";

    public string ExternalReference { get; private set; } = "";

    public DateTimeOffset AppliedAt { get; private set; }

    public DateTimeOffset? ReversedAt { get; private set; }

    public void Reverse(DateTimeOffset at) => ReversedAt ??= at;
}

/// <summary>
/// A simulated ERP/CRM that keeps its postings in its own ledger table, written in its own
/// transaction (as a remote system would), and fails on demand through <see cref="SimulatedErpFaults"/>.
/// </summary>
public sealed class SimulatedErpConnector(IServiceScopeFactory scopes, SimulatedErpFaults faults, TimeProvider clock) : IExecutionConnector
{
    public string Name => "Simulated ERP";

    public async Task<ExecutionReceipt> ExecuteAsync(ExecutionRequest request, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var fault = faults.Draw(now);
        if (fault == ErpFault.FailBeforeApply)
        {
            throw new ConnectorException($"{Name} is unavailable (HTTP 503).");
        }

        await using var scope = scopes.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantContext>().Use(request.TenantId);
        await using var db = scope.ServiceProvider.GetRequiredService<IAgentConsoleDbFactory>().Create();

        var existing = await db.ErpLedger.SingleOrDefaultAsync(e => e.IdempotencyKey == request.IdempotencyKey, cancellationToken);
        if (existing is not null)
        {
            return existing.ReversedAt is null
                ? new ExecutionReceipt(existing.ExternalReference, AlreadyApplied: true)
                : throw new ConnectorException($"{Name} reversed posting {existing.ExternalReference} earlier; it will not be applied again.");
        }

        var entry = new ErpLedgerEntry(Guid.NewGuid(), request.TenantId, request.IdempotencyKey, ActionName(request), request.ValuesJson,
            $"ERP-{now:yyMMdd}-{Random.Shared.Next(100000, 999999)}", now);
        db.ErpLedger.Add(entry);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Another attempt with the same key won the insert: answer with its posting.
            db.ChangeTracker.Clear();
            var winner = await db.ErpLedger.SingleAsync(e => e.IdempotencyKey == request.IdempotencyKey, cancellationToken);
            return new ExecutionReceipt(winner.ExternalReference, AlreadyApplied: true);
        }

        if (fault == ErpFault.LoseAnswerAfterApply)
        {
            throw new ConnectorException($"{Name} did not answer within 30 s (the posting may have been applied).");
        }

        return new ExecutionReceipt(entry.ExternalReference, AlreadyApplied: false);
    }

    public async Task<bool> CompensateAsync(ExecutionRequest request, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantContext>().Use(request.TenantId);
        await using var db = scope.ServiceProvider.GetRequiredService<IAgentConsoleDbFactory>().Create();
        var entry = await db.ErpLedger.SingleOrDefaultAsync(e => e.IdempotencyKey == request.IdempotencyKey, cancellationToken);
        if (entry is null || entry.ReversedAt is not null)
        {
            return false;
        }

        entry.Reverse(clock.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);
        return true;
    }

    private static string ActionName(ExecutionRequest request) => request.UseCase switch
    {
        Agents.UseCase.PartnerOnboarding => "partner.onboarding.apply",
        Agents.UseCase.DynamicPricing => "quote.discount.apply",
        Agents.UseCase.ContractReview => "contract.clause.apply",
        _ => "invoice.payment.apply",
    };
}
