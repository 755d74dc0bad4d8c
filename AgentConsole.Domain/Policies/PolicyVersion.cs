using AgentConsole.Domain.Tenancy;

namespace AgentConsole.Domain.Policies;

/// <summary>Where a policy version stands in its lifecycle.</summary>
public enum PolicyVersionStatus
{
    /// <summary>Being written; only its author edits it.</summary>
    Draft,
    /// <summary>Waiting for the governance board's approvals.</summary>
    Submitted,
    /// <summary>Approved, waiting for its start time.</summary>
    Scheduled,
    /// <summary>Routes the scope's decisions.</summary>
    Active,
    /// <summary>Was active; a later version replaced it.</summary>
    Superseded,
    /// <summary>The board refused it, with comments.</summary>
    Rejected,
    /// <summary>Taken back by its author (or an admin) before it started.</summary>
    Withdrawn,
}

/// <summary>What happened to a policy version, step by step.</summary>
public enum PolicyEventKind
{
    Created,
    Edited,
    Submitted,
    Approved,
    Rejected,
    Withdrawn,
    Scheduled,
    Activated,
    Superseded,
    EmergencyActivated,
}

/// <summary>
/// One version of a scope's policy document. Its lifecycle is a state machine on this aggregate:
/// draft → submitted → approved by N distinct board members (never its author) → scheduled or
/// active → superseded; or rejected with comments, or withdrawn. Once submitted, its text never changes.
/// </summary>
public sealed class PolicyVersion : ITenantOwned
{
    public const int MaxNoteLength = 2000;

    private readonly List<PolicyApproval> _approvals = [];
    private readonly List<PolicyVersionEvent> _events = [];

    private PolicyVersion()
    {
    }

    public Guid Id { get; private set; }

    public Guid TenantId { get; private set; }

    public Guid ScopeId { get; private set; }

    /// <summary>1, 2, 3… per scope.</summary>
    public int Number { get; private set; }

    /// <summary>The YAML document.</summary>
    public string Document { get; private set; } = "";

    /// <summary>The author's account of what changes and why, shown to the board.</summary>
    public string ChangeNote { get; private set; } = "";

    public PolicyVersionStatus Status { get; private set; }

    public string AuthorId { get; private set; } = "";

    public string AuthorName { get; private set; } = "";

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    public DateTimeOffset? SubmittedAt { get; private set; }

    /// <summary>When the author wants it to start; null means as soon as it is approved.</summary>
    public DateTimeOffset? EffectiveFrom { get; private set; }

    /// <summary>How many distinct board members must approve (the tenant's rule when it was submitted).</summary>
    public int ApprovalsRequired { get; private set; }

    public DateTimeOffset? ActivatedAt { get; private set; }

    public DateTimeOffset? SupersededAt { get; private set; }

    /// <summary>The version whose document this one restores, for a rollback.</summary>
    public int? RestoresNumber { get; private set; }

    /// <summary>Activated by an admin's emergency rollback, without board approval.</summary>
    public bool IsEmergency { get; private set; }

    /// <summary>Incremented by every change; the concurrency token on every provider.</summary>
    public int Version { get; private set; }

    public IReadOnlyCollection<PolicyApproval> Approvals => _approvals;

    public IReadOnlyCollection<PolicyVersionEvent> Events => _events;

    public bool IsOpenForReview => Status == PolicyVersionStatus.Submitted;

    public static PolicyVersion CreateDraft(Guid id, PolicyScope scope, Actor author, string document, string changeNote, int? restores, DateTimeOffset now)
    {
        RequireNote(changeNote, required: false);
        var version = new PolicyVersion
        {
            Id = id,
            TenantId = scope.TenantId,
            ScopeId = scope.Id,
            Number = scope.NextNumber(),
            Document = document,
            ChangeNote = changeNote.Trim(),
            Status = PolicyVersionStatus.Draft,
            AuthorId = author.Id,
            AuthorName = author.Name,
            CreatedAt = now,
            UpdatedAt = now,
            RestoresNumber = restores,
            Version = 1,
        };
        version.AddEvent(PolicyEventKind.Created, author, restores is null ? null : $"Restores version {restores}.", now);
        return version;
    }

    /// <summary>A new tenant's first version, active from the start: the product's defaults, not a board decision.</summary>
    public static PolicyVersion Initial(Guid id, PolicyScope scope, string document, DateTimeOffset now)
    {
        var system = Actor.System(scope.TenantId, "AgentConsole defaults");
        var version = CreateDraft(id, scope, system, document, "The product's default policy for this use case.", null, now);
        version.SubmittedAt = now;
        version.Status = PolicyVersionStatus.Active;
        version.ActivatedAt = now;
        version.AddEvent(PolicyEventKind.Activated, system, "Installed with the tenant.", now);
        scope.Activated(version);
        return version;
    }

    /// <summary>An admin's emergency rollback: active at once, recorded as such.</summary>
    public static PolicyVersion EmergencyRestore(Guid id, PolicyScope scope, Actor admin, PolicyVersion restored, string reason, DateTimeOffset now)
    {
        RequireNote(reason, required: true);
        var version = CreateDraft(id, scope, admin, restored.Document, $"Emergency rollback to version {restored.Number}: {reason.Trim()}", restored.Number, now);
        version.IsEmergency = true;
        version.ApprovalsRequired = 0;
        version.SubmittedAt = now;
        version.Status = PolicyVersionStatus.Active;
        version.ActivatedAt = now;
        version.AddEvent(PolicyEventKind.EmergencyActivated, admin, reason, now);
        return version;
    }

    public void Edit(Actor actor, string document, string changeNote, DateTimeOffset now)
    {
        EnsureAuthor(actor, "edit");
        if (Status != PolicyVersionStatus.Draft)
        {
            throw Illegal("edit", "only a draft can be edited; start a new draft from it instead");
        }

        RequireNote(changeNote, required: false);
        Document = document;
        ChangeNote = changeNote.Trim();
        UpdatedAt = now;
        AddEvent(PolicyEventKind.Edited, actor, null, now);
    }

    /// <summary>Sends the draft to the board. The caller has checked that the document is valid.</summary>
    public void Submit(Actor actor, DateTimeOffset? effectiveFrom, int approvalsRequired, DateTimeOffset now)
    {
        EnsureAuthor(actor, "submit");
        if (Status != PolicyVersionStatus.Draft)
        {
            throw Illegal("submit", "only a draft can be submitted");
        }

        RequireNote(ChangeNote, required: true);
        if (effectiveFrom is { } from && from < now.AddMinutes(-1))
        {
            throw DomainException.Invalid("policy.effective-in-past", "The start time lies in the past; leave it empty to start as soon as the board approves.",
                new Dictionary<string, string[]> { ["effectiveFrom"] = ["Must be in the future, or empty."] });
        }

        Status = PolicyVersionStatus.Submitted;
        SubmittedAt = now;
        EffectiveFrom = effectiveFrom;
        ApprovalsRequired = Math.Max(1, approvalsRequired);
        UpdatedAt = now;
        AddEvent(PolicyEventKind.Submitted, actor, null, now);
    }

    /// <summary>Adds a board member's approval; returns whether the version now has all it needs.</summary>
    public bool Approve(Actor actor, string? comment, DateTimeOffset now)
    {
        EnsureBoard(actor, "approve");
        if (actor.Id == AuthorId)
        {
            throw DomainException.Forbidden("policy.self-approval", "You wrote this version, so you cannot approve it; another board member must.");
        }

        if (_approvals.Any(a => a.ReviewerId == actor.Id))
        {
            throw DomainException.Conflict("policy.already-approved", "You have already approved this version; approvals must come from different board members.");
        }

        if (Status != PolicyVersionStatus.Submitted)
        {
            throw Illegal("approve", "only a submitted version can be approved");
        }

        if (comment?.Length > MaxNoteLength)
        {
            throw TooLong("comment");
        }

        _approvals.Add(new PolicyApproval(Guid.NewGuid(), TenantId, Id, actor.Id, actor.Name, comment?.Trim(), now));
        UpdatedAt = now;
        AddEvent(PolicyEventKind.Approved, actor, comment, now);
        return _approvals.Count >= ApprovalsRequired;
    }

    public void Reject(Actor actor, string comment, DateTimeOffset now)
    {
        EnsureBoard(actor, "reject");
        if (Status != PolicyVersionStatus.Submitted)
        {
            throw Illegal("reject", "only a submitted version can be rejected");
        }

        if (string.IsNullOrWhiteSpace(comment))
        {
            throw DomainException.Invalid("policy.comment-required", "Say why you reject it, so the author can fix it.",
                new Dictionary<string, string[]> { ["comment"] = ["A comment is required to reject."] });
        }

        if (comment.Length > MaxNoteLength)
        {
            throw TooLong("comment");
        }

        Status = PolicyVersionStatus.Rejected;
        UpdatedAt = now;
        AddEvent(PolicyEventKind.Rejected, actor, comment, now);
    }

    public void Withdraw(Actor actor, string? reason, DateTimeOffset now)
    {
        if (actor.Id != AuthorId && !actor.IsInRole(Roles.Admin))
        {
            throw DomainException.Forbidden("policy.not-author", $"Only its author ({AuthorName}) or an admin can withdraw this version.");
        }

        if (Status is not (PolicyVersionStatus.Draft or PolicyVersionStatus.Submitted or PolicyVersionStatus.Scheduled))
        {
            throw Illegal("withdraw", "only a draft, submitted or scheduled version can be withdrawn");
        }

        Status = PolicyVersionStatus.Withdrawn;
        UpdatedAt = now;
        AddEvent(PolicyEventKind.Withdrawn, actor, reason, now);
    }

    /// <summary>A newer version took effect before this one's start time: it never starts.</summary>
    internal void ScheduleOvertaken(Actor actor, int by, DateTimeOffset now)
    {
        if (Status != PolicyVersionStatus.Scheduled)
        {
            throw Illegal("cancel", "only a scheduled version can be overtaken");
        }

        Status = PolicyVersionStatus.Withdrawn;
        UpdatedAt = now;
        AddEvent(PolicyEventKind.Withdrawn, actor, $"Version {by} took effect before this version's start time.", now);
    }

    internal void Schedule(Actor actor, DateTimeOffset now)
    {
        EnsureApproved("schedule");
        Status = PolicyVersionStatus.Scheduled;
        UpdatedAt = now;
        AddEvent(PolicyEventKind.Scheduled, actor, $"Starts at {EffectiveFrom:yyyy-MM-dd HH:mm} UTC.", now);
    }

    internal void Activate(Actor actor, DateTimeOffset now)
    {
        if (Status == PolicyVersionStatus.Submitted)
        {
            EnsureApproved("activate");
        }
        else if (Status != PolicyVersionStatus.Scheduled)
        {
            throw Illegal("activate", "only an approved version can be activated");
        }

        Status = PolicyVersionStatus.Active;
        ActivatedAt = now;
        UpdatedAt = now;
        AddEvent(PolicyEventKind.Activated, actor, null, now);
    }

    internal void Supersede(Actor actor, int by, DateTimeOffset now)
    {
        if (Status != PolicyVersionStatus.Active)
        {
            throw Illegal("supersede", "only the active version can be superseded");
        }

        Status = PolicyVersionStatus.Superseded;
        SupersededAt = now;
        UpdatedAt = now;
        AddEvent(PolicyEventKind.Superseded, actor, $"Replaced by version {by}.", now);
    }

    private void EnsureApproved(string verb)
    {
        if (Status is not (PolicyVersionStatus.Submitted or PolicyVersionStatus.Scheduled) || _approvals.Count < ApprovalsRequired)
        {
            throw DomainException.Conflict("policy.not-approved",
                $"Cannot {verb} version {Number}: it has {_approvals.Count} of the {ApprovalsRequired} board approvals it needs.");
        }
    }

    private void EnsureAuthor(Actor actor, string verb)
    {
        if (actor.Id != AuthorId)
        {
            throw DomainException.Forbidden("policy.not-author", $"Only its author ({AuthorName}) can {verb} this version; start a new draft from it instead.");
        }
    }

    private static void EnsureBoard(Actor actor, string verb)
    {
        if (!actor.IsInRole(Roles.GovernanceBoard))
        {
            throw DomainException.Forbidden("policy.not-board", $"Only governance board members can {verb} a policy version.");
        }
    }

    private static void RequireNote(string? note, bool required)
    {
        if (required && string.IsNullOrWhiteSpace(note))
        {
            throw DomainException.Invalid("policy.note-required", "Describe what this version changes and why; the board reads it first.",
                new Dictionary<string, string[]> { ["changeNote"] = ["Describe the change."] });
        }

        if (note?.Length > MaxNoteLength)
        {
            throw TooLong("changeNote");
        }
    }

    private static DomainException TooLong(string field) =>
        DomainException.Invalid("policy.text-too-long", $"At most {MaxNoteLength} characters.", new Dictionary<string, string[]> { [field] = [$"At most {MaxNoteLength} characters."] });

    private DomainException Illegal(string verb, string why) =>
        DomainException.Conflict("policy.illegal-transition", $"Cannot {verb} version {Number}, which is {Status.ToString().ToLowerInvariant()}: {why}.");

    private void AddEvent(PolicyEventKind kind, Actor actor, string? comment, DateTimeOffset now)
    {
        _events.Add(new PolicyVersionEvent(Guid.NewGuid(), TenantId, Id, kind, actor.Id, actor.Name, comment?.Trim(), now));
        Version++;
    }
}

/// <summary>One board member's approval. Unique per version and member, in the database too.</summary>
public sealed class PolicyApproval : ITenantOwned
{
    private PolicyApproval()
    {
    }

    internal PolicyApproval(Guid id, Guid tenantId, Guid versionId, string reviewerId, string reviewerName, string? comment, DateTimeOffset at)
    {
        Id = id;
        TenantId = tenantId;
        PolicyVersionId = versionId;
        ReviewerId = reviewerId;
        ReviewerName = reviewerName;
        Comment = comment;
        At = at;
    }

    public Guid Id { get; private set; }

    public Guid TenantId { get; private set; }

    public Guid PolicyVersionId { get; private set; }

    public string ReviewerId { get; private set; } = "";

    public string ReviewerName { get; private set; } = "";

    public string? Comment { get; private set; }

    public DateTimeOffset At { get; private set; }
}

/// <summary>One step in a policy version's history.</summary>
public sealed class PolicyVersionEvent : ITenantOwned
{
    private PolicyVersionEvent()
    {
    }

    internal PolicyVersionEvent(Guid id, Guid tenantId, Guid versionId, PolicyEventKind kind, string actorId, string actorName, string? comment, DateTimeOffset at)
    {
        Id = id;
        TenantId = tenantId;
        PolicyVersionId = versionId;
        Kind = kind;
        ActorId = actorId;
        ActorName = actorName;
        Comment = comment;
        At = at;
    }

    public Guid Id { get; private set; }

    public Guid TenantId { get; private set; }

    public Guid PolicyVersionId { get; private set; }

    public PolicyEventKind Kind { get; private set; }

    public string ActorId { get; private set; } = "";

    public string ActorName { get; private set; } = "";

    public string? Comment { get; private set; }

    public DateTimeOffset At { get; private set; }
}
