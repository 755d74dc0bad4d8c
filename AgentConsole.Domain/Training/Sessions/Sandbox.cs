using AgentConsole.Domain.Decisions;
using AgentConsole.Domain.Queues;
using AgentConsole.Domain.Tenancy;
using AgentConsole.Domain.Training.Scenarios;

namespace AgentConsole.Domain.Training.Sessions;

/// <summary>
/// The sandbox a session is worked in: a queue and decisions that exist only in memory, built from the session's items
/// so the queue and decision components show them exactly as they show real ones. Nothing here is saved, routed,
/// executed, published to live consoles or audited.
/// </summary>
public static class Sandbox
{
    /// <summary>The session's queue: anyone working the session may act in it, and it escalates to a senior tier like a real first tier.</summary>
    public static ReviewQueue QueueFor(TrainingSession session, Agents.UseCase useCase)
    {
        var title = session.Mode == SessionMode.Exam ? $"Exam: {session.TrackName}" : $"Practice: {session.TrackName}";
        var queue = new ReviewQueue(session.Id, session.TenantId, "sandbox", title, useCase, 1, 60, Permissions.Roles[Permissions.TakeTraining],
            "A sandbox queue: answers are compared with gold answers; nothing is carried out and nothing counts in production.");
        queue.EscalateTo(SeniorsOf(queue));
        return queue;
    }

    /// <summary>The item as a decision in the sandbox queue, in the state the trainee left it: open, claimed, or answered.</summary>
    public static Decision DecisionFor(TrainingSession session, SessionItem item, Scenario scenario, int agentVersion, Actor trainee)
    {
        var queue = QueueFor(session, scenario.UseCase);
        var decision = Decision.ForPractice(item.Id, scenario, agentVersion, queue, session.StartedAt, session.Deadline);
        if (item.ClaimedAt is { } claimedAt && item.AnsweredAt is null)
        {
            decision.Claim(trainee, claimedAt);
        }

        if (item.Action is { } action && item.AnsweredAt is { } at)
        {
            Apply(decision, trainee, action, item.Values, item.Reason ?? "", queue, at);
        }

        return decision;
    }

    /// <summary>Acts on the in-memory decision as a reviewer would act on a real one; its rules refuse what a real queue refuses.</summary>
    internal static void Apply(Decision decision, Actor trainee, GoldAction action, System.Text.Json.Nodes.JsonObject? values, string reason, ReviewQueue queue, DateTimeOffset now)
    {
        switch (action)
        {
            case GoldAction.Approve:
                decision.Approve(trainee, reason, now);
                break;
            case GoldAction.Override:
                decision.Override(trainee, values ?? [], reason, now);
                break;
            case GoldAction.Reject:
                decision.Reject(trainee, reason, now);
                break;
            default:
                decision.Escalate(trainee, reason, SeniorsOf(queue), now);
                break;
        }
    }

    /// <summary>The tier an item escalated in the sandbox goes to: the answer is recorded, nobody works it there.</summary>
    private static ReviewQueue SeniorsOf(ReviewQueue sandbox)
    {
        var id = sandbox.Id.ToByteArray();
        id[0] ^= 0xFF;
        return new ReviewQueue(new Guid(id), sandbox.TenantId, "sandbox-senior", "Senior review (sandbox)", sandbox.UseCase, 2, 60, Permissions.Roles[Permissions.TakeTraining], "");
    }
}
