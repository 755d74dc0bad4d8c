using AgentConsole.Domain.Persistence;
using AgentConsole.Domain.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AgentConsole.Domain.Training.Sessions;

/// <summary>
/// Ends every tenant's exams whose time ran out while nobody had them open, so their score is final and a pass grants
/// its certification without waiting for the trainee to come back. Each exam ends in its own tenant's scope.
/// </summary>
public sealed class ExamTimeouts(DatabaseProvider provider, IServiceScopeFactory scopes, TimeProvider clock)
{
    /// <summary>Ends the exams whose time ran out; returns how many it ended.</summary>
    public async Task<int> EndTimedOutAsync(CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        List<(Guid Id, Guid TenantId)> due;
        await using (var db = provider.Create(new TenantContext()))
        {
            // Open exams are few; their deadlines are compared here, as SQLite cannot compare DateTimeOffset columns.
            var open = await db.TrainingSessions.IgnoreQueryFilters().AsNoTracking().Where(s => s.EndedAt == null && s.Deadline != null)
                .Select(s => new { s.Id, s.TenantId, s.Deadline }).ToListAsync(cancellationToken);
            due = [.. open.Where(s => s.Deadline <= now).Select(s => (s.Id, s.TenantId))];
        }

        var ended = 0;
        foreach (var (id, tenantId) in due)
        {
            await using var scope = scopes.CreateAsyncScope();
            scope.ServiceProvider.GetRequiredService<TenantContext>().Use(tenantId);
            try
            {
                ended += await scope.ServiceProvider.GetRequiredService<TrainingSessions>().EndIfTimeRanOutAsync(id, cancellationToken) ? 1 : 0;
            }
            catch (DomainException)
            {
                // The trainee answered or finished at this very moment: their change won; the next sweep looks again.
            }
        }

        return ended;
    }
}
