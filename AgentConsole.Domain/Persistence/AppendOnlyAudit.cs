using System.Linq.Expressions;
using AgentConsole.Domain.Audit;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace AgentConsole.Domain.Persistence;

/// <summary>A change to a saved audit entry was attempted; the product never changes or deletes one.</summary>
public sealed class AuditEntryChangeRefusedException(string message) : InvalidOperationException(message);

/// <summary>
/// Keeps audit entries append-only in the data layer: a save that would change or delete a saved entry is refused,
/// and so is a bulk update or delete of entries. The one change a saved entry may see is its sealing, once, when it
/// was written before the chain existed (the start-up back-fill fills its hashes and nothing else).
/// </summary>
internal static class AppendOnlyAudit
{
    private static readonly HashSet<string> SealingProperties = [nameof(AuditEntry.PreviousHash), nameof(AuditEntry.Hash)];

    /// <summary>The audit entries this save adds; refuses the save if it would change or delete a saved one.</summary>
    public static List<AuditEntry> AddedEntries(ChangeTracker changes)
    {
        var added = new List<AuditEntry>();
        foreach (var entry in changes.Entries<AuditEntry>())
        {
            switch (entry.State)
            {
                case EntityState.Added:
                    added.Add(entry.Entity);
                    break;
                case EntityState.Deleted:
                    throw new AuditEntryChangeRefusedException(
                        $"Audit entry {entry.Entity.Id} cannot be deleted: the audit trail is append-only, for everyone, admins included.");
                case EntityState.Modified when !IsSealing(entry):
                    throw new AuditEntryChangeRefusedException(
                        $"Audit entry {entry.Entity.Id} cannot be changed ({string.Join(", ", entry.Properties.Where(p => p.IsModified).Select(p => p.Metadata.Name))}): the audit trail is append-only, for everyone, admins included.");
            }
        }

        return added;
    }

    private static bool IsSealing(EntityEntry<AuditEntry> entry) =>
        entry.OriginalValues.GetValue<byte[]>(nameof(AuditEntry.Hash)).Length == 0
        && entry.Properties.Where(p => p.IsModified).All(p => SealingProperties.Contains(p.Metadata.Name));

    /// <summary>Refuses <c>ExecuteUpdate</c> and <c>ExecuteDelete</c> over audit entries before any SQL is sent.</summary>
    public sealed class BulkChangeGuard : IQueryExpressionInterceptor
    {
        public static readonly BulkChangeGuard Instance = new();

        public Expression QueryCompilationStarting(Expression queryExpression, QueryExpressionEventData eventData)
        {
            if (queryExpression is MethodCallExpression { Method.Name: var name } call
                && name.StartsWith("Execute", StringComparison.Ordinal)
                && (name.Contains("Update", StringComparison.Ordinal) || name.Contains("Delete", StringComparison.Ordinal))
                && call.Method.IsGenericMethod && call.Method.GetGenericArguments()[0] == typeof(AuditEntry))
            {
                throw new AuditEntryChangeRefusedException("Audit entries cannot be updated or deleted in bulk: the audit trail is append-only, for everyone, admins included.");
            }

            return queryExpression;
        }
    }
}
