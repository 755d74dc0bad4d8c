using AgentConsole.Domain.Audit;
using AgentConsole.Domain.Persistence;
using AgentConsole.Domain.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace AgentConsole.Domain.Training.Tracks;

/// <summary>A track in a list: its settings, state and size.</summary>
public sealed record TrackListItem(Guid Id, string Key, int Version, string Name, string CertificationKey, TrackState State, int Exercises, int Scenarios, DateTimeOffset UpdatedAt);

/// <summary>
/// Trainers build their tenant's tracks: create one, change a draft's settings, add exercises, publish, retire, and
/// start the next version of a published track. Each change is saved with its audit entry in one transaction.
/// Only trainers (<see cref="Permissions.ManageTraining"/>) of the track's own tenant; another tenant's track does not exist.
/// </summary>
public sealed class TrackAuthoring(IAgentConsoleDbFactory dbs, TimeProvider clock)
{
    public async Task<IReadOnlyList<TrackListItem>> ListAsync(Actor trainer, CancellationToken cancellationToken = default)
    {
        Require(trainer);
        await using var db = dbs.Create();
        var tracks = await db.TrainingTracks.AsNoTracking().Where(t => t.TenantId == trainer.TenantId)
            .Include(t => t.Exercises).ThenInclude(e => e.Scenarios).AsSplitQuery().ToListAsync(cancellationToken);
        return [.. tracks.OrderBy(t => t.Name, StringComparer.CurrentCultureIgnoreCase).ThenByDescending(t => t.Version)
            .Select(t => new TrackListItem(t.Id, t.Key, t.Version, t.Name, t.CertificationKey, t.State, t.Exercises.Count, t.ScenarioCount, t.UpdatedAt))];
    }

    public async Task<Track> GetAsync(Guid trackId, Actor trainer, CancellationToken cancellationToken = default)
    {
        Require(trainer);
        await using var db = dbs.Create();
        return await LoadAsync(db, trackId, trainer, tracking: false, cancellationToken);
    }

    public async Task<Track> CreateAsync(TrackSettings settings, Actor trainer, CancellationToken cancellationToken = default)
    {
        Require(trainer);
        var now = clock.GetUtcNow();
        var track = new Track(Guid.NewGuid(), trainer.TenantId, settings, trainer.Name, now);
        await using var db = dbs.Create();
        if (await db.TrainingTracks.AnyAsync(t => t.TenantId == trainer.TenantId && t.Key == settings.Key, cancellationToken))
        {
            throw KeyTaken(settings.Key);
        }

        db.TrainingTracks.Add(track);
        db.AuditEntries.Add(AuditEntry.Record(trainer, "training.track-created", "training-track", track.Id.ToString(), null, null, track.Snapshot(), now));
        await SaveAsync(db, cancellationToken);
        return track;
    }

    public Task<Track> ChangeAsync(Guid trackId, TrackSettings settings, int? expectedRevision, Actor trainer, CancellationToken cancellationToken = default) =>
        ActAsync(trackId, trainer, expectedRevision, "training.track-changed", async (db, track, now) =>
        {
            if (settings.Key != track.Key && await db.TrainingTracks.AnyAsync(t => t.TenantId == trainer.TenantId && t.Key == settings.Key, cancellationToken))
            {
                throw KeyTaken(settings.Key);
            }

            track.Change(settings, now);
        }, cancellationToken);

    public Task<Track> AddExerciseAsync(Guid trackId, string title, string instructions, Actor trainer, CancellationToken cancellationToken = default) =>
        ActAsync(trackId, trainer, null, "training.exercise-added", (_, track, now) =>
        {
            track.AddExercise(Guid.NewGuid(), title, instructions, now);
            return Task.CompletedTask;
        }, cancellationToken);

    public Task<Track> PublishAsync(Guid trackId, Actor trainer, CancellationToken cancellationToken = default) =>
        ActAsync(trackId, trainer, null, "training.track-published", async (db, track, now) =>
        {
            track.Publish(now);

            // One published version per track: publishing the next retires the one trainees worked before.
            var earlier = await db.TrainingTracks.Where(t => t.TenantId == trainer.TenantId && t.Key == track.Key && t.Id != track.Id && t.State == TrackState.Published)
                .ToListAsync(cancellationToken);
            foreach (var old in earlier)
            {
                old.Retire(now);
                db.AuditEntries.Add(AuditEntry.Record(trainer, "training.track-retired", "training-track", old.Id.ToString(),
                    $"Replaced by version {track.Version}", null, old.Snapshot(), now));
            }
        }, cancellationToken);

    public Task<Track> RetireAsync(Guid trackId, Actor trainer, CancellationToken cancellationToken = default) =>
        ActAsync(trackId, trainer, null, "training.track-retired", (_, track, now) =>
        {
            track.Retire(now);
            return Task.CompletedTask;
        }, cancellationToken);

    /// <summary>Starts the next version of a published or retired track as a draft copy; only one draft per track at a time.</summary>
    public async Task<Track> StartNextVersionAsync(Guid trackId, Actor trainer, CancellationToken cancellationToken = default)
    {
        Require(trainer);
        await using var db = dbs.Create();
        var track = await LoadAsync(db, trackId, trainer, tracking: false, cancellationToken);
        var versions = await db.TrainingTracks.Where(t => t.TenantId == trainer.TenantId && t.Key == track.Key).Select(t => new { t.Id, t.Version, t.State }).ToListAsync(cancellationToken);
        if (versions.FirstOrDefault(v => v.State == TrackState.Draft) is { } draft)
        {
            throw DomainException.Conflict("training.draft-exists", $"Version {draft.Version} of this track is already a draft: change that one.");
        }

        var now = clock.GetUtcNow();
        var next = track.NextVersion(Guid.NewGuid, versions.Max(v => v.Version) + 1, trainer.Name, now);
        db.TrainingTracks.Add(next);
        db.AuditEntries.Add(AuditEntry.Record(trainer, "training.track-version-started", "training-track", next.Id.ToString(),
            $"Copy of version {track.Version}", null, next.Snapshot(), now));
        await SaveAsync(db, cancellationToken);
        return next;
    }

    internal static async Task<Track> LoadAsync(AgentConsoleDbContext db, Guid trackId, Actor trainer, bool tracking, CancellationToken cancellationToken)
    {
        var query = db.TrainingTracks.Include(t => t.Exercises).ThenInclude(e => e.Scenarios).AsSplitQuery();
        var track = await (tracking ? query : query.AsNoTracking()).SingleOrDefaultAsync(t => t.Id == trackId, cancellationToken);

        // The tenant filter already hides other tenants' tracks; the explicit check keeps it so should the filter ever be bypassed.
        return track is null || track.TenantId != trainer.TenantId
            ? throw DomainException.NotFound("training.track-not-found", "This training track does not exist.")
            : track;
    }

    internal static void Require(Actor trainer)
    {
        if (!trainer.Can(Permissions.ManageTraining))
        {
            throw DomainException.Forbidden("training.role", "Only a trainer may build training tracks.");
        }
    }

    private async Task<Track> ActAsync(Guid trackId, Actor trainer, int? expectedRevision, string action, Func<AgentConsoleDbContext, Track, DateTimeOffset, Task> change, CancellationToken cancellationToken)
    {
        Require(trainer);
        await using var db = dbs.Create();
        var track = await LoadAsync(db, trackId, trainer, tracking: true, cancellationToken);
        if (expectedRevision is { } expected && expected != track.Revision)
        {
            throw DomainException.Conflict("training.track-changed", "Someone else changed this track since you opened it. Nothing was saved; reload to see the change.");
        }

        var before = track.Snapshot();
        var now = clock.GetUtcNow();
        await change(db, track, now);
        db.AuditEntries.Add(AuditEntry.Record(trainer, action, "training-track", track.Id.ToString(), null, before, track.Snapshot(), now));
        await SaveAsync(db, cancellationToken);
        return track;
    }

    private static async Task SaveAsync(AgentConsoleDbContext db, CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            throw DomainException.Conflict("training.track-changed", "Someone else changed this track at the same moment. Nothing was saved; reload to see the change.");
        }
    }

    private static DomainException KeyTaken(string key) =>
        DomainException.Invalid("training.track-key-taken", $"Your organisation already has a track with the key '{key}'.",
            new Dictionary<string, string[]> { ["key"] = [$"Already used by another track: choose another key, or start a new version of that track."] });
}
