using AgentConsole.Domain.Agents;
using AgentConsole.Domain.Persistence;
using DiffPlex;
using DiffPlex.DiffBuilder;
using DiffPlex.DiffBuilder.Model;
using Microsoft.EntityFrameworkCore;

namespace AgentConsole.Domain.Policies;

/// <summary>A policy scope as the list shows it.</summary>
public sealed record PolicyScopeSummary(
    Guid Id, PolicyScopeKind Kind, string Key, string Name, UseCase UseCase,
    int? ActiveNumber, DateTimeOffset? ActiveSince, int? ScheduledNumber, DateTimeOffset? ScheduledFrom,
    int AwaitingReview, int Drafts, DateTimeOffset? LastChange);

/// <summary>A version in a scope's history.</summary>
public sealed record PolicyVersionSummary(
    Guid Id, int Number, PolicyVersionStatus Status, string AuthorId, string AuthorName, string ChangeNote,
    DateTimeOffset CreatedAt, DateTimeOffset? SubmittedAt, DateTimeOffset? EffectiveFrom, DateTimeOffset? ActivatedAt, DateTimeOffset? SupersededAt,
    int Approvals, int ApprovalsRequired, int? RestoresNumber, bool IsEmergency);

/// <summary>A scope with its whole version history, newest first.</summary>
public sealed record PolicyScopeDetail(PolicyScopeSummary Scope, IReadOnlyList<PolicyVersionSummary> Versions);

/// <summary>One version, everything a reader or reviewer needs.</summary>
public sealed record PolicyVersionDetail(
    PolicyScopeSummary Scope, PolicyVersionSummary Summary, string Document, int ConcurrencyVersion,
    IReadOnlyList<PolicyApproval> Approvals, IReadOnlyList<PolicyVersionEvent> Events, Guid? ActiveVersionId, Guid? PreviousVersionId)
{
    /// <summary>For an agent's own policy with nothing in force yet: its use case's version, which routes the agent today.</summary>
    public Guid? FallbackVersionId { get; init; }

    /// <summary>
    /// What a reader compares this version with: while it is under way, what routes its decisions
    /// today; else the version before it.
    /// </summary>
    public Guid? BaselineId => Summary.Status is PolicyVersionStatus.Draft or PolicyVersionStatus.Submitted or PolicyVersionStatus.Scheduled && ActiveVersionId != Summary.Id
        ? ActiveVersionId ?? FallbackVersionId ?? PreviousVersionId
        : PreviousVersionId ?? FallbackVersionId;
}

/// <summary>How a line of a side-by-side diff changed.</summary>
public enum DiffLineKind
{
    Unchanged,
    Removed,
    Added,
    Modified,
    Blank,
}

/// <summary>One row of a side-by-side diff: the old line on the left, the new one on the right.</summary>
public sealed record DiffRow(int? OldNumber, string OldText, DiffLineKind OldKind, int? NewNumber, string NewText, DiffLineKind NewKind);

/// <summary>Two versions side by side.</summary>
public sealed record PolicyDiff(PolicyVersionSummary From, PolicyVersionSummary To, IReadOnlyList<DiffRow> Rows, int Added, int Removed, int Modified);

/// <summary>Reads policies: the list, a scope's history, one version, the diff of two.</summary>
public sealed class PolicyQueries(IAgentConsoleDbFactory dbs, TimeProvider clock)
{
    public async Task<IReadOnlyList<PolicyScopeSummary>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var db = dbs.Create();
        var scopes = await db.PolicyScopes.AsNoTracking().ToListAsync(cancellationToken);
        var versions = await HeadsAsync(db.PolicyVersions, cancellationToken);
        return [.. scopes
            .Select(s => Summarise(s, [.. versions.Where(v => v.ScopeId == s.Id)]))
            .OrderBy(s => s.UseCase).ThenBy(s => s.Kind).ThenBy(s => s.Name, StringComparer.Ordinal)];
    }

    public async Task<PolicyScopeDetail?> ScopeAsync(Guid scopeId, CancellationToken cancellationToken = default)
    {
        await using var db = dbs.Create();
        var scope = await db.PolicyScopes.AsNoTracking().SingleOrDefaultAsync(s => s.Id == scopeId, cancellationToken);
        if (scope is null)
        {
            return null;
        }

        var versions = await db.PolicyVersions.AsNoTracking().Include(v => v.Approvals).Where(v => v.ScopeId == scopeId).ToListAsync(cancellationToken);
        return new PolicyScopeDetail(
            Summarise(scope, [.. versions.Select(v => new VersionHead(v.ScopeId, v.Id, v.Number, v.Status, v.ActivatedAt, v.UpdatedAt))]),
            [.. versions.OrderByDescending(v => v.Number).Select(Summary)]);
    }

    public async Task<PolicyVersionDetail?> VersionAsync(Guid versionId, CancellationToken cancellationToken = default)
    {
        await using var db = dbs.Create();
        var version = await db.PolicyVersions.AsNoTracking().Include(v => v.Approvals).Include(v => v.Events)
            .SingleOrDefaultAsync(v => v.Id == versionId, cancellationToken);
        if (version is null)
        {
            return null;
        }

        var scope = await db.PolicyScopes.AsNoTracking().SingleAsync(s => s.Id == version.ScopeId, cancellationToken);
        var siblings = await HeadsAsync(db.PolicyVersions.Where(v => v.ScopeId == scope.Id), cancellationToken);
        var fallback = scope.Kind == PolicyScopeKind.Agent && scope.ActiveVersionId is null
            ? await PolicyDecisionRouter.InForceAsync(db, scope, clock.GetUtcNow(), cancellationToken)
            : null;

        return new PolicyVersionDetail(
            Summarise(scope, siblings),
            Summary(version), version.Document, version.Version,
            [.. version.Approvals.OrderBy(a => a.At)], [.. version.Events.OrderBy(e => e.At)], scope.ActiveVersionId,
            siblings.Where(v => v.Number < version.Number).OrderByDescending(v => v.Number).Select(v => (Guid?)v.Id).FirstOrDefault())
        {
            FallbackVersionId = fallback,
        };
    }

    /// <summary>Submitted versions waiting for board approval, oldest first.</summary>
    public async Task<IReadOnlyList<(PolicyScopeSummary Scope, PolicyVersionSummary Version)>> AwaitingReviewAsync(CancellationToken cancellationToken = default)
    {
        var scopes = await ListAsync(cancellationToken);
        await using var db = dbs.Create();
        var submitted = await db.PolicyVersions.AsNoTracking().Include(v => v.Approvals)
            .Where(v => v.Status == PolicyVersionStatus.Submitted).ToListAsync(cancellationToken);
        return [.. submitted.OrderBy(v => v.SubmittedAt).Select(v => (scopes.Single(s => s.Id == v.ScopeId), Summary(v)))];
    }

    /// <summary>Two versions of one scope side by side; lines are compared as text.</summary>
    public async Task<PolicyDiff?> DiffAsync(Guid fromVersionId, Guid toVersionId, CancellationToken cancellationToken = default)
    {
        await using var db = dbs.Create();
        var pair = await db.PolicyVersions.AsNoTracking().Include(v => v.Approvals)
            .Where(v => v.Id == fromVersionId || v.Id == toVersionId).ToListAsync(cancellationToken);
        var from = pair.FirstOrDefault(v => v.Id == fromVersionId);
        var to = pair.FirstOrDefault(v => v.Id == toVersionId);
        if (from is null || to is null)
        {
            return null;
        }

        if (from.ScopeId != to.ScopeId)
        {
            var scopes = await db.PolicyScopes.AsNoTracking().Where(s => s.Id == from.ScopeId || s.Id == to.ScopeId).ToListAsync(cancellationToken);
            if (scopes.Select(s => s.UseCase).Distinct().Count() != 1)
            {
                throw DomainException.Invalid("policy.diff-scopes", "Both versions must route the same use case.");
            }
        }

        return Diff(Summary(from), from.Document, Summary(to), to.Document);
    }

    public static PolicyDiff Diff(PolicyVersionSummary from, string fromText, PolicyVersionSummary to, string toText)
    {
        var model = new SideBySideDiffBuilder(new Differ()).BuildDiffModel(Normalise(fromText), Normalise(toText), ignoreWhitespace: false);
        var rows = new List<DiffRow>(Math.Max(model.OldText.Lines.Count, model.NewText.Lines.Count));
        for (var i = 0; i < Math.Max(model.OldText.Lines.Count, model.NewText.Lines.Count); i++)
        {
            var left = i < model.OldText.Lines.Count ? model.OldText.Lines[i] : null;
            var right = i < model.NewText.Lines.Count ? model.NewText.Lines[i] : null;
            rows.Add(new DiffRow(left?.Position, left?.Text ?? "", Kind(left, removed: true), right?.Position, right?.Text ?? "", Kind(right, removed: false)));
        }

        return new PolicyDiff(from, to, rows,
            rows.Count(r => r.NewKind == DiffLineKind.Added), rows.Count(r => r.OldKind == DiffLineKind.Removed), rows.Count(r => r.NewKind == DiffLineKind.Modified));
    }

    private static string Normalise(string text) => text.Replace("\r\n", "\n", StringComparison.Ordinal);

    private static DiffLineKind Kind(DiffPiece? piece, bool removed) => piece?.Type switch
    {
        ChangeType.Unchanged => DiffLineKind.Unchanged,
        ChangeType.Deleted => DiffLineKind.Removed,
        ChangeType.Inserted => removed ? DiffLineKind.Removed : DiffLineKind.Added,
        ChangeType.Modified => DiffLineKind.Modified,
        _ => DiffLineKind.Blank,
    };

    /// <summary>What a scope's summary needs of each of its versions.</summary>
    private sealed record VersionHead(Guid ScopeId, Guid Id, int Number, PolicyVersionStatus Status, DateTimeOffset? ActivatedAt, DateTimeOffset UpdatedAt);

    private static Task<List<VersionHead>> HeadsAsync(IQueryable<PolicyVersion> versions, CancellationToken cancellationToken) =>
        versions.AsNoTracking().Select(v => new VersionHead(v.ScopeId, v.Id, v.Number, v.Status, v.ActivatedAt, v.UpdatedAt)).ToListAsync(cancellationToken);

    private static PolicyScopeSummary Summarise(PolicyScope s, List<VersionHead> versions) => new(
        s.Id, s.Kind, s.Key, s.Name, s.UseCase,
        s.ActiveNumber, versions.FirstOrDefault(v => v.Id == s.ActiveVersionId)?.ActivatedAt,
        versions.Where(v => v.Id == s.ScheduledVersionId).Select(v => (int?)v.Number).FirstOrDefault(), s.ScheduledFrom,
        versions.Count(v => v.Status == PolicyVersionStatus.Submitted), versions.Count(v => v.Status == PolicyVersionStatus.Draft),
        versions.Count == 0 ? null : versions.Max(v => v.UpdatedAt));

    private static PolicyVersionSummary Summary(PolicyVersion v) => new(
        v.Id, v.Number, v.Status, v.AuthorId, v.AuthorName, v.ChangeNote, v.CreatedAt, v.SubmittedAt, v.EffectiveFrom, v.ActivatedAt, v.SupersededAt,
        v.Approvals.Count, v.ApprovalsRequired, v.RestoresNumber, v.IsEmergency);
}
