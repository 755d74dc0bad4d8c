using AgentConsole.Domain.Decisions;
using AgentConsole.Domain.Persistence;
using AgentConsole.Domain.Tenancy;
using AgentConsole.Domain.Training.Certifications;
using Microsoft.EntityFrameworkCore;

namespace AgentConsole.Domain.Queues.Leases;

/// <summary>A person a decision may be given to.</summary>
public sealed record Assignee(Guid UserId, string Name);

/// <summary>
/// Senior operators assign, reassign and release decisions with a reason. The person given a decision must be able to
/// decide it: an active member of the tenant with a role the queue and the routing policy admit, holding the certification
/// the policy names, valid now.
/// </summary>
public sealed class Assignments(IAgentConsoleDbFactory dbs, DecisionService decisions, TimeProvider clock)
{
    /// <summary>Who may be given the decision, by name; refuses those who may not supervise.</summary>
    public async Task<IReadOnlyList<Assignee>> CandidatesAsync(Guid decisionId, Actor senior, CancellationToken cancellationToken = default)
    {
        RequireSupervisor(senior);
        await using var db = dbs.Create();
        var decision = await FindAsync(db, decisionId, cancellationToken);
        var queue = decision.QueueId is { } q ? await db.Queues.AsNoTracking().SingleAsync(x => x.Id == q, cancellationToken) : null;
        if (queue is null)
        {
            return [];
        }

        var users = await db.Users.AsNoTracking().Where(u => u.IsActive).ToListAsync(cancellationToken);
        var held = await HeldAsync(db, decision.ReviewCertification, cancellationToken);
        var now = clock.GetUtcNow();
        return [.. users.Where(u => WhyNot(decision, queue, u, held, now) is null).Select(u => new Assignee(u.Id, u.DisplayName)).OrderBy(a => a.Name, StringComparer.Ordinal)];
    }

    /// <summary>Gives the decision to the person <paramref name="assigneeId"/>; bad input answers per field and changes nothing.</summary>
    public async Task<Decision> AssignAsync(Guid decisionId, Actor senior, Guid? assigneeId, string? reason, CancellationToken cancellationToken = default)
    {
        RequireSupervisor(senior);
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(reason))
        {
            errors["reason"] = [Decision.ReasonRequired];
        }

        Actor? assignee = null;
        await using (var db = dbs.Create())
        {
            var decision = await FindAsync(db, decisionId, cancellationToken);
            var queue = decision.QueueId is { } q ? await db.Queues.AsNoTracking().SingleAsync(x => x.Id == q, cancellationToken) : null;
            var user = assigneeId is { } id ? await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Id == id, cancellationToken) : null;
            if (user is null || !user.IsActive)
            {
                errors["assigneeId"] = [assigneeId is null ? "Choose the person to assign it to." : "No active person in your organisation has this id."];
            }
            else if (queue is not null && WhyNot(decision, queue, user, await HeldAsync(db, decision.ReviewCertification, cancellationToken), clock.GetUtcNow()) is { } why)
            {
                errors["assigneeId"] = [why];
            }
            else
            {
                assignee = user.ToActor();
            }
        }

        if (errors.Count > 0)
        {
            throw DomainException.Invalid("decision.assign-invalid", "The decision was not assigned: " + string.Join(" ", errors.SelectMany(e => e.Value)), errors);
        }

        return await decisions.AssignAsync(decisionId, senior, assignee!, reason!, cancellationToken);
    }

    /// <summary>Takes the decision back from whoever holds it or was given it, with a reason.</summary>
    public Task<Decision> ReleaseAsync(Guid decisionId, Actor senior, string? reason, CancellationToken cancellationToken = default)
    {
        RequireSupervisor(senior);
        return decisions.SupervisorReleaseAsync(decisionId, senior, reason ?? "", cancellationToken);
    }

    /// <summary>Why <paramref name="user"/> could not decide it, or null when they could.</summary>
    internal static string? WhyNot(Decision decision, ReviewQueue queue, AppUser user, ILookup<string, Certification> held, DateTimeOffset now)
    {
        var actor = user.ToActor();
        if (decision.GaveVerdict(actor.Id))
        {
            return decision.NeedsSeniorDecision
                ? $"{user.DisplayName} gave one of the four-eyes verdicts that disagreed: a senior operator who gave neither decides it."
                : $"{user.DisplayName} already gave their four-eyes verdict on it: another reviewer must give theirs.";
        }

        if (decision.NeedsSeniorDecision && !actor.IsInRole(Roles.SeniorOperator))
        {
            return $"{user.DisplayName} may not decide it: its four-eyes reviewers disagreed, so a senior operator decides it.";
        }

        if (!queue.MayAct(actor) || !decision.MayDecide(actor))
        {
            var roles = decision.DecidersIn(queue);
            return $"{user.DisplayName} may not decide items in {queue.Name}: that takes {(roles.Count == 0 ? "a role nobody can hold there" : string.Join(" or ", roles.Select(Roles.WithArticle)))}.";
        }

        if (decision.ReviewCertification is { } key && CertificationGate.Missing(key, [.. held[user.Id.ToString()]], now) is { } missing)
        {
            return $"{user.DisplayName} may not decide it: it needs the {key} certification, and {missing.Replace("you have", "they have", StringComparison.Ordinal).Replace("yours", "theirs", StringComparison.Ordinal)}.";
        }

        return null;
    }

    internal static async Task<ILookup<string, Certification>> HeldAsync(AgentConsoleDbContext db, string? key, CancellationToken cancellationToken) =>
        key is null
            ? Array.Empty<Certification>().ToLookup(c => c.HolderId)
            : (await db.Certifications.AsNoTracking().Where(c => c.Key == key).ToListAsync(cancellationToken)).ToLookup(c => c.HolderId);

    private static async Task<Decision> FindAsync(AgentConsoleDbContext db, Guid decisionId, CancellationToken cancellationToken) =>
        await db.Decisions.AsNoTracking().SingleOrDefaultAsync(d => d.Id == decisionId, cancellationToken)
            ?? throw DomainException.NotFound("decision.not-found", "This decision does not exist.");

    private static void RequireSupervisor(Actor actor)
    {
        if (!actor.Can(Permissions.SuperviseQueues))
        {
            throw DomainException.Forbidden("decision.supervisor-only", "Only a senior operator may assign, reassign or release decisions for others.");
        }
    }
}
