using AgentConsole.Domain.Tenancy;

namespace AgentConsole.Domain.Audit;

/// <summary>
/// One audit entry as a reader sees it: who did what to which entity, why, and the state before and after (JSON
/// snapshots), with the case values the routing policy hides from the reader redacted (<c>•••</c>).
/// </summary>
/// <param name="Id">The entry's row id, unique across tenants.</param>
/// <param name="Sequence">Its place in the tenant's hash chain, from 1 in the order entries were written (verification names entries by it: <c>#1234</c>).</param>
/// <param name="Hash">The chain hash the entry was sealed with (64 hex digits), to match against a verification or a checkpoint.</param>
/// <param name="TraceId">The W3C trace (32 hex digits) the change happened in, when one was recorded.</param>
public sealed record AuditRecord(
    long Id, long Sequence, string Hash, DateTimeOffset At, ActorKind ActorKind, string ActorId, string ActorName, string Action, string EntityType, string EntityId,
    string? Reason, string? BeforeJson, string? AfterJson, string? TraceId)
{
    /// <summary>The decision the entry is about, when it names one.</summary>
    public Guid? DecisionId => EntityType == AuditEntityTypes.Decision && Guid.TryParse(EntityId, out var id) ? id : null;
}

/// <summary>One page of an audit search, newest first.</summary>
/// <param name="Page">The page shown, from 1.</param>
/// <param name="Total">How many entries match the search in all.</param>
/// <param name="RunDecisions">For the runs on the page that proposed a decision: run id → decision id, so a run links to its decision.</param>
public sealed record AuditSearchResult(IReadOnlyList<AuditRecord> Entries, int Page, int PageSize, int Total, IReadOnlyDictionary<Guid, Guid> RunDecisions)
{
    public int Pages => Total == 0 ? 1 : (Total + PageSize - 1) / PageSize;

    /// <summary>The decision an entry leads to: its own, or its run's.</summary>
    public Guid? DecisionOf(AuditRecord entry) =>
        entry.DecisionId ?? (entry.EntityType == AuditEntityTypes.Run && Guid.TryParse(entry.EntityId, out var run) && RunDecisions.TryGetValue(run, out var d) ? d : null);
}
