using System.Text.Json;
using AgentConsole.Domain.Tenancy;

namespace AgentConsole.Domain.Audit;

/// <summary>One recorded state change: who did what to which entity, why, and the state before and after.</summary>
public sealed class AuditEntry : ITenantOwned
{
    private static readonly JsonSerializerOptions SnapshotJson = new() { WriteIndented = false };

    private AuditEntry()
    {
    }

    public long Id { get; private set; }

    public Guid TenantId { get; private set; }

    public DateTimeOffset At { get; private set; }

    public ActorKind ActorKind { get; private set; }

    public string ActorId { get; private set; } = "";

    public string ActorName { get; private set; } = "";

    /// <summary>What happened, e.g. <c>decision.approved</c>.</summary>
    public string Action { get; private set; } = "";

    public string EntityType { get; private set; } = "";

    public string EntityId { get; private set; } = "";

    public string? Reason { get; private set; }

    public string? BeforeJson { get; private set; }

    public string? AfterJson { get; private set; }

    /// <summary>The trace the change happened in.</summary>
    public string? TraceId { get; private set; }

    public static AuditEntry Record(Actor actor, string action, string entityType, string entityId, string? reason, object? before, object? after, DateTimeOffset at) =>
        new()
        {
            TenantId = actor.TenantId,
            At = at,
            ActorKind = actor.Kind,
            ActorId = actor.Id,
            ActorName = actor.Name,
            Action = action,
            EntityType = entityType,
            EntityId = entityId,
            Reason = reason?.Trim(),
            BeforeJson = before is null ? null : JsonSerializer.Serialize(before, SnapshotJson),
            AfterJson = after is null ? null : JsonSerializer.Serialize(after, SnapshotJson),
            TraceId = System.Diagnostics.Activity.Current?.TraceId.ToString(),
        };
}
