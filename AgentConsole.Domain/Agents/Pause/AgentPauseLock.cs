using AgentConsole.Domain.Persistence;
using Microsoft.EntityFrameworkCore;

namespace AgentConsole.Domain.Agents.Pause;

/// <summary>
/// Reads an agent's pause state in the transaction that will create its decision (or hold its run). The agent's row
/// is locked by a no-op update first, so a pause or resume committing meanwhile waits for this unit of work (or this
/// one reads what it committed): every proposal sees one pause state, and a resume finds every run held before it.
/// </summary>
public static class AgentPauseLock
{
    public static async Task ReadInTransactionAsync(AgentConsoleDbContext db, Agent agent, CancellationToken cancellationToken)
    {
        if (db.Database.CurrentTransaction is null)
        {
            await db.Database.BeginTransactionAsync(cancellationToken);
        }

        await db.Agents.Where(a => a.Id == agent.Id).ExecuteUpdateAsync(s => s.SetProperty(a => a.PauseVersion, a => a.PauseVersion), cancellationToken);
        await db.Entry(agent).ReloadAsync(cancellationToken);
    }

    /// <summary>Commits the transaction <see cref="ReadInTransactionAsync"/> began, once the decision (or the hold) is saved.</summary>
    public static async Task CommitAsync(AgentConsoleDbContext db, CancellationToken cancellationToken)
    {
        if (db.Database.CurrentTransaction is { } transaction)
        {
            await transaction.CommitAsync(cancellationToken);
        }
    }

    /// <summary>Ends the transaction without saving, when routing failed: the failed attempt is recorded in a unit of work of its own.</summary>
    public static async Task RollbackAsync(AgentConsoleDbContext db, CancellationToken cancellationToken)
    {
        if (db.Database.CurrentTransaction is { } transaction)
        {
            await transaction.RollbackAsync(cancellationToken);
            await transaction.DisposeAsync();
        }
    }
}
