using System.Globalization;
using AgentConsole.Domain.Decisions;
using AgentConsole.Domain.Persistence;
using AgentConsole.Domain.Policies;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace AgentConsole.Domain.Agents.Pause;

/// <summary>An agent's human resolutions in the breaker's window.</summary>
public sealed record BreakerFigures(int Resolved, int Overridden, int Rejected);

/// <summary>
/// After each human resolution of an agent's decision: its override and rejection rates over the policy's sliding window
/// (one indexed aggregate; calibration gold items are not the agent's work and count in neither). With at least the
/// policy's minimum resolved, a rate above its maximum pauses the agent, audited, and alerts the seniors.
/// </summary>
public sealed class CircuitBreaker(IAgentConsoleDbFactory dbs, TimeProvider clock, PolicyCache policies, AgentPauseService pauses, ILogger<CircuitBreaker> logger)
{
    /// <summary>
    /// Called by <see cref="DecisionService"/> after a resolution is committed: a breaker that cannot check (the database
    /// does not answer) does not turn the reviewer's saved action into an error; the next resolution checks again.
    /// </summary>
    public async Task AfterResolutionAsync(Guid agentId, CancellationToken cancellationToken)
    {
        try
        {
            await CheckAsync(agentId, cancellationToken);
        }
        catch (Exception ex) when (ex is DbUpdateException or InvalidOperationException || DatabaseFailures.IsUnavailable(ex))
        {
            logger.LogWarning(ex, "The circuit breaker could not check agent {AgentId}", agentId);
        }
    }

    /// <summary>Checks the agent; returns the reason it was paused, or null when it keeps running.</summary>
    public async Task<string?> CheckAsync(Guid agentId, CancellationToken cancellationToken = default)
    {
        await using var db = dbs.Create();
        var agent = await db.Agents.SingleOrDefaultAsync(a => a.Id == agentId, cancellationToken);
        if (agent is null || agent.IsPaused)
        {
            return null;
        }

        var now = clock.GetUtcNow();
        var versionId = await PolicyDecisionRouter.InForceAsync(db, agent.Key, agent.UseCase, now, cancellationToken);
        var settings = versionId is { } id ? (await policies.GetAsync(db, id, cancellationToken))?.Policy.Document.CircuitBreaker : null;
        if (settings is null)
        {
            return null;
        }

        var figures = await FiguresAsync(db, agentId, now - settings.Window, cancellationToken);
        var reason = Trips(settings, figures);
        if (reason is null)
        {
            return null;
        }

        if (!await pauses.PauseByBreakerAsync(db, agent, reason, cancellationToken))
        {
            return null;
        }

        logger.LogWarning("The circuit breaker paused agent {Agent}: {Reason}", agent.Key, reason);
        return reason;
    }

    /// <summary>Resolutions by people since <paramref name="since"/>, gold items left out: one aggregate on (agent, resolved at).</summary>
    public static async Task<BreakerFigures> FiguresAsync(AgentConsoleDbContext db, Guid agentId, DateTimeOffset since, CancellationToken cancellationToken)
    {
        var row = await db.Decisions
            .Where(d => d.AgentId == agentId && d.ResolvedAt >= since
                && (d.Status == DecisionStatus.Approved || d.Status == DecisionStatus.Overridden || d.Status == DecisionStatus.Rejected)
                && !db.GoldItems.Any(g => g.DecisionId == d.Id))
            .GroupBy(d => d.AgentId)
            .Select(g => new BreakerFigures(g.Count(), g.Count(d => d.Status == DecisionStatus.Overridden), g.Count(d => d.Status == DecisionStatus.Rejected)))
            .SingleOrDefaultAsync(cancellationToken);
        return row ?? new BreakerFigures(0, 0, 0);
    }

    /// <summary>Why the breaker trips on these figures, e.g. "overrides 9 of 20 (45%) in the last hour, above the policy's 30%"; null when it holds.</summary>
    public static string? Trips(CircuitBreakerSettings settings, BreakerFigures figures)
    {
        if (figures.Resolved < settings.MinDecisions || figures.Resolved == 0)
        {
            return null;
        }

        var reasons = new List<string>();
        if (settings.MaxOverrideRate is { } maxOverrides && (double)figures.Overridden / figures.Resolved > maxOverrides)
        {
            reasons.Add(Describe("overrides", figures.Overridden, figures.Resolved, settings.Window, maxOverrides));
        }

        if (settings.MaxRejectionRate is { } maxRejections && (double)figures.Rejected / figures.Resolved > maxRejections)
        {
            reasons.Add(Describe("rejections", figures.Rejected, figures.Resolved, settings.Window, maxRejections));
        }

        return reasons.Count == 0 ? null : string.Join("; ", reasons);
    }

    private static string Describe(string what, int count, int resolved, TimeSpan window, double max) =>
        $"{what} {count} of {resolved} ({Percent((double)count / resolved)}) in the last {Window(window)}, above the policy's {Percent(max)}";

    private static string Percent(double rate) => Math.Round(rate * 100, 1).ToString("0.#", CultureInfo.InvariantCulture) + "%";

    private static string Window(TimeSpan window) =>
        window == TimeSpan.FromHours(1) ? "hour"
        : window == TimeSpan.FromDays(1) ? "day"
        : window.TotalDays >= 1 && window.TotalDays == Math.Floor(window.TotalDays) ? $"{window.TotalDays:0} days"
        : window.TotalHours >= 1 && window.TotalHours == Math.Floor(window.TotalHours) ? $"{window.TotalHours:0} hours"
        : $"{window.TotalMinutes:0} minutes";
}
