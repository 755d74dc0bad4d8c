using AgentConsole.Domain.Persistence;
using Microsoft.EntityFrameworkCore;

namespace AgentConsole.Domain.Policies;

/// <summary>What a scope's documents are checked against: its use case's agents and queues.</summary>
public static class PolicyContexts
{
    public static async Task<PolicyContext> LoadAsync(AgentConsoleDbContext db, PolicyScope scope, CancellationToken cancellationToken)
    {
        var agents = await db.Agents.AsNoTracking().Where(a => a.TenantId == scope.TenantId && a.UseCase == scope.UseCase)
            .Select(a => a.Key).OrderBy(k => k).ToListAsync(cancellationToken);
        var queues = await db.Queues.AsNoTracking().Where(q => q.TenantId == scope.TenantId && q.UseCase == scope.UseCase)
            .Select(q => new { q.Key, q.Tier, Escalates = q.EscalatesToQueueId != null, q.AllowedRolesCsv }).ToListAsync(cancellationToken);
        // Tracks are published for a use case when their scenarios are of it; calibration may name one as its source of gold items.
        var tracks = await db.TrainingTracks.AsNoTracking().Where(t => t.TenantId == scope.TenantId && t.State == Training.Tracks.TrackState.Published
                && db.TrainingExercises.Any(e => e.TrackId == t.Id && db.TrainingScenarios.Any(s => s.ExerciseId == e.Id && s.UseCase == scope.UseCase)))
            .Select(t => t.Key).Distinct().ToListAsync(cancellationToken);
        return new PolicyContext(scope.UseCase, scope.Kind == PolicyScopeKind.Agent ? scope.Key : null, agents,
            [.. queues.OrderBy(q => q.Tier).Select(q => new PolicyQueue(q.Key, q.Tier, q.Escalates, q.AllowedRolesCsv.Split(',', StringSplitOptions.RemoveEmptyEntries)))],
            [.. tracks.Order(StringComparer.Ordinal)]);
    }
}
