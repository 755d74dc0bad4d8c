using AgentConsole.Domain.Agents;

namespace AgentConsole.Domain.Execution;

/// <summary>An approved action to carry out in a business system. The key makes a repeat harmless.</summary>
public sealed record ExecutionRequest(Guid TenantId, string IdempotencyKey, UseCase UseCase, string Subject, string ValuesJson);

/// <summary>What the business system answered.</summary>
public sealed record ExecutionReceipt(string ExternalReference, bool AlreadyApplied);

/// <summary>
/// Carries out approved decisions in an ERP or CRM. Implementations must be idempotent by
/// <see cref="ExecutionRequest.IdempotencyKey"/>: a retry after a lost answer must not apply twice.
/// </summary>
public interface IExecutionConnector
{
    string Name { get; }

    /// <summary>Applies the action, or returns the earlier receipt for the same key.</summary>
    /// <exception cref="ConnectorException">The system failed or did not answer; the call may be retried.</exception>
    Task<ExecutionReceipt> ExecuteAsync(ExecutionRequest request, CancellationToken cancellationToken);

    /// <summary>Reverses whatever the key applied. Returns whether anything was reversed.</summary>
    Task<bool> CompensateAsync(ExecutionRequest request, CancellationToken cancellationToken);
}

/// <summary>A business system failed or did not answer in time.</summary>
#pragma warning disable CA1032 // Always built with a message that names the system and the failure.
public sealed class ConnectorException(string message) : Exception(message);
#pragma warning restore CA1032
