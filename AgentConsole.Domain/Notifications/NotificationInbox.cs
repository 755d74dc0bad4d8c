using AgentConsole.Domain.Decisions;
using AgentConsole.Domain.Persistence;
using AgentConsole.Domain.Queues;
using AgentConsole.Domain.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AgentConsole.Domain.Notifications;

/// <summary>One of a person's notifications as they see it.</summary>
public sealed record NotificationItem(Guid Id, NotificationKind Kind, string Text, DateTimeOffset At, bool Read, Guid? DecisionId, Guid? QueueId, string? AgentKey)
{
    public string Link => NotificationLinks.For(Kind, DecisionId, QueueId, AgentKey);
}

/// <summary>
/// What arrived in one of a person's queues since they last looked: one entry per queue however many items, counted from
/// their mark. Its id is the queue's.
/// </summary>
/// <param name="NewItems">Items that entered the queue since and still wait for anyone to claim them (assigned ones are told to their assignee).</param>
/// <param name="Warnings">Items of the queue the SLA ladder warned about since (other than the person's own, which they are told of one by one).</param>
/// <param name="FirstSubject">The subject of the first new item due, as the person's roles see it.</param>
public sealed record QueueActivity(Guid QueueId, string QueueName, int NewItems, int Warnings, string? FirstSubject, DateTimeOffset Since)
{
    public Guid Id => QueueId;

    public int Count => NewItems + Warnings;

    public string Link => $"/queues/{QueueId}";

    /// <summary>E.g. "3 new items in Pricing — first line. Due first: “Quote for Acme”; 1 item in Pricing — first line is about to breach its SLA".</summary>
    public string Text
    {
        get
        {
            var parts = new List<string>(2);
            if (NewItems > 0)
            {
                parts.Add($"{NewItems} new {(NewItems == 1 ? "item" : "items")} in {QueueName}" + (FirstSubject is null ? "" : $". Due first: “{FirstSubject}”"));
            }

            if (Warnings > 0)
            {
                parts.Add($"{Warnings} {(Warnings == 1 ? "item" : "items")} in {QueueName} {(Warnings == 1 ? "is" : "are")} about to breach {(Warnings == 1 ? "its" : "their")} SLA");
            }

            return string.Join("; ", parts);
        }
    }
}

/// <summary>A page of a person's notifications, newest first, with what is new in their queues above.</summary>
public sealed record NotificationPage(IReadOnlyList<QueueActivity> Queues, IReadOnlyList<NotificationItem> Items, int Page, int PageSize, int Total, int Unread);

/// <summary>A person's e-mail choices, and whether e-mail can be sent at all.</summary>
public sealed record NotificationSettings(IReadOnlyList<NotificationKind> EmailKinds, bool EmailEnabled, string? Email, IReadOnlyList<NotificationKind> Available);

/// <summary>
/// A person's notifications: the unread count the layout's bell shows, the list, marking read, and their e-mail choices.
/// Each person sees only their own; rows about queues and agents only while their roles may see queues and agents; new
/// items only of the queues their roles may act on, with subjects masked for them as the queue list masks them.
/// </summary>
public sealed class NotificationInbox(IAgentConsoleDbFactory dbs, DecisionQueries decisions, TimeProvider clock, IOptions<NotificationOptions> options)
{
    public const int MaxPageSize = 100;

    /// <summary>Unread notifications plus what is new in the person's queues.</summary>
    public async Task<int> UnreadCountAsync(Actor actor, CancellationToken cancellationToken = default)
    {
        var me = Me(actor);
        await using var db = dbs.Create();
        var unread = await Visible(db, actor, me).CountAsync(n => n.ReadAt == null, cancellationToken);
        var queues = (await MarksAsync(db, actor, me, cancellationToken)).Select(m => (Guid?)m.Queue.Id).ToList();
        if (queues.Count == 0)
        {
            return unread;
        }

        // Two indexed counts across all the person's queues, each item against its queue's mark: the bell's cost does not grow with queues.
        var mine = actor.Id;
        var marked = from d in db.Decisions
                     join m in db.QueueSeenMarks on d.QueueId equals (Guid?)m.QueueId
                     where m.UserId == me && queues.Contains(d.QueueId)
                     select new { d, m.SeenAt };
        var fresh = await marked.CountAsync(x => x.d.SlaClockStartedAt > x.SeenAt && (x.d.Status == DecisionStatus.Pending || x.d.Status == DecisionStatus.Escalated)
            && x.d.AssignedToId == null, cancellationToken);
        var warned = await marked.CountAsync(x => x.d.SlaWarnedAt > x.SeenAt
            && (x.d.Status == DecisionStatus.Pending || x.d.Status == DecisionStatus.InReview || x.d.Status == DecisionStatus.Escalated)
            && (x.d.ClaimedById == null || x.d.ClaimedById != mine) && (x.d.AssignedToId == null || x.d.AssignedToId != mine), cancellationToken);
        return unread + fresh + warned;
    }

    public async Task<NotificationPage> PageAsync(Actor actor, int page = 1, int pageSize = 25, CancellationToken cancellationToken = default)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (page < 1)
        {
            errors["page"] = ["Pages start at 1."];
        }

        if (pageSize is < 1 or > MaxPageSize)
        {
            errors["pageSize"] = [$"A page holds 1 to {MaxPageSize} notifications."];
        }

        if (errors.Count > 0)
        {
            throw DomainException.Invalid("notifications.paging", "The page asked for does not exist: " + string.Join(" ", errors.SelectMany(e => e.Value)), errors);
        }

        var me = Me(actor);
        await using var db = dbs.Create();
        var visible = Visible(db, actor, me);
        var total = await visible.CountAsync(cancellationToken);
        var unread = await visible.CountAsync(n => n.ReadAt == null, cancellationToken);
        // Newest first by id order of time: SQLite orders DateTimeOffset only as stored integers, which keep time order.
        var rows = await visible.OrderByDescending(n => n.CreatedAt).ThenByDescending(n => n.Id).Skip((page - 1) * pageSize).Take(pageSize).ToListAsync(cancellationToken);
        var queues = new List<QueueActivity>();
        foreach (var (queue, since) in await MarksAsync(db, actor, me, cancellationToken))
        {
            var (fresh, warned) = await CountAsync(db, queue.Id, since, actor.Id, cancellationToken);
            if (fresh + warned == 0)
            {
                continue;
            }

            var queueId = queue.Id;
            var found = fresh == 0 ? [] : await decisions.ListOpenWhereAsync(
                d => d.QueueId == queueId && d.Status != DecisionStatus.InReview && d.AssignedToId == null && d.SlaClockStartedAt > since, 1, actor.Roles, cancellationToken);
            var first = found.Count > 0 ? found[0] : null;
            queues.Add(new QueueActivity(queue.Id, queue.Name, fresh, warned, first?.Subject, since));
            unread += fresh + warned;
        }

        return new NotificationPage(queues, [.. rows.Select(Item)], page, pageSize, total, unread);
    }

    /// <summary>Marks one notification read, or — given a queue's id — what arrived in that queue as seen.</summary>
    public async Task MarkReadAsync(Actor actor, Guid id, CancellationToken cancellationToken = default)
    {
        var me = Me(actor);
        var now = clock.GetUtcNow();
        await using var db = dbs.Create();
        if (await Visible(db, actor, me).SingleOrDefaultAsync(n => n.Id == id, cancellationToken) is { } notification)
        {
            db.Attach(notification);
            notification.MarkRead(now);
            await db.SaveChangesAsync(cancellationToken);
            return;
        }

        var mark = (await MarksAsync(db, actor, me, cancellationToken)).Select(m => m.Queue.Id).Contains(id)
            ? await db.QueueSeenMarks.SingleAsync(m => m.UserId == me && m.QueueId == id, cancellationToken)
            : throw DomainException.NotFound("notification.not-found", "You have no notification with this id.");
        mark.Seen(now);
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>Marks every notification read and every queue seen; returns how many notifications it marked.</summary>
    public async Task<int> MarkAllReadAsync(Actor actor, CancellationToken cancellationToken = default)
    {
        var me = Me(actor);
        var now = clock.GetUtcNow();
        await using var db = dbs.Create();
        var marked = await db.Notifications.Where(n => n.RecipientId == me && n.ReadAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(n => n.ReadAt, now), cancellationToken);
        await MarksAsync(db, actor, me, cancellationToken);
        await db.QueueSeenMarks.Where(m => m.UserId == me && m.SeenAt < now).ExecuteUpdateAsync(s => s.SetProperty(m => m.SeenAt, now), cancellationToken);
        return marked;
    }

    public async Task<NotificationSettings> SettingsAsync(Actor actor, CancellationToken cancellationToken = default)
    {
        var me = Me(actor);
        await using var db = dbs.Create();
        var preference = await db.NotificationPreferences.AsNoTracking().SingleOrDefaultAsync(p => p.UserId == me, cancellationToken);
        var email = await db.Users.AsNoTracking().Where(u => u.Id == me).Select(u => u.Email).SingleOrDefaultAsync(cancellationToken);
        return new NotificationSettings(preference?.EmailKinds ?? [], options.Value.EmailEnabled, string.IsNullOrWhiteSpace(email) ? null : email, Available(actor));
    }

    /// <summary>Which kinds also go by e-mail; refused per field while e-mail is off, without an address, or for kinds the person never gets.</summary>
    public async Task<NotificationSettings> SaveSettingsAsync(Actor actor, IEnumerable<string>? emailKinds, CancellationToken cancellationToken = default)
    {
        var me = Me(actor);
        var (kinds, unknown) = NotificationKinds.Parse(emailKinds);
        var current = await SettingsAsync(actor, cancellationToken);
        string? error = null;
        if (unknown.Count > 0)
        {
            error = $"Unknown kind {string.Join(", ", unknown.Select(u => $"'{u}'"))}: choose among {string.Join(", ", current.Available)}.";
        }
        else if (kinds.Where(k => !current.Available.Contains(k)).ToList() is { Count: > 0 } notYours)
        {
            error = $"{string.Join(", ", notYours)} cannot go by e-mail for you: choose among {(current.Available.Count == 0 ? "none" : string.Join(", ", current.Available))}.";
        }
        else if (kinds.Count > 0 && !current.EmailEnabled)
        {
            error = "E-mail is switched off in this installation (no SMTP server is configured), so nothing can be sent by e-mail.";
        }
        else if (kinds.Count > 0 && current.Email is null)
        {
            error = "Your account has no e-mail address, so nothing can be sent to you by e-mail.";
        }

        if (error is not null)
        {
            throw DomainException.Invalid("notifications.settings", "Your settings were not saved: " + error, new Dictionary<string, string[]> { ["emailKinds"] = [error] });
        }

        await using var db = dbs.Create();
        var preference = await db.NotificationPreferences.SingleOrDefaultAsync(p => p.UserId == me, cancellationToken);
        if (preference is null)
        {
            preference = new NotificationPreference(actor.TenantId, me);
            db.NotificationPreferences.Add(preference);
        }

        preference.Choose(kinds, clock.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);
        return current with { EmailKinds = preference.EmailKinds };
    }

    /// <summary>The queues whose events can change the person's count: those their roles may act on.</summary>
    public async Task<IReadOnlySet<Guid>> WatchedQueuesAsync(Actor actor, CancellationToken cancellationToken = default)
    {
        if (!actor.Can(Permissions.ActOnDecisions))
        {
            return new HashSet<Guid>();
        }

        await using var db = dbs.Create();
        return (await db.Queues.AsNoTracking().ToListAsync(cancellationToken)).Where(q => q.MayAct(actor)).Select(q => q.Id).ToHashSet();
    }

    /// <summary>Whether a person with these roles is ever told anything (operators and seniors); others have no bell.</summary>
    public static bool Receives(Actor actor) => actor.Can(Permissions.ActOnDecisions) || actor.Can(Permissions.PauseAgents);

    /// <summary>The kinds a person with these roles can be told of one by one (and so receive by e-mail).</summary>
    public static IReadOnlyList<NotificationKind> Available(Actor actor) =>
        [.. NotificationKinds.Deliverable.Where(k => k == NotificationKind.AgentPaused ? actor.Can(Permissions.PauseAgents) : actor.Can(Permissions.ActOnDecisions))];

    private static NotificationItem Item(Notification n) => new(n.Id, n.Kind, n.Text, n.CreatedAt, n.ReadAt is not null, n.DecisionId, n.QueueId, n.AgentKey);

    /// <summary>The person's own rows that their roles may still see: about queues only with the queues' view, about agents only with the agents' view.</summary>
    private static IQueryable<Notification> Visible(AgentConsoleDbContext db, Actor actor, Guid me)
    {
        var queues = actor.Can(Permissions.ViewQueues);
        var agents = actor.Can(Permissions.ViewAgents);
        return db.Notifications.AsNoTracking().Where(n => n.RecipientId == me && (queues || n.QueueId == null) && (agents || n.AgentKey == null));
    }

    /// <summary>New items waiting to be claimed, and warnings on items that are not the person's own, since <paramref name="since"/>.</summary>
    private static async Task<(int New, int Warned)> CountAsync(AgentConsoleDbContext db, Guid queueId, DateTimeOffset since, string me, CancellationToken cancellationToken)
    {
        var fresh = await db.Decisions.CountAsync(d => d.QueueId == queueId && d.SlaClockStartedAt > since
            && (d.Status == DecisionStatus.Pending || d.Status == DecisionStatus.Escalated) && d.AssignedToId == null, cancellationToken);
        var warned = await db.Decisions.CountAsync(d => d.QueueId == queueId && d.SlaWarnedAt > since
            && (d.Status == DecisionStatus.Pending || d.Status == DecisionStatus.InReview || d.Status == DecisionStatus.Escalated)
            && (d.ClaimedById == null || d.ClaimedById != me) && (d.AssignedToId == null || d.AssignedToId != me), cancellationToken);
        return (fresh, warned);
    }

    /// <summary>
    /// The queues the person may act on, each with when they last looked. A queue seen for the first time starts now:
    /// what waited before is in the queue, not news.
    /// </summary>
    private async Task<IReadOnlyList<(ReviewQueue Queue, DateTimeOffset Since)>> MarksAsync(AgentConsoleDbContext db, Actor actor, Guid me, CancellationToken cancellationToken)
    {
        if (!actor.Can(Permissions.ActOnDecisions))
        {
            return [];
        }

        var queues = (await db.Queues.AsNoTracking().OrderBy(q => q.UseCase).ThenBy(q => q.Tier).ToListAsync(cancellationToken)).Where(q => q.MayAct(actor)).ToList();
        var marks = await db.QueueSeenMarks.AsNoTracking().Where(m => m.UserId == me).ToDictionaryAsync(m => m.QueueId, m => m.SeenAt, cancellationToken);
        var missing = queues.Where(q => !marks.ContainsKey(q.Id)).ToList();
        if (missing.Count > 0)
        {
            var now = clock.GetUtcNow();
            await using var fresh = dbs.Create();
            foreach (var queue in missing)
            {
                fresh.QueueSeenMarks.Add(new QueueSeenMark(actor.TenantId, me, queue.Id, now));
                marks[queue.Id] = now;
            }

            try
            {
                await fresh.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException)
            {
                // The person's other console started the same marks a moment ago: theirs stand.
                marks = await db.QueueSeenMarks.AsNoTracking().Where(m => m.UserId == me).ToDictionaryAsync(m => m.QueueId, m => m.SeenAt, cancellationToken);
            }
        }

        return [.. queues.Where(q => marks.ContainsKey(q.Id)).Select(q => (q, marks[q.Id]))];
    }

    private static Guid Me(Actor actor) =>
        actor.Kind == ActorKind.User && Guid.TryParse(actor.Id, out var id)
            ? id
            : throw DomainException.Forbidden("notifications.person-only", "Only people have notifications.");
}
