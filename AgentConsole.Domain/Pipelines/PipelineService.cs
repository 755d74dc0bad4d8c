using System.Diagnostics;
using System.Text.Json.Nodes;
using AgentConsole.Domain.Agents;
using AgentConsole.Domain.Agents.Pause;
using AgentConsole.Domain.Audit;
using AgentConsole.Domain.Decisions;
using AgentConsole.Domain.Execution;
using AgentConsole.Domain.Persistence;
using AgentConsole.Domain.Telemetry;
using AgentConsole.Domain.Tenancy;
using AgentConsole.Domain.Traces;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace AgentConsole.Domain.Pipelines;

/// <summary>
/// Runs cases through an agent: records the run, asks the agent for a proposal, routes it and
/// stores the decision. Safe to call twice for one run: the database says what is already done.
/// </summary>
public sealed class PipelineService(
    IAgentConsoleDbFactory dbs,
    TimeProvider clock,
    AgentRegistry registry,
    IDecisionRouter router,
    DecisionEventBus events,
    IPipelineScheduler scheduler,
    ExecutionService execution,
    ILogger<PipelineService> logger)
{
    /// <summary>
    /// A case sent by another system to an agent by its key; checked against what the agent reads, then started like any run.
    /// With the client's <paramref name="idempotencyKey"/>, submitting the same case again returns the run recorded the first time.
    /// </summary>
    public async Task<Guid> SubmitCaseAsync(string agentKey, string? subject, JsonObject? inputs, Actor actor, string? idempotencyKey = null, CancellationToken cancellationToken = default)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(subject))
        {
            errors["subject"] = ["A subject is required, e.g. the partner or contract the case is about."];
        }
        else if (subject.Length > 300)
        {
            errors["subject"] = ["The subject must be 300 characters or fewer."];
        }

        if (inputs is null || inputs.Count == 0)
        {
            errors["inputs"] = ["The inputs must be a JSON object with the case's fields."];
        }

        if (errors.Count > 0)
        {
            throw DomainException.Invalid("case.invalid", "The case cannot be submitted.", errors);
        }

        Guid agentId;
        subject = subject!.Trim();
        await using (var db = dbs.Create())
        {
            var agent = await db.Agents.Where(a => a.Key == agentKey).Select(a => new { a.Id, a.Name, a.UseCase }).SingleOrDefaultAsync(cancellationToken)
                ?? throw DomainException.NotFound("agent.not-found", $"There is no agent '{agentKey}'.");
            agentId = agent.Id;

            // The agent reads these fields: a case it cannot read is refused here, not failed in its job.
            var invalid = CaseSchema.For(agent.UseCase).Validate(inputs!);
            if (invalid.Count > 0)
            {
                throw DomainException.Invalid("case.inputs-invalid",
                    $"The case's inputs do not fit {agent.Name}: {string.Join(", ", invalid.Keys)} {(invalid.Count == 1 ? "is" : "are")} missing or invalid.", invalid);
            }

            if (idempotencyKey is not null && await FindKeyedRunAsync(db, idempotencyKey, agentId, subject, inputs!, cancellationToken) is { } submitted)
            {
                return submitted;
            }
        }

        try
        {
            return await StartRunAsync(agentId, subject, inputs!, truth: null, actor, idempotencyKey, ApiChannel, cancellationToken);
        }
        catch (DbUpdateException) when (idempotencyKey is not null)
        {
            // A parallel submission with the same key recorded its run first.
            await using var db = dbs.Create();
            if (await FindKeyedRunAsync(db, idempotencyKey, agentId, subject, inputs!, cancellationToken) is { } recorded)
            {
                return recorded;
            }

            throw;
        }
    }

    /// <summary>Records a run for a case and hands it to the job system. The run exists before its job does.</summary>
    public Task<Guid> StartRunAsync(Guid agentId, string subject, JsonObject inputs, JsonObject? truth, Actor actor, CancellationToken cancellationToken = default) =>
        StartRunAsync(agentId, subject, inputs, truth, actor, idempotencyKey: null, FeedChannel, cancellationToken);

    /// <summary>The run a key already recorded, when the case is the same; another case under the key is refused.</summary>
    private static async Task<Guid?> FindKeyedRunAsync(AgentConsoleDbContext db, string idempotencyKey, Guid agentId, string subject, JsonObject inputs, CancellationToken cancellationToken)
    {
        var run = await db.Runs.AsNoTracking().Where(r => r.IdempotencyKey == idempotencyKey)
            .Select(r => new { r.Id, r.AgentId, r.Subject, r.InputJson }).SingleOrDefaultAsync(cancellationToken);
        if (run is null)
        {
            return null;
        }

        return run.AgentId == agentId && run.Subject == subject && run.InputJson == inputs.ToJsonString()
            ? run.Id
            : throw DomainException.Conflict("case.idempotency-key", $"This Idempotency-Key was already used for another case (run {run.Id}). Use a new key for a new case.");
    }

    private const string ApiChannel = "api";
    private const string FeedChannel = "feed";

    /// <summary>The intake: the run is recorded under its own span, whose context the run keeps (<c>TraceParent</c>) so every later step joins its trace.</summary>
    private async Task<Guid> StartRunAsync(Guid agentId, string subject, JsonObject inputs, JsonObject? truth, Actor actor, string? idempotencyKey, string channel, CancellationToken cancellationToken)
    {
        using var activity = AgentConsoleTelemetry.Source.StartActivity("intake", ActivityKind.Producer).ForTenant(actor.TenantId);
        activity?.SetTag(SpanAttributes.IntakeChannel, channel);
        await using var db = dbs.Create();
        var agent = await db.Agents.SingleOrDefaultAsync(a => a.Id == agentId, cancellationToken)
            ?? throw DomainException.NotFound("agent.not-found", "This agent does not exist.");
        if (activity is not null)
        {
            activity.DisplayName = $"intake {agent.Key}";
            activity.SetTag(SpanAttributes.AgentKey, agent.Key);
        }

        var now = clock.GetUtcNow();
        var run = new PipelineRun(Guid.NewGuid(), agent.TenantId, agent.Id, agent.UseCase, subject, inputs.ToJsonString(), truth?.ToJsonString() ?? "{}", Activity.Current?.Id, now, idempotencyKey);
        db.Runs.Add(run);
        db.AuditEntries.Add(AuditEntry.Record(actor, "run.started", "run", run.Id.ToString(), null, null, new { agent = agent.Key, subject }, now));
        await db.SaveChangesAsync(cancellationToken);
        activity?.SetTag(SpanAttributes.RunId, run.Id.ToString());
        AgentConsoleTelemetry.RunsStarted.Add(1, new KeyValuePair<string, object?>("use_case", agent.UseCase.ToString()));
        scheduler.EnqueueRun(run.TenantId, run.Id);
        return run.Id;
    }

    /// <summary>Proposes and routes the run's decision, unless that already happened.</summary>
    public async Task ProcessRunAsync(Guid runId, CancellationToken cancellationToken = default)
    {
        await using var db = dbs.Create();
        var run = await db.Runs.Include(r => r.Steps).SingleOrDefaultAsync(r => r.Id == runId, cancellationToken);
        using var activity = AgentConsoleTelemetry.StartContinuing("pipeline run", run?.TraceParent, ActivityKind.Consumer);
        activity?.SetTag(SpanAttributes.RunId, runId.ToString());
        if (run is null || run.Status is not (RunStatus.Pending or RunStatus.Running))
        {
            logger.LogDebug("Run {RunId} has nothing left to propose", runId);
            return;
        }

        activity.ForTenant(run.TenantId)?.SetTag(SpanAttributes.RunAttempt, run.Attempts + 1);

        var agent = await db.Agents.Include(a => a.Versions).SingleAsync(a => a.Id == run.AgentId, cancellationToken);
        var version = agent.Versions.Single(v => v.Version == agent.CurrentVersion);
        var now = clock.GetUtcNow();
        var inputs = JsonNode.Parse(run.InputJson)!.AsObject();

        // The attempt is saved with the proposal (one commit per run); a failed attempt is saved on its own.
        run.StartAttempt(now);
        AgentProposal proposal;
        RoutingResult routing;
        try
        {
            (proposal, routing) = await ProposeAndRouteAsync(db, agent, version, inputs, run.HeldProposalJson, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            activity.Fail(ex);
            await AgentPauseLock.RollbackAsync(db, cancellationToken);
            await RecordFailedAttemptAsync(runId, ex, cancellationToken);
            throw;
        }

        if (routing.Held)
        {
            await HoldAsync(db, run, agent, proposal, routing, cancellationToken);
            return;
        }

        now = clock.GetUtcNow();
        var decision = Decision.Propose(Guid.NewGuid(), run.Id, agent, version, run.Subject, inputs, proposal, routing, now);
        db.Decisions.Add(decision);
        activity?.SetTag(SpanAttributes.DecisionId, decision.Id.ToString());
        run.Proposed(decision.Id, routing.Route == DecisionRoute.Review, decision.Status.IsExecutable(), now);
        var agentActor = Actor.Agent(agent.TenantId, agent.Key, agent.Name);
        db.AuditEntries.Add(AuditEntry.Record(agentActor, "decision.proposed", "decision", decision.Id.ToString(), routing.Reason, null,
            DecisionService.Snapshot(decision), now));
        DateTimeOffset committedAt;
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            await AgentPauseLock.CommitAsync(db, cancellationToken);
            committedAt = clock.GetUtcNow();
        }
        catch (DbUpdateException)
        {
            if (!await DecisionExistsAsync(run.Id, cancellationToken))
            {
                throw;
            }

            logger.LogInformation("Run {RunId} was proposed by a parallel attempt", run.Id);
            return;
        }

        AgentConsoleTelemetry.DecisionsProposed.Add(1, new KeyValuePair<string, object?>("route", routing.Route.ToString()));
        var kind = routing.Route switch
        {
            DecisionRoute.AutoApprove => DecisionEventKind.AutoApproved,
            DecisionRoute.Block => DecisionEventKind.Blocked,
            _ => DecisionEventKind.Queued,
        };
        await events.PublishAsync(new DecisionEvent(decision.TenantId, decision.Id, decision.QueueId, null, kind, decision.Status, decision.Version, agent.Name, committedAt));

        // An auto-approved decision is carried out at once, in the same job (one job less per case).
        // If that fails on the infrastructure, its own job retries it; the reconciler would find it too.
        if (decision.Status.IsExecutable())
        {
            try
            {
                await execution.ExecuteAsync(decision.Id, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning(ex, "Executing decision {DecisionId} right after its proposal failed; it is handed to the job system", decision.Id);
                scheduler.EnqueueExecution(decision.TenantId, decision.Id);
            }
        }
    }

    /// <param name="keptProposal">The proposal a held run kept (JSON): routed as it is, the agent is not asked again.</param>
    private async Task<(AgentProposal Proposal, RoutingResult Routing)> ProposeAndRouteAsync(
        AgentConsoleDbContext db, Agent agent, AgentVersion version, JsonObject inputs, string? keptProposal, CancellationToken cancellationToken)
    {
        AgentProposal proposal;
        using (var step = AgentConsoleTelemetry.Source.StartActivity($"step {PipelineRun.ProposeStep}").ForTenant(agent.TenantId))
        {
            step?.SetTag(SpanAttributes.AgentKey, agent.Key);
            step?.SetTag(SpanAttributes.AgentVersion, version.Version);
            try
            {
                proposal = keptProposal is not null ? HeldProposals.Read(keptProposal) : await InferAsync(agent, version, inputs, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                step.Fail(ex);
                throw;
            }
        }

        using var route = AgentConsoleTelemetry.Source.StartActivity($"step {PipelineRun.RouteStep}").ForTenant(agent.TenantId);
        try
        {
            // From here to the commit, one unit of work: the pause state routing reads is the one the decision (or hold) is saved under.
            await AgentPauseLock.ReadInTransactionAsync(db, agent, cancellationToken);
            var queues = await db.Queues.Where(q => q.UseCase == agent.UseCase).ToListAsync(cancellationToken);
            RoutingResult routing;
            using (var policy = AgentConsoleTelemetry.Source.StartActivity("policy evaluate").ForTenant(agent.TenantId))
            {
                try
                {
                    routing = await router.RouteAsync(db, new RoutingRequest(agent, proposal, queues, inputs), cancellationToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    policy.Fail(ex);
                    throw;
                }

                policy?.SetTag(SpanAttributes.PolicyRoutedBy, routing.RoutedBy);
                policy?.SetTag(SpanAttributes.PolicyVersionId, routing.PolicyVersionId?.ToString());
                policy?.SetTag(SpanAttributes.PolicyRulesFired, routing.RulesFired.ToArray());
                policy?.SetTag(SpanAttributes.Risk, (routing.Risk ?? proposal.Risk).ToString());
            }

            route?.SetTag(SpanAttributes.Route, routing.Route.ToString());
            route?.SetTag(SpanAttributes.RouteReason, routing.Reason);
            if (routing.Queue is { } queue)
            {
                route?.SetTag(SpanAttributes.QueueId, queue.Id.ToString());
                route?.SetTag(SpanAttributes.QueueName, queue.Name);
                route?.SetTag(SpanAttributes.QueueTier, queue.Tier);
            }

            return (proposal, routing);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            route.Fail(ex);
            throw;
        }
    }

    /// <summary>The agent is paused and its policy holds proposals: the run keeps the proposal and waits for the resume.</summary>
    private async Task HoldAsync(AgentConsoleDbContext db, PipelineRun run, Agent agent, AgentProposal proposal, RoutingResult routing, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        run.Hold(HeldProposals.Write(proposal), routing.Reason, now);
        db.AuditEntries.Add(AuditEntry.Record(Actor.Agent(agent.TenantId, agent.Key, agent.Name), "run.held", "run", run.Id.ToString(), routing.Reason, null,
            new { agent = agent.Key, pausedBy = agent.PausedByName }, now));
        await db.SaveChangesAsync(cancellationToken);
        await AgentPauseLock.CommitAsync(db, cancellationToken);
        logger.LogInformation("Run {RunId} is held: {Reason}", run.Id, routing.Reason);
    }

    /// <summary>
    /// The agent's inference, as an OpenTelemetry GenAI span (<c>invoke_agent {model}</c>): the implementation is the
    /// model (<c>builtin:pricing/1</c>), the agent its id and name; confidence, and token counts when the model reports them.
    /// Never the case's inputs.
    /// </summary>
    private async Task<AgentProposal> InferAsync(Agent agent, AgentVersion version, JsonObject inputs, CancellationToken cancellationToken)
    {
        var model = version.Implementation;
        using var inference = AgentConsoleTelemetry.Source.StartActivity($"{SpanAttributes.GenAi.InvokeAgent} {model}", ActivityKind.Client).ForTenant(agent.TenantId);
        inference?.SetTag(SpanAttributes.GenAi.OperationName, SpanAttributes.GenAi.InvokeAgent);
        inference?.SetTag(SpanAttributes.GenAi.ProviderName, ProviderOf(model));
        inference?.SetTag(SpanAttributes.GenAi.System, ProviderOf(model));
        inference?.SetTag(SpanAttributes.GenAi.RequestModel, model);
        inference?.SetTag(SpanAttributes.GenAi.AgentId, agent.Id.ToString());
        inference?.SetTag(SpanAttributes.GenAi.AgentName, agent.Name);
        inference?.SetTag(SpanAttributes.AgentKey, agent.Key);
        inference?.SetTag(SpanAttributes.AgentVersion, version.Version);
        try
        {
            var proposal = await registry.Resolve(model).ProposeAsync(inputs, cancellationToken);
            inference?.SetTag(SpanAttributes.GenAi.ResponseModel, proposal.Usage?.ResponseModel ?? model);
            inference?.SetTag(SpanAttributes.Confidence, proposal.Confidence);
            inference?.SetTag(SpanAttributes.Risk, proposal.Risk.ToString());
            if (proposal.Usage is { } usage)
            {
                inference?.SetTag(SpanAttributes.GenAi.InputTokens, usage.InputTokens);
                inference?.SetTag(SpanAttributes.GenAi.OutputTokens, usage.OutputTokens);
            }

            return proposal;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            inference.Fail(ex);
            throw;
        }
    }

    /// <summary>Who serves a model: <c>agentconsole.builtin</c> for the offline agents, else the implementation's prefix (e.g. <c>chat</c>).</summary>
    public static string ProviderOf(string implementation) =>
        implementation.StartsWith("builtin:", StringComparison.Ordinal) ? "agentconsole.builtin"
        : implementation.IndexOf(':', StringComparison.Ordinal) is > 0 and var colon ? implementation[..colon]
        : implementation;

    /// <summary>Counts the attempt and keeps its error, so the reconciler gives up on a run that keeps failing.</summary>
    private async Task RecordFailedAttemptAsync(Guid runId, Exception error, CancellationToken cancellationToken)
    {
        try
        {
            await using var db = dbs.Create();
            var run = await db.Runs.Include(r => r.Steps).SingleAsync(r => r.Id == runId, cancellationToken);
            var now = clock.GetUtcNow();
            run.StartAttempt(now);
            run.AttemptFailed(error.Message, now);
            db.AuditEntries.Add(AuditEntry.Record(Actor.System(run.TenantId, "pipeline"), "run.attempt-failed", "run", run.Id.ToString(), error.Message, null,
                new { attempts = run.Attempts }, now));
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is DbUpdateException or DomainException || DatabaseFailures.IsUnavailable(ex))
        {
            logger.LogWarning(ex, "The failed attempt of run {RunId} could not be recorded", runId);
        }
    }

    private async Task<bool> DecisionExistsAsync(Guid runId, CancellationToken cancellationToken)
    {
        await using var db = dbs.Create();
        return await db.Decisions.AnyAsync(d => d.RunId == runId, cancellationToken);
    }
}
