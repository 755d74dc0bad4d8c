using AgentConsole.Domain.Persistence;
using AgentConsole.Domain.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace AgentConsole.Domain.Audit;

/// <summary>A verification run in a history list (its findings are on the full record).</summary>
public sealed record AuditVerificationSummary(
    Guid Id, DateTimeOffset StartedAt, DateTimeOffset FinishedAt, string RequestedBy, ActorKind RequestedByKind, long FirstSequence, long LastSequence,
    long EntriesChecked, int CheckpointsChecked, AuditVerificationOutcome Outcome, int FindingCount, string? Problem);

/// <summary>How a tenant's chain is checkpointed: where, under which origin and key, and how far.</summary>
public sealed record AuditCheckpointSetup(
    string Origin, string Location, string? VerifierKey, string? PublicKey, string? KeyProblem, long ChainSize, long? LatestCheckpointSize, int EveryMinutes);

/// <summary>
/// The verification results of the caller's tenant — the latest with its findings, and the history — and how its
/// checkpoints are kept. Other pages (the auditor's workspace) read the latest result here.
/// </summary>
public sealed class AuditVerificationQueries(
    IAgentConsoleDbFactory dbs,
    CheckpointKeys keys,
    ICheckpointStore store,
    AuditCheckpoints checkpoints,
    Microsoft.Extensions.Options.IOptions<AuditOptions> options)
{
    /// <summary>The latest verification of the viewer's tenant, with its findings; null before the first.</summary>
    public async Task<AuditVerification?> LatestAsync(Actor viewer, CancellationToken cancellationToken = default)
    {
        Require(viewer);
        await using var db = dbs.Create();
        return await db.AuditVerifications.AsNoTracking().Where(v => v.TenantId == viewer.TenantId)
            .OrderByDescending(v => v.StartedAt).FirstOrDefaultAsync(cancellationToken);
    }

    /// <summary>One verification of the viewer's tenant, with its findings.</summary>
    public async Task<AuditVerification?> GetAsync(Actor viewer, Guid id, CancellationToken cancellationToken = default)
    {
        Require(viewer);
        await using var db = dbs.Create();
        return await db.AuditVerifications.AsNoTracking().SingleOrDefaultAsync(v => v.Id == id && v.TenantId == viewer.TenantId, cancellationToken);
    }

    /// <summary>The latest verifications of the viewer's tenant, newest first.</summary>
    public async Task<IReadOnlyList<AuditVerificationSummary>> HistoryAsync(Actor viewer, int take = 50, CancellationToken cancellationToken = default)
    {
        Require(viewer);
        await using var db = dbs.Create();
        return await db.AuditVerifications.AsNoTracking().Where(v => v.TenantId == viewer.TenantId)
            .OrderByDescending(v => v.StartedAt).Take(Math.Clamp(take, 1, 500))
            .Select(v => new AuditVerificationSummary(v.Id, v.StartedAt, v.FinishedAt, v.RequestedBy, v.RequestedByKind, v.FirstSequence, v.LastSequence,
                v.EntriesChecked, v.CheckpointsChecked, v.Outcome, v.FindingCount, v.Problem))
            .ToListAsync(cancellationToken);
    }

    /// <summary>How the viewer's tenant's chain is checkpointed, and the key that verifies it.</summary>
    public async Task<AuditCheckpointSetup> CheckpointSetupAsync(Actor viewer, CancellationToken cancellationToken = default)
    {
        Require(viewer);
        await using var db = dbs.Create();
        var slug = await db.Tenants.AsNoTracking().Where(t => t.Id == viewer.TenantId).Select(t => t.Slug).SingleAsync(cancellationToken);
        var size = await db.AuditChainHeads.AsNoTracking().Where(h => h.TenantId == viewer.TenantId).Select(h => (long?)h.Sequence).SingleOrDefaultAsync(cancellationToken) ?? 0;
        var origin = checkpoints.Origin(slug);
        string? verifierKey = null, publicKey = null, problem = null;
        try
        {
            verifierKey = keys.VerifierKey(origin);
            publicKey = keys.PublicKeyBase64;
        }
        catch (CheckpointKeyException ex)
        {
            problem = ex.Message;
        }

        return new AuditCheckpointSetup(origin, store.Describe(slug), verifierKey, publicKey, problem, size, store.LatestSize(slug), options.Value.CheckpointEveryMinutes);
    }

    private static void Require(Actor viewer)
    {
        if (!viewer.Can(Permissions.VerifyAudit))
        {
            throw DomainException.Forbidden("audit.role", "Your role may not see the audit trail's verification.");
        }
    }
}
