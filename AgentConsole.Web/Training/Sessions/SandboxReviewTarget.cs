using AgentConsole.Domain.Training.Scenarios;
using AgentConsole.Domain.Training.Sessions;
using AgentConsole.Web.Decisions.Components;

namespace AgentConsole.Web.Training.Sessions;

/// <summary>The decision page's actions on an item of a training session: answers go to the session, never to production.</summary>
internal sealed class SandboxReviewTarget(TrainingSessions sessions, Guid sessionId) : IReviewTarget
{
    public bool IsSandbox => true;

    public Task ClaimAsync(Guid decisionId, Actor actor) => sessions.ClaimAsync(actor, sessionId, decisionId);

    public Task ReleaseAsync(Guid decisionId, Actor actor) => sessions.ReleaseAsync(actor, sessionId, decisionId);

    public Task ApproveAsync(Guid decisionId, Actor actor, string reason, int expectedVersion) =>
        sessions.AnswerAsync(actor, sessionId, decisionId, new SandboxAnswer(GoldAction.Approve, reason));

    public Task OverrideAsync(Guid decisionId, Actor actor, IReadOnlyDictionary<string, string?> values, string reason, int expectedVersion) =>
        sessions.AnswerAsync(actor, sessionId, decisionId, new SandboxAnswer(GoldAction.Override, reason, values));

    public Task RejectAsync(Guid decisionId, Actor actor, string reason, int expectedVersion) =>
        sessions.AnswerAsync(actor, sessionId, decisionId, new SandboxAnswer(GoldAction.Reject, reason));

    public Task EscalateAsync(Guid decisionId, Actor actor, string reason, int expectedVersion) =>
        sessions.AnswerAsync(actor, sessionId, decisionId, new SandboxAnswer(GoldAction.Escalate, reason));
}
