using AgentConsole.Domain.Audit;
using AgentConsole.Domain.Persistence;
using AgentConsole.Domain.Telemetry;
using AgentConsole.Domain.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace AgentConsole.Domain.Policies;

/// <summary>
/// The policy lifecycle: drafts, validation, submission, board approval and rejection,
/// activation (now or at a chosen time), rollback and an admin's emergency rollback. Pages, the
/// API and jobs all come through here; each change is saved with its audit entry in one transaction.
/// </summary>
public sealed class PolicyService(IAgentConsoleDbFactory dbs, TimeProvider clock)
{
    /// <summary>Checks a document against its scope's schema, fields, agents and queues. Changes nothing.</summary>
    public async Task<IReadOnlyList<PolicyProblem>> ValidateAsync(Guid scopeId, string document, CancellationToken cancellationToken = default)
    {
        await using var db = dbs.Create();
        var scope = await FindScopeAsync(db, scopeId, cancellationToken);
        var context = await PolicyContexts.LoadAsync(db, scope, cancellationToken);
        return PolicyDocumentParser.Parse(document, context).Problems;
    }

    /// <summary>How many distinct board members must approve a policy version in the actor's tenant.</summary>
    public async Task<int> ApprovalsRequiredAsync(Actor actor, CancellationToken cancellationToken = default)
    {
        await using var db = dbs.Create();
        return await db.Tenants.AsNoTracking().Where(t => t.Id == actor.TenantId).Select(t => t.PolicyApprovalsRequired).SingleAsync(cancellationToken);
    }

    /// <summary>An admin sets how many distinct board members must approve a version; versions already submitted keep their number.</summary>
    public async Task SetApprovalsRequiredAsync(Actor actor, int count, CancellationToken cancellationToken = default)
    {
        Require(actor, Permissions.Administer, "change how many approvals a policy needs");
        await using var db = dbs.Create();
        var tenant = await db.Tenants.SingleAsync(t => t.Id == actor.TenantId, cancellationToken);
        var before = tenant.PolicyApprovalsRequired;
        tenant.RequirePolicyApprovals(count);
        db.AuditEntries.Add(AuditEntry.Record(actor, "tenant.policy-approvals-changed", "tenant", tenant.Id.ToString(), null,
            new { policyApprovalsRequired = before }, new { policyApprovalsRequired = count }, clock.GetUtcNow()));
        await SaveAsync(db, cancellationToken);
    }

    /// <summary>Opens a policy scope for one agent, starting from its use case's policy in force.</summary>
    public async Task<PolicyScope> CreateAgentScopeAsync(Actor actor, string agentKey, CancellationToken cancellationToken = default)
    {
        Require(actor, Permissions.AuthorPolicies, "open a policy for an agent");
        await using var db = dbs.Create();
        var agent = await db.Agents.AsNoTracking().SingleOrDefaultAsync(a => a.Key == agentKey, cancellationToken)
            ?? throw DomainException.NotFound("policy.agent-not-found", $"No agent has the key '{agentKey}'.");
        if (await db.PolicyScopes.AnyAsync(s => s.Kind == PolicyScopeKind.Agent && s.Key == agentKey, cancellationToken))
        {
            throw DomainException.Conflict("policy.scope-exists", $"{agent.Name} already has its own policy.");
        }

        var scope = new PolicyScope(Guid.NewGuid(), actor.TenantId, PolicyScopeKind.Agent, agent.Key, agent.UseCase, agent.Name);
        db.PolicyScopes.Add(scope);
        db.AuditEntries.Add(AuditEntry.Record(actor, "policy.scope-created", "policy-scope", scope.Id.ToString(), null, null, new { kind = scope.Kind.ToString(), key = scope.Key }, clock.GetUtcNow()));
        await SaveAsync(db, cancellationToken);
        return scope;
    }

    /// <summary>
    /// Starts a draft from a version of the scope (by default the one in force, else the product's
    /// default for the use case).
    /// </summary>
    public async Task<PolicyVersion> CreateDraftAsync(Actor actor, Guid scopeId, Guid? fromVersionId = null, CancellationToken cancellationToken = default)
    {
        Require(actor, Permissions.AuthorPolicies, "draft policy versions");
        await using var db = dbs.Create();
        var scope = await FindScopeAsync(db, scopeId, cancellationToken);
        var baseId = fromVersionId ?? await PolicyDecisionRouter.InForceAsync(db, scope, clock.GetUtcNow(), cancellationToken);
        string document;
        if (baseId is { } id)
        {
            var source = await db.PolicyVersions.AsNoTracking().SingleOrDefaultAsync(v => v.Id == id, cancellationToken)
                ?? throw DomainException.NotFound("policy.version-not-found", "That policy version does not exist.");
            document = source.Document;
        }
        else
        {
            var queues = await db.Queues.AsNoTracking().Where(q => q.UseCase == scope.UseCase).OrderBy(q => q.Tier).Select(q => q.Key).ToListAsync(cancellationToken);
            document = DefaultPolicies.For(scope.UseCase, queues.FirstOrDefault() ?? "tier-1", queues.LastOrDefault() ?? "tier-2");
        }

        if (scope.Kind == PolicyScopeKind.Agent)
        {
            // Calibration measures people across the use case: an agent's own policy cannot set it.
            document = Training.Calibration.CalibrationSection.Without(document);
        }

        var now = clock.GetUtcNow();
        var draft = PolicyVersion.CreateDraft(Guid.NewGuid(), scope, actor, document, "", null, now);
        db.PolicyVersions.Add(draft);
        db.AuditEntries.Add(AuditEntry.Record(actor, "policy.drafted", "policy-version", draft.Id.ToString(), null, null, Snapshot(draft), now));
        await SaveAsync(db, cancellationToken);
        return draft;
    }

    /// <summary>Saves a draft's text and note. <paramref name="expectedVersion"/> guards against overwriting another tab's save.</summary>
    public Task<PolicyVersion> SaveDraftAsync(Actor actor, Guid versionId, string document, string changeNote, int? expectedVersion = null, CancellationToken cancellationToken = default)
    {
        if (document.Length > PolicyDocumentParser.MaxDocumentLength)
        {
            throw DomainException.Invalid("policy.document-too-long", $"The document may be at most {PolicyDocumentParser.MaxDocumentLength:#,0} characters long.",
                new Dictionary<string, string[]> { ["document"] = [$"At most {PolicyDocumentParser.MaxDocumentLength:#,0} characters."] });
        }

        return ActAsync(actor, versionId, expectedVersion, Permissions.AuthorPolicies, "edit", (_, _, version, now) =>
        {
            version.Edit(actor, document, changeNote, now);
            return Task.FromResult(("policy.edited", (string?)null));
        }, cancellationToken);
    }

    /// <summary>Sends a valid draft to the board; <paramref name="effectiveFrom"/> null means as soon as it is approved.</summary>
    public Task<PolicyVersion> SubmitAsync(Actor actor, Guid versionId, DateTimeOffset? effectiveFrom, int? expectedVersion = null, CancellationToken cancellationToken = default) =>
        ActAsync(actor, versionId, expectedVersion, Permissions.AuthorPolicies, "submit", async (db, scope, version, now) =>
        {
            var context = await PolicyContexts.LoadAsync(db, scope, cancellationToken);
            var problems = PolicyDocumentParser.Parse(version.Document, context).Problems;
            if (problems.Count > 0)
            {
                throw DomainException.Invalid("policy.document-invalid",
                    $"The document has {problems.Count} problem{(problems.Count == 1 ? "" : "s")}; the first: {problems[0]}",
                    new Dictionary<string, string[]> { ["document"] = [.. problems.Select(p => p.ToString())] });
            }

            var tenant = await db.Tenants.AsNoTracking().SingleAsync(t => t.Id == scope.TenantId, cancellationToken);
            version.Submit(actor, effectiveFrom, tenant.PolicyApprovalsRequired, now);
            return ("policy.submitted", (string?)null);
        }, cancellationToken);

    /// <summary>
    /// A board member's approval. The last one needed activates the version, or schedules it for
    /// its start time. <paramref name="reviewedAgainst"/> is the version in force the reviewer
    /// compared it with: if another version has started since, the review is out of date and refused.
    /// </summary>
    public Task<PolicyVersion> ApproveAsync(
        Actor actor, Guid versionId, string? comment, int? expectedVersion = null, Guid? reviewedAgainst = null, CancellationToken cancellationToken = default) =>
        ActAsync(actor, versionId, expectedVersion, Permissions.ReviewPolicies, "approve", async (db, scope, version, now) =>
        {
            if (reviewedAgainst is { } seen)
            {
                if (seen != scope.ActiveVersionId)
                {
                    throw DomainException.Conflict("policy.active-changed",
                        $"Version {scope.ActiveNumber} of this policy started after you opened the review, so the diff and simulation you saw are out of date. Nothing was saved; reload and review again.");
                }

                // Saved with the scope's token, so a version starting at this very moment makes this approval lose.
                scope.ReviewedAgainstActive();
            }

            if (!version.Approve(actor, comment, now))
            {
                return ("policy.approved", comment);
            }

            if (version.EffectiveFrom is { } from && from > now)
            {
                scope.Scheduled(version, from);
                version.Schedule(actor, now);
                return ("policy.approved-and-scheduled", comment);
            }

            await ActivateAsync(db, scope, version, actor, now, cancellationToken);
            return ("policy.approved-and-activated", comment);
        }, cancellationToken);

    /// <summary>Starts an approved, scheduled version now instead of at its start time (board members and admins).</summary>
    public Task<PolicyVersion> ActivateNowAsync(Actor actor, Guid versionId, int? expectedVersion = null, CancellationToken cancellationToken = default) =>
        ActAsync(actor, versionId, expectedVersion, null, "activate", async (db, scope, version, now) =>
        {
            if (!actor.Can(Permissions.ReviewPolicies) && !actor.Can(Permissions.Administer))
            {
                throw DomainException.Forbidden("policy.role", "Only governance board members and admins can activate a policy version.");
            }

            await ActivateAsync(db, scope, version, actor, now, cancellationToken);
            return ("policy.activated", "Started before its scheduled time.");
        }, cancellationToken);

    public Task<PolicyVersion> RejectAsync(Actor actor, Guid versionId, string comment, int? expectedVersion = null, CancellationToken cancellationToken = default) =>
        ActAsync(actor, versionId, expectedVersion, Permissions.ReviewPolicies, "reject", (_, _, version, now) =>
        {
            version.Reject(actor, comment, now);
            return Task.FromResult(("policy.rejected", (string?)comment));
        }, cancellationToken);

    /// <summary>The author (or an admin) takes back a draft, a submitted or a scheduled version.</summary>
    public Task<PolicyVersion> WithdrawAsync(Actor actor, Guid versionId, string? reason, int? expectedVersion = null, CancellationToken cancellationToken = default) =>
        ActAsync(actor, versionId, expectedVersion, null, "withdraw", (_, scope, version, now) =>
        {
            if (!actor.Can(Permissions.AuthorPolicies) && !actor.Can(Permissions.Administer))
            {
                throw DomainException.Forbidden("policy.role", "Your role may not withdraw policy versions.");
            }

            var wasScheduled = version.Status == PolicyVersionStatus.Scheduled;
            version.Withdraw(actor, reason, now);
            if (wasScheduled)
            {
                scope.ScheduleCancelled(version);
            }

            return Task.FromResult(("policy.withdrawn", reason));
        }, cancellationToken);

    /// <summary>
    /// Proposes going back to an earlier version: a new version with that document, submitted to
    /// the board like any other change.
    /// </summary>
    public async Task<PolicyVersion> ProposeRollbackAsync(Actor actor, Guid restoreVersionId, string reason, DateTimeOffset? effectiveFrom = null, CancellationToken cancellationToken = default)
    {
        Require(actor, Permissions.AuthorPolicies, "propose a rollback");
        await using var db = dbs.Create();
        var restored = await FindVersionAsync(db, restoreVersionId, cancellationToken);
        var scope = await FindScopeAsync(db, restored.ScopeId, cancellationToken);
        EnsureRestorable(scope, restored);
        if (string.IsNullOrWhiteSpace(reason))
        {
            throw DomainException.Invalid("policy.note-required", "Say why the policy should go back to this version.",
                new Dictionary<string, string[]> { ["reason"] = ["A reason is required."] });
        }

        var now = clock.GetUtcNow();
        var draft = PolicyVersion.CreateDraft(Guid.NewGuid(), scope, actor, restored.Document, $"Rollback to version {restored.Number}: {reason.Trim()}", restored.Number, now);
        var tenant = await db.Tenants.AsNoTracking().SingleAsync(t => t.Id == scope.TenantId, cancellationToken);
        draft.Submit(actor, effectiveFrom, tenant.PolicyApprovalsRequired, now);
        db.PolicyVersions.Add(draft);
        db.AuditEntries.Add(AuditEntry.Record(actor, "policy.rollback-proposed", "policy-version", draft.Id.ToString(), reason, null, Snapshot(draft), now));
        await SaveAsync(db, cancellationToken);
        return draft;
    }

    /// <summary>
    /// An admin puts an earlier version back in force at once, without the board, for an
    /// emergency. The new version says so in its history and in the audit trail.
    /// </summary>
    public async Task<PolicyVersion> EmergencyRollbackAsync(Actor actor, Guid restoreVersionId, string reason, CancellationToken cancellationToken = default)
    {
        Require(actor, Permissions.Administer, "roll a policy back in an emergency");
        using var activity = AgentConsoleTelemetry.Source.StartActivity("policy emergency-rollback").ForTenant(actor.TenantId);
        await using var db = dbs.Create();
        var restored = await FindVersionAsync(db, restoreVersionId, cancellationToken);
        var scope = await FindScopeAsync(db, restored.ScopeId, cancellationToken);
        EnsureRestorable(scope, restored);
        var now = clock.GetUtcNow();
        var version = PolicyVersion.EmergencyRestore(Guid.NewGuid(), scope, actor, restored, reason, now);
        var before = new { activeVersion = scope.ActiveNumber };
        await SupersedeActiveAsync(db, scope, version.Number, actor, now, cancellationToken);
        await CancelOvertakenScheduleAsync(db, scope, version, actor, now, cancellationToken);
        scope.Activated(version);
        db.PolicyVersions.Add(version);
        db.AuditEntries.Add(AuditEntry.Record(actor, "policy.emergency-rollback", "policy-version", version.Id.ToString(), reason, before, Snapshot(version), now));
        await SaveAsync(db, cancellationToken);
        return version;
    }

    /// <summary>Starts every scheduled version whose time has come, for every tenant. Run by a recurring job.</summary>
    public async Task<int> ActivateDueAsync(CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        List<Guid> due;
        await using (var db = dbs.Create())
        {
            var candidates = await db.PolicyScopes.IgnoreQueryFilters().AsNoTracking().Where(s => s.ScheduledVersionId != null).ToListAsync(cancellationToken);
            due = [.. candidates.Where(s => s.ScheduledFrom <= now).Select(s => s.Id)];
        }

        // Each scope in its own transaction: one that fails (a concurrent change) does not hold up the others.
        var started = 0;
        foreach (var scopeId in due)
        {
            await using var db = dbs.Create();
            var scope = await db.PolicyScopes.IgnoreQueryFilters().SingleAsync(s => s.Id == scopeId, cancellationToken);
            if (scope.ScheduledVersionId is not { } versionId || scope.ScheduledFrom > now)
            {
                continue;
            }

            var version = await db.PolicyVersions.IgnoreQueryFilters().Include(v => v.Approvals).SingleAsync(v => v.Id == versionId, cancellationToken);
            var system = Actor.System(scope.TenantId, "policy scheduler");
            try
            {
                await ActivateAsync(db, scope, version, system, now, cancellationToken, ignoreFilters: true);
                db.AuditEntries.Add(AuditEntry.Record(system, "policy.activated", "policy-version", version.Id.ToString(), "Its start time has come.", null, Snapshot(version), now));
                await SaveAsync(db, cancellationToken, "activate");
                started++;
            }
            catch (DomainException)
            {
                // Changed meanwhile; the next run sees the new state.
            }
        }

        return started;
    }

    private async Task<PolicyVersion> ActAsync(
        Actor actor, Guid versionId, int? expectedVersion, string? permission, string verb,
        Func<AgentConsoleDbContext, PolicyScope, PolicyVersion, DateTimeOffset, Task<(string Action, string? Reason)>> change,
        CancellationToken cancellationToken)
    {
        if (permission is not null)
        {
            Require(actor, permission, $"{verb} policy versions");
        }

        using var activity = AgentConsoleTelemetry.Source.StartActivity($"policy {verb}").ForTenant(actor.TenantId);
        activity?.SetTag(Traces.SpanAttributes.PolicyVersionId, versionId.ToString());
        await using var db = dbs.Create();
        var version = await FindVersionAsync(db, versionId, cancellationToken);
        if (expectedVersion is { } seen && seen != version.Version)
        {
            throw ChangedMeanwhile(verb);
        }

        var scope = await FindScopeAsync(db, version.ScopeId, cancellationToken);
        var now = clock.GetUtcNow();
        var before = Snapshot(version);
        var (action, reason) = await change(db, scope, version, now);
        db.AuditEntries.Add(AuditEntry.Record(actor, action, "policy-version", version.Id.ToString(), reason, before, Snapshot(version), now));
        await SaveAsync(db, cancellationToken, verb);
        return version;
    }

    private static async Task ActivateAsync(AgentConsoleDbContext db, PolicyScope scope, PolicyVersion version, Actor actor, DateTimeOffset now, CancellationToken cancellationToken, bool ignoreFilters = false)
    {
        version.Activate(actor, now);
        await SupersedeActiveAsync(db, scope, version.Number, actor, now, cancellationToken, ignoreFilters);
        await CancelOvertakenScheduleAsync(db, scope, version, actor, now, cancellationToken, ignoreFilters);
        scope.Activated(version);
    }

    /// <summary>An older version still waiting for its start time must not replace the one that just took effect.</summary>
    private static async Task CancelOvertakenScheduleAsync(AgentConsoleDbContext db, PolicyScope scope, PolicyVersion activated, Actor actor, DateTimeOffset now, CancellationToken cancellationToken, bool ignoreFilters = false)
    {
        if (scope.ScheduledVersionId is not { } scheduledId || scheduledId == activated.Id)
        {
            return;
        }

        var versions = ignoreFilters ? db.PolicyVersions.IgnoreQueryFilters() : db.PolicyVersions;
        var scheduled = await versions.SingleAsync(v => v.Id == scheduledId, cancellationToken);
        if (scheduled.Number < activated.Number)
        {
            scheduled.ScheduleOvertaken(actor, activated.Number, now);
            scope.ScheduleCancelled(scheduled);
        }
    }

    private static async Task SupersedeActiveAsync(AgentConsoleDbContext db, PolicyScope scope, int by, Actor actor, DateTimeOffset now, CancellationToken cancellationToken, bool ignoreFilters = false)
    {
        if (scope.ActiveVersionId is not { } activeId)
        {
            return;
        }

        var versions = ignoreFilters ? db.PolicyVersions.IgnoreQueryFilters() : db.PolicyVersions;
        var active = await versions.SingleAsync(v => v.Id == activeId, cancellationToken);
        if (active.Status != PolicyVersionStatus.Active)
        {
            // Another activation committed between reading the scope and reading its version.
            throw ChangedMeanwhile("activate");
        }

        active.Supersede(actor, by, now);
    }

    private static void EnsureRestorable(PolicyScope scope, PolicyVersion restored)
    {
        if (restored.Status is not (PolicyVersionStatus.Superseded or PolicyVersionStatus.Active) || restored.ActivatedAt is null)
        {
            throw DomainException.Invalid("policy.not-restorable", $"Version {restored.Number} was never in force, so it cannot be restored; draft from it instead.");
        }

        if (scope.ActiveVersionId == restored.Id)
        {
            throw DomainException.Conflict("policy.already-active", $"Version {restored.Number} is already the one in force.");
        }
    }

    private static async Task<PolicyScope> FindScopeAsync(AgentConsoleDbContext db, Guid scopeId, CancellationToken cancellationToken) =>
        await db.PolicyScopes.SingleOrDefaultAsync(s => s.Id == scopeId, cancellationToken)
        ?? throw DomainException.NotFound("policy.scope-not-found", "This policy does not exist.");

    private static async Task<PolicyVersion> FindVersionAsync(AgentConsoleDbContext db, Guid versionId, CancellationToken cancellationToken) =>
        await db.PolicyVersions.Include(v => v.Approvals).SingleOrDefaultAsync(v => v.Id == versionId, cancellationToken)
        ?? throw DomainException.NotFound("policy.version-not-found", "This policy version does not exist.");

    private static void Require(Actor actor, string permission, string what)
    {
        if (!actor.Can(permission))
        {
            throw DomainException.Forbidden("policy.role", $"Your role may not {what}.");
        }
    }

    private static async Task SaveAsync(AgentConsoleDbContext db, CancellationToken cancellationToken, string verb = "save")
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            throw ChangedMeanwhile(verb);
        }
        catch (DbUpdateException ex) when (!DatabaseFailures.IsUnavailable(ex))
        {
            // The unique indexes: one approval per member and version, one number per scope.
            throw DomainException.Conflict("policy.changed", $"Could not {verb}: someone else acted on this policy at the same moment. Nothing was saved; reload to see the change.");
        }
    }

    private static DomainException ChangedMeanwhile(string verb) =>
        DomainException.Conflict("policy.changed", $"Could not {verb}: someone else changed this policy a moment ago. Nothing was saved; reload to see the change.");

    internal static object Snapshot(PolicyVersion v) => new
    {
        number = v.Number,
        status = v.Status.ToString(),
        approvals = v.Approvals.Count,
        approvalsRequired = v.ApprovalsRequired,
        effectiveFrom = v.EffectiveFrom,
        version = v.Version,
    };
}
