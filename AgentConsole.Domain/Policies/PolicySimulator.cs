using System.Diagnostics;
using System.Text.Json.Nodes;
using AgentConsole.Domain.Agents;
using AgentConsole.Domain.Decisions;
using AgentConsole.Domain.Persistence;
using Microsoft.EntityFrameworkCore;

namespace AgentConsole.Domain.Policies;

/// <summary>What a person decided about an agent's proposal, where a person decided.</summary>
public enum HumanVerdict
{
    /// <summary>No person resolved it (auto-approved, blocked, still open, expired).</summary>
    Unknown,
    /// <summary>Approved, or overridden to the same outcome.</summary>
    Agreed,
    /// <summary>Rejected, or overridden to a different outcome.</summary>
    Disagreed,
}

/// <summary>Where a policy sends a decision: the route and, for review, the queue.</summary>
public readonly record struct SimulatedRoute(DecisionRoute Route, string? Queue)
{
    public override string ToString() => Route switch
    {
        DecisionRoute.AutoApprove => "auto-approve",
        DecisionRoute.Block => "block",
        _ => $"review ({Queue})",
    };
}

/// <summary>How many decisions a policy auto-approves, reviews and blocks.</summary>
public sealed record RouteCounts(int Auto, int Review, int Block)
{
    public int Total => Auto + Review + Block;
}

/// <summary>The auto-approval error rate a policy would have had, from the human verdicts known.</summary>
/// <param name="AutoApproved">Decisions it would auto-approve.</param>
/// <param name="WithVerdict">Of those, how many a person resolved.</param>
/// <param name="Disagreed">Of those, how many a person rejected or overrode to another outcome.</param>
public sealed record AutoApprovalErrors(int AutoApproved, int WithVerdict, int Disagreed)
{
    /// <summary>Null when no verdict is known.</summary>
    public double? Rate => WithVerdict == 0 ? null : (double)Disagreed / WithVerdict;
}

/// <summary>One agent's routes under both versions.</summary>
public sealed record AgentRouteChange(string AgentKey, string AgentName, RouteCounts Current, RouteCounts Candidate, int Changed);

/// <summary>One queue's review load under both versions.</summary>
public sealed record QueueLoadChange(string QueueKey, string QueueName, int Current, int Candidate)
{
    public int Delta => Candidate - Current;
}

/// <summary>A decision the candidate would route differently.</summary>
public sealed record FlippedDecision(
    Guid DecisionId, string Subject, string AgentKey, double Confidence, RiskLevel Risk, DateTimeOffset CreatedAt,
    SimulatedRoute Current, SimulatedRoute Candidate, IReadOnlyList<string> CandidateRules, HumanVerdict Verdict);

/// <summary>
/// What a candidate version would have done to the recent history, next to what the version in
/// force would have done to the same decisions.
/// </summary>
public sealed record PolicySimulation(
    int CandidateNumber, int? CurrentNumber, DateTimeOffset From, DateTimeOffset To, int Replayed, bool Truncated,
    RouteCounts Current, RouteCounts Candidate, int Changed,
    IReadOnlyDictionary<(DecisionRoute From, DecisionRoute To), int> Transitions,
    IReadOnlyList<AgentRouteChange> ByAgent, IReadOnlyList<QueueLoadChange> ByQueue,
    AutoApprovalErrors CurrentErrors, AutoApprovalErrors CandidateErrors,
    IReadOnlyList<FlippedDecision> Flipped, int FlippedTotal, TimeSpan Elapsed);

/// <summary>One decision of the history, as a simulation replays it.</summary>
/// <param name="PolicyVersionId">The version that routed it, whose masking applies to what the simulation lists of it.</param>
public sealed record HistoricalDecision(
    Guid Id, string Subject, string AgentKey, double Confidence, RiskLevel ProposedRisk, decimal ExposureEur,
    JsonObject Proposal, JsonObject Inputs, HumanVerdict Verdict, DateTimeOffset CreatedAt, Guid? PolicyVersionId = null)
{
    public PolicySubject ToSubject() => new(AgentKey, Confidence, ProposedRisk, ExposureEur, Proposal, Inputs);
}

/// <summary>
/// Replays recent decisions under a candidate policy version and under the version in force:
/// route changes per agent and queue, review load, auto-approval error rates from human verdicts,
/// and the list of decisions that would flip.
/// </summary>
public sealed class PolicySimulator(IAgentConsoleDbFactory dbs, PolicyCache cache, CaseMasks masks, TimeProvider clock)
{
    public const int DefaultDays = 30;
    public const int MaxDecisions = 100_000;
    public const int MaxFlippedListed = 500;

    /// <summary>The replay, with the flipped decisions' subjects masked for <paramref name="viewerRoles"/> as each decision's routing policy says.</summary>
    public async Task<PolicySimulation> SimulateAsync(
        Guid candidateVersionId, IReadOnlyCollection<string> viewerRoles, int days = DefaultDays, int maxDecisions = MaxDecisions, CancellationToken cancellationToken = default)
    {
        if (days is < 1 or > 365)
        {
            throw DomainException.Invalid("simulation.days", "Replay between 1 and 365 days of history.", new Dictionary<string, string[]> { ["days"] = ["Between 1 and 365."] });
        }

        maxDecisions = Math.Clamp(maxDecisions, 1, MaxDecisions);
        await using var db = dbs.Create();
        var version = await db.PolicyVersions.AsNoTracking().SingleOrDefaultAsync(v => v.Id == candidateVersionId, cancellationToken)
            ?? throw DomainException.NotFound("policy.version-not-found", "This policy version does not exist.");
        LoadedPolicy candidate;
        try
        {
            candidate = (await cache.GetAsync(db, candidateVersionId, cancellationToken))!;
        }
        catch (InvalidOperationException)
        {
            throw DomainException.Invalid("simulation.document-invalid", $"Version {version.Number} has problems in its document; fix them and save before simulating it.");
        }
        var scope = await db.PolicyScopes.AsNoTracking().SingleAsync(s => s.Id == version.ScopeId, cancellationToken);
        var currentId = await PolicyDecisionRouter.InForceAsync(db, scope, clock.GetUtcNow(), cancellationToken);
        LoadedPolicy? current;
        try
        {
            current = currentId is { } id ? await cache.GetAsync(db, id, cancellationToken) : null;
        }
        catch (InvalidOperationException)
        {
            throw DomainException.Conflict("simulation.current-invalid", "The policy in force could not be loaded, so there is nothing to compare with.");
        }
        var queues = await db.Queues.AsNoTracking().Where(q => q.UseCase == scope.UseCase).OrderBy(q => q.Tier).ToListAsync(cancellationToken);
        var to = clock.GetUtcNow();
        var from = to.AddDays(-days);
        var history = await LoadHistoryAsync(db, scope, from, maxDecisions + 1, cancellationToken);
        var truncated = history.Count > maxDecisions;
        if (truncated)
        {
            history.RemoveAt(history.Count - 1);
        }

        var agents = await db.Agents.AsNoTracking().Where(a => a.UseCase == scope.UseCase).ToDictionaryAsync(a => a.Key, cancellationToken);
        var simulation = Simulate(candidate.Policy, version.Number, current?.Policy, current?.Number, history, queues.Select(q => (q.Key, q.Name, q.Tier)).ToList(),
            agents.ToDictionary(a => a.Key, a => a.Value.Name, StringComparer.Ordinal), from, to, truncated);
        return simulation with { Flipped = await MaskedAsync(db, simulation.Flipped, history, agents, viewerRoles, cancellationToken) };
    }

    /// <summary>The flipped decisions' subjects (free text that often repeats case values) masked for the viewer.</summary>
    private async Task<List<FlippedDecision>> MaskedAsync(
        AgentConsoleDbContext db, IReadOnlyList<FlippedDecision> flipped, IReadOnlyList<HistoricalDecision> history,
        Dictionary<string, Agent> agents, IReadOnlyCollection<string> viewerRoles, CancellationToken cancellationToken)
    {
        var reader = masks.Open(db);
        var byId = history.ToDictionary(h => h.Id);
        var result = new List<FlippedDecision>(flipped.Count);
        foreach (var flip in flipped)
        {
            var decision = byId[flip.DecisionId];
            var mask = await reader.ForAsync(decision.PolicyVersionId, agents[decision.AgentKey].Id, agents[decision.AgentKey].UseCase, decision.Inputs, viewerRoles, cancellationToken);
            result.Add(flip with { Subject = DecisionView.SubjectFor(flip.Subject, decision.Inputs, mask) });
        }

        return result;
    }

    /// <summary>The replay itself, on decisions already loaded: pure, so a benchmark and a hand-computed fixture can call it.</summary>
    public static PolicySimulation Simulate(
        CompiledPolicy candidate, int candidateNumber, CompiledPolicy? current, int? currentNumber,
        IReadOnlyList<HistoricalDecision> history, IReadOnlyList<(string Key, string Name, int Tier)> queuesByTier,
        IReadOnlyDictionary<string, string> agentNames, DateTimeOffset from, DateTimeOffset to, bool truncated = false)
    {
        var clock = Stopwatch.StartNew();
        var transitions = new Dictionary<(DecisionRoute, DecisionRoute), int>();
        var byAgent = new Dictionary<string, (int[] Current, int[] Candidate, int Changed)>(StringComparer.Ordinal);
        var byQueue = new Dictionary<string, int[]>(StringComparer.Ordinal);
        var currentCounts = new int[3];
        var candidateCounts = new int[3];
        int curAuto = 0, curKnown = 0, curWrong = 0, candAuto = 0, candKnown = 0, candWrong = 0, changed = 0;
        var flipped = new List<FlippedDecision>();
        foreach (var decision in history)
        {
            var subject = decision.ToSubject();
            var b = current?.Evaluate(subject);
            var a = candidate.Evaluate(subject);
            var before = b is null ? new SimulatedRoute(DecisionRoute.Review, queuesByTier.Count > 0 ? queuesByTier[0].Key : null) : Route(b, queuesByTier);
            var after = Route(a, queuesByTier);
            currentCounts[Index(before.Route)]++;
            candidateCounts[Index(after.Route)]++;
            if (!byAgent.TryGetValue(decision.AgentKey, out var agent))
            {
                agent = (new int[3], new int[3], 0);
            }

            agent.Current[Index(before.Route)]++;
            agent.Candidate[Index(after.Route)]++;
            if (before.Queue is { } bq)
            {
                Load(bq)[0]++;
            }

            if (after.Queue is { } aq)
            {
                Load(aq)[1]++;
            }

            Tally(before.Route, decision.Verdict, ref curAuto, ref curKnown, ref curWrong);
            Tally(after.Route, decision.Verdict, ref candAuto, ref candKnown, ref candWrong);
            if (before != after)
            {
                changed++;
                agent.Changed++;
                transitions[(before.Route, after.Route)] = transitions.GetValueOrDefault((before.Route, after.Route)) + 1;
                if (flipped.Count < MaxFlippedListed)
                {
                    flipped.Add(new FlippedDecision(decision.Id, decision.Subject, decision.AgentKey, decision.Confidence, a.Risk, decision.CreatedAt, before, after, a.RulesFired, decision.Verdict));
                }
            }

            byAgent[decision.AgentKey] = agent;
        }

        return new PolicySimulation(
            candidateNumber, currentNumber, from, to, history.Count, truncated,
            Counts(currentCounts), Counts(candidateCounts), changed, transitions,
            [.. byAgent.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => new AgentRouteChange(p.Key, agentNames.GetValueOrDefault(p.Key, p.Key), Counts(p.Value.Current), Counts(p.Value.Candidate), p.Value.Changed))],
            [.. queuesByTier.Where(q => byQueue.ContainsKey(q.Key)).Select(q => new QueueLoadChange(q.Key, q.Name, byQueue[q.Key][0], byQueue[q.Key][1]))],
            new AutoApprovalErrors(curAuto, curKnown, curWrong), new AutoApprovalErrors(candAuto, candKnown, candWrong),
            flipped, changed, clock.Elapsed);

        int[] Load(string queue)
        {
            if (!byQueue.TryGetValue(queue, out var load))
            {
                byQueue[queue] = load = new int[2];
            }

            return load;
        }
    }

    /// <summary>
    /// The decisions a scope's policy routes, newest first: for a use case, those of its agents
    /// that have no policy of their own.
    /// </summary>
    internal static async Task<List<HistoricalDecision>> LoadHistoryAsync(AgentConsoleDbContext db, PolicyScope scope, DateTimeOffset from, int take, CancellationToken cancellationToken)
    {
        var agents = await db.Agents.AsNoTracking().Where(a => a.UseCase == scope.UseCase).Select(a => new { a.Id, a.Key }).ToListAsync(cancellationToken);
        var ownScopes = scope.Kind == PolicyScopeKind.UseCase
            ? (await db.PolicyScopes.AsNoTracking().Where(s => s.Kind == PolicyScopeKind.Agent && s.UseCase == scope.UseCase && s.ActiveVersionId != null).Select(s => s.Key).ToListAsync(cancellationToken)).ToHashSet(StringComparer.Ordinal)
            : [];
        var included = agents.Where(a => scope.Kind == PolicyScopeKind.Agent ? a.Key == scope.Key : !ownScopes.Contains(a.Key)).ToDictionary(a => a.Id, a => a.Key);
        var ids = included.Keys.ToList();
        var schema = ProposalSchema.For(scope.UseCase);
        var rows = await db.Decisions.AsNoTracking()
            .Where(d => d.UseCase == scope.UseCase && d.CreatedAt >= from && ids.Contains(d.AgentId))
            // Gold items (calibration) are cases seeded to measure people, not the agents' history.
            .Where(d => !db.GoldItems.Any(g => g.DecisionId == d.Id))
            .OrderByDescending(d => d.CreatedAt)
            .Take(take)
            .Select(d => new { d.Id, d.Subject, d.AgentId, d.Confidence, d.ProposedRisk, d.ExposureEur, d.ProposalJson, d.InputsJson, d.FinalJson, d.Status, d.CreatedAt, d.PolicyVersionId })
            .ToListAsync(cancellationToken);
        return [.. rows.Select(r =>
        {
            var proposal = JsonNode.Parse(r.ProposalJson)!.AsObject();
            var verdict = Verdict(schema, r.Status, proposal, r.FinalJson);
            return new HistoricalDecision(r.Id, r.Subject, included[r.AgentId], r.Confidence, r.ProposedRisk, r.ExposureEur, proposal, JsonNode.Parse(r.InputsJson)!.AsObject(), verdict, r.CreatedAt, r.PolicyVersionId);
        })];
    }

    /// <summary>Whether the person who resolved a decision agreed with the agent.</summary>
    public static HumanVerdict Verdict(ProposalSchema schema, DecisionStatus status, JsonObject proposal, string? finalJson) => status switch
    {
        DecisionStatus.Approved => HumanVerdict.Agreed,
        DecisionStatus.Rejected => HumanVerdict.Disagreed,
        DecisionStatus.Overridden when finalJson is not null =>
            schema.SameOutcome(proposal, JsonNode.Parse(finalJson)!.AsObject()) ? HumanVerdict.Agreed : HumanVerdict.Disagreed,
        _ => HumanVerdict.Unknown,
    };

    private static SimulatedRoute Route(PolicyOutcome outcome, IReadOnlyList<(string Key, string Name, int Tier)> queuesByTier) =>
        outcome.Route != DecisionRoute.Review || queuesByTier.Count == 0
            ? new SimulatedRoute(outcome.Route, null)
            : new SimulatedRoute(DecisionRoute.Review, PolicyDecisionRouter.QueueFor(queuesByTier, outcome.Tier, q => q.Tier).Key);

    private static void Tally(DecisionRoute route, HumanVerdict verdict, ref int auto, ref int known, ref int wrong)
    {
        if (route != DecisionRoute.AutoApprove)
        {
            return;
        }

        auto++;
        if (verdict != HumanVerdict.Unknown)
        {
            known++;
            wrong += verdict == HumanVerdict.Disagreed ? 1 : 0;
        }
    }

    private static int Index(DecisionRoute route) => route switch
    {
        DecisionRoute.AutoApprove => 0,
        DecisionRoute.Review => 1,
        _ => 2,
    };

    private static RouteCounts Counts(int[] c) => new(c[0], c[1], c[2]);
}
