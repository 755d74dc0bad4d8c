namespace AgentConsole.Web.Decisions.Components;

/// <summary>
/// What a decision page's actions act on: a real decision through <see cref="DecisionService"/>, or an item of a
/// training session in the sandbox, which the same components show and the same keys work.
/// </summary>
public interface IReviewTarget
{
    /// <summary>Whether this is the sandbox: anyone working the session may act, and nothing reaches production.</summary>
    bool IsSandbox { get; }

    Task ClaimAsync(Guid decisionId, Actor actor);

    Task ReleaseAsync(Guid decisionId, Actor actor);

    Task ApproveAsync(Guid decisionId, Actor actor, string reason, int expectedVersion);

    Task OverrideAsync(Guid decisionId, Actor actor, IReadOnlyDictionary<string, string?> values, string reason, int expectedVersion);

    Task RejectAsync(Guid decisionId, Actor actor, string reason, int expectedVersion);

    Task EscalateAsync(Guid decisionId, Actor actor, string reason, int expectedVersion);
}

/// <summary>Real decisions: every action goes through the Domain service, with its checks, audit and live events.</summary>
internal sealed class DecisionServiceTarget(DecisionService decisions) : IReviewTarget
{
    public bool IsSandbox => false;

    public Task ClaimAsync(Guid decisionId, Actor actor) => decisions.ClaimAsync(decisionId, actor);

    public Task ReleaseAsync(Guid decisionId, Actor actor) => decisions.ReleaseAsync(decisionId, actor);

    public Task ApproveAsync(Guid decisionId, Actor actor, string reason, int expectedVersion) => decisions.ApproveAsync(decisionId, actor, reason, expectedVersion);

    public Task OverrideAsync(Guid decisionId, Actor actor, IReadOnlyDictionary<string, string?> values, string reason, int expectedVersion) =>
        decisions.OverrideAsync(decisionId, actor, values, reason, expectedVersion);

    public Task RejectAsync(Guid decisionId, Actor actor, string reason, int expectedVersion) => decisions.RejectAsync(decisionId, actor, reason, expectedVersion);

    public Task EscalateAsync(Guid decisionId, Actor actor, string reason, int expectedVersion) => decisions.EscalateAsync(decisionId, actor, reason, expectedVersion);
}
