using AgentConsole.Domain.Persistence;
using Microsoft.EntityFrameworkCore;

namespace AgentConsole.Domain.Policies;

/// <summary>How often reviewers agreed with an agent in one confidence band.</summary>
public sealed record CalibrationBand(double From, double To, int WithVerdict, int Agreed)
{
    public double Midpoint => (From + To) / 2;

    /// <summary>Null when no verdict is known in the band.</summary>
    public double? AgreementRate => WithVerdict == 0 ? null : (double)Agreed / WithVerdict;
}

/// <summary>The lowest auto-approval threshold that keeps the error under the target, with the evidence for it.</summary>
/// <param name="Threshold">Null when no threshold has enough verdicts to meet the target.</param>
/// <param name="WithVerdict">Verdicts known at or above the threshold.</param>
/// <param name="ErrorRate">Disagreement among them.</param>
/// <param name="ShareAtOrAbove">Share of all the agent's decisions whose confidence reaches the threshold.</param>
/// <param name="LowestErrorRate">The lowest error any threshold with enough verdicts reaches (to tell the board what is achievable).</param>
public sealed record ThresholdAdvice(double? Threshold, int WithVerdict, double? ErrorRate, double ShareAtOrAbove, double? LowestErrorRate = null);

/// <summary>One agent's calibration curve and threshold advice.</summary>
public sealed record AgentCalibration(string AgentKey, string AgentName, int Decisions, int WithVerdict, IReadOnlyList<CalibrationBand> Bands, ThresholdAdvice Advice, double? CurrentThreshold);

/// <summary>
/// Reads how often people agreed with each agent per confidence band, and advises the lowest
/// threshold whose auto-approvals would have stayed under the board's error target. Verdicts exist
/// only for decisions people reviewed, so the bands near today's threshold carry the evidence.
/// </summary>
public sealed class ThresholdAdvisor(IAgentConsoleDbFactory dbs, PolicyCache cache, TimeProvider clock)
{
    /// <summary>Fewer verdicts than this above a threshold are not evidence enough.</summary>
    public const int MinimumVerdicts = 20;
    public const double BandWidth = 0.05;

    public async Task<IReadOnlyList<AgentCalibration>> AdviseAsync(Guid scopeId, double targetErrorRate, int days = PolicySimulator.DefaultDays, CancellationToken cancellationToken = default)
    {
        if (targetErrorRate is <= 0 or >= 1)
        {
            throw DomainException.Invalid("advice.target", "The error target must lie between 0 and 100 %.", new Dictionary<string, string[]> { ["target"] = ["Between 0 and 100 %."] });
        }

        await using var db = dbs.Create();
        var scope = await db.PolicyScopes.AsNoTracking().SingleOrDefaultAsync(s => s.Id == scopeId, cancellationToken)
            ?? throw DomainException.NotFound("policy.scope-not-found", "This policy does not exist.");
        var now = clock.GetUtcNow();
        var history = await PolicySimulator.LoadHistoryAsync(db, scope, now.AddDays(-days), PolicySimulator.MaxDecisions, cancellationToken);
        LoadedPolicy? active;
        try
        {
            active = await PolicyDecisionRouter.InForceAsync(db, scope, now, cancellationToken) is { } id ? await cache.GetAsync(db, id, cancellationToken) : null;
        }
        catch (InvalidOperationException)
        {
            active = null;
        }
        var names = await db.Agents.AsNoTracking().Where(a => a.UseCase == scope.UseCase).ToDictionaryAsync(a => a.Key, a => a.Name, cancellationToken);
        return [.. history.GroupBy(h => h.AgentKey).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => Calibrate(g.Key, names.GetValueOrDefault(g.Key, g.Key), [.. g.Select(h => (h.Confidence, h.Verdict))], targetErrorRate,
                active?.Policy.Document.AutoApprove.ThresholdFor(g.Key)))];
    }

    /// <summary>The calibration of one agent's decisions (confidence and verdict); pure, for tests.</summary>
    public static AgentCalibration Calibrate(string agentKey, string agentName, IReadOnlyList<(double Confidence, HumanVerdict Verdict)> decisions, double targetErrorRate, double? currentThreshold = null)
    {
        var bands = new List<CalibrationBand>();
        for (var from = 0.0; from < 0.999; from += BandWidth)
        {
            var lower = Math.Round(from, 2);
            var upper = Math.Round(from + BandWidth, 2);
            var inBand = decisions.Where(d => d.Confidence >= lower && (d.Confidence < upper || (upper >= 1 && d.Confidence <= 1)) && d.Verdict != HumanVerdict.Unknown).ToList();
            bands.Add(new CalibrationBand(lower, upper, inBand.Count, inBand.Count(d => d.Verdict == HumanVerdict.Agreed)));
        }

        var known = decisions.Where(d => d.Verdict != HumanVerdict.Unknown).OrderByDescending(d => d.Confidence).ToList();
        ThresholdAdvice advice = new(null, 0, null, 0);
        double? lowest = null;

        // Candidate thresholds sit where the evidence is: at the confidences people gave verdicts on.
        // The advice is the lowest one whose auto-approvals would have erred within the target.
        foreach (var threshold in known.Select(d => Math.Floor(d.Confidence * 100) / 100).Distinct())
        {
            var above = known.TakeWhile(d => d.Confidence >= threshold - 1e-9).ToList();
            if (above.Count < MinimumVerdicts)
            {
                continue;
            }

            var error = (double)above.Count(d => d.Verdict == HumanVerdict.Disagreed) / above.Count;
            lowest = Math.Min(lowest ?? 1, error);
            if (error <= targetErrorRate)
            {
                var share = (double)decisions.Count(d => d.Confidence >= threshold - 1e-9) / decisions.Count;
                advice = new ThresholdAdvice(threshold, above.Count, error, share);
            }
        }

        return new AgentCalibration(agentKey, agentName, decisions.Count, known.Count, [.. bands.Where(b => b.To > 0.5 || b.WithVerdict > 0)], advice with { LowestErrorRate = lowest }, currentThreshold);
    }
}
