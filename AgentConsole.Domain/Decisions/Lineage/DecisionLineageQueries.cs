using System.Text.Json;
using System.Text.Json.Nodes;
using AgentConsole.Domain.Agents;
using AgentConsole.Domain.Audit;
using AgentConsole.Domain.Persistence;
using AgentConsole.Domain.Pipelines;
using AgentConsole.Domain.Policies;
using AgentConsole.Domain.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace AgentConsole.Domain.Decisions;

/// <summary>
/// Builds a decision's lineage from its records — the decision, its run, its agent version, the policy version that
/// routed it and its audit entries — masked for the viewer exactly as the decision page is. Never changes anything.
/// </summary>
public sealed class DecisionLineageQueries(IAgentConsoleDbFactory dbs, CaseMasks masks)
{
    /// <summary>The lineage of a decision of the viewer's tenant, as the viewer may see it; null when there is no such decision.</summary>
    public async Task<DecisionLineage?> GetAsync(Guid decisionId, Actor viewer, CancellationToken cancellationToken = default)
    {
        await using var db = dbs.Create();
        var decision = await db.Decisions.AsNoTracking().SingleOrDefaultAsync(d => d.Id == decisionId, cancellationToken);
        if (decision is null || decision.TenantId != viewer.TenantId)
        {
            return null;
        }

        var id = decision.Id.ToString();
        var run = await db.Runs.AsNoTracking().Include(r => r.Steps).SingleOrDefaultAsync(r => r.Id == decision.RunId, cancellationToken);
        var runId = decision.RunId.ToString();
        var entries = await db.AuditEntries.AsNoTracking()
            .Where(a => (a.EntityType == AuditEntityTypes.Decision && a.EntityId == id) || (a.EntityType == AuditEntityTypes.Run && a.EntityId == runId))
            .OrderBy(a => a.Id).ToListAsync(cancellationToken);
        if (decision.HidesVerdictsFrom(viewer))
        {
            // Four-eyes is blind: the current round's verdicts stay out of this reviewer's lineage until they give their own
            // (those of earlier rounds, before an escalation or disagreement, are the evidence the decision carries).
            var roundEnd = entries.FindLastIndex(a => a.EntityType == AuditEntityTypes.Decision && DecisionQueries.RoundEndingActions.Contains(a.Action));
            entries = [.. entries.Where((a, i) => i <= roundEnd || !DecisionQueries.IsRoundVerdict(a.Action))];
        }

        var agent = await db.Agents.AsNoTracking().Where(a => a.Id == decision.AgentId).Select(a => new { a.Key, a.Name }).SingleAsync(cancellationToken);
        var implementation = await db.AgentVersions.AsNoTracking().Where(v => v.Id == decision.AgentVersionId).Select(v => v.Implementation).SingleOrDefaultAsync(cancellationToken);
        var queues = await db.Queues.AsNoTracking().ToDictionaryAsync(q => q.Id, q => q.Name, cancellationToken);
        var mask = await masks.Open(db).ForAsync(decision.PolicyVersionId, decision.AgentId, decision.UseCase, decision.Inputs, viewer.Roles, cancellationToken);
        var view = DecisionView.Of(decision, mask);

        LineageRecord Record(AuditEntry a) => new(a.Id, a.At, a.Action, a.ActorName, a.EntityType, a.EntityId, a.TraceId);
        var ofDecision = entries.Where(a => a.EntityType == AuditEntityTypes.Decision).ToList();
        var proposed = ofDecision.FirstOrDefault(a => a.Action == "decision.proposed");
        var executed = ofDecision.LastOrDefault(a => a.Action is "decision.executed" or "decision.execution-compensated" or "decision.execution-failed");
        var started = entries.FirstOrDefault(a => a.EntityType == AuditEntityTypes.Run && a.Action == "run.started");

        return new DecisionLineage(
            decision.Id, decision.Status, decision.UseCase, decision.CreatedAt, decision.ResolvedAt, decision.Confidence, view,
            new LineageAgent(decision.AgentId, agent.Key, agent.Name, decision.AgentVersion, implementation, proposed is null ? null : Record(proposed)),
            new LineageRouting(decision.Route, decision.RouteReason, decision.RoutedBy, decision.PolicyVersionId,
                await DecisionQueries.PolicyLabelAsync(db, decision.PolicyVersionId, cancellationToken), decision.RulesFired, decision.ProposedRisk, decision.Risk,
                decision.ReviewRole, decision.ReviewersRequired, decision.ReviewCertification, QueueName(queues, QueueIn(proposed?.AfterJson))),
            Reviews(ofDecision, decision, view, queues, Record),
            Execution(run, executed, view, Record),
            new LineageOutcome(decision.Status, decision.ResolvedByName, view.Final, Truth(decision, run, viewer.Roles)),
            run is null ? null : new LineageRun(run.Id, run.Status, run.ExecutionStatus, run.Attempts, run.CreatedAt, LineageRun.TraceIdOf(run.TraceParent),
                [.. run.Steps.OrderBy(s => s.Order)], started is null ? null : Record(started)),
            [.. entries.Select(Record)]);
    }

    private static List<LineageStep> Reviews(
        List<AuditEntry> entries, Decision decision, DecisionView view, Dictionary<Guid, string> queues, Func<AuditEntry, LineageRecord> record)
    {
        var steps = new List<LineageStep>();
        var verdicts = 0;
        foreach (var a in entries)
        {
            LineageStepKind? kind = a.Action switch
            {
                "decision.claimed" => LineageStepKind.Claimed,
                "decision.released" => LineageStepKind.Released,
                "decision.approved" => LineageStepKind.Approved,
                Decision.ApprovalRecordedAction => LineageStepKind.ApprovalRecorded,
                Decision.RejectionRecordedAction => LineageStepKind.RejectionRecorded,
                Decision.FourEyesDisagreedAction => LineageStepKind.ReviewersDisagreed,
                "decision.overridden" => LineageStepKind.Overridden,
                "decision.rejected" => LineageStepKind.Rejected,
                "decision.escalated" => LineageStepKind.Escalated,
                "decision.expired" => LineageStepKind.Expired,
                "decision.sla-escalated" => LineageStepKind.Escalated,
                "decision.sla-auto-approved" => LineageStepKind.Approved,
                "decision.sla-auto-rejected" => LineageStepKind.Rejected,
                "decision.sla-reassigned" or "decision.lease-expired" or "decision.released-by-supervisor" => LineageStepKind.Released,
                MaskedFieldReveal.AuditAction => LineageStepKind.Revealed,
                _ => null,
            };
            if (kind is not { } k)
            {
                continue;
            }

            if (k is LineageStepKind.Approved or LineageStepKind.ApprovalRecorded or LineageStepKind.Rejected or LineageStepKind.RejectionRecorded && a.ActorKind == ActorKind.User)
            {
                verdicts++;
            }

            var from = QueueName(queues, QueueIn(a.BeforeJson));
            var to = QueueName(queues, QueueIn(a.AfterJson));
            var detail = k switch
            {
                LineageStepKind.Escalated => $"from {from ?? "its queue"} to {to ?? "the next tier"}",
                LineageStepKind.ReviewersDisagreed when from != to => $"escalated from {from ?? "its queue"} to {to ?? "the next tier"}, which decides afresh",
                LineageStepKind.ReviewersDisagreed => $"stays in {to ?? "its queue"} for a senior operator's decision",
                LineageStepKind.Released or LineageStepKind.ApprovalRecorded or LineageStepKind.RejectionRecorded when to is { } back =>
                    k == LineageStepKind.Released ? $"back to {back}"
                    : verdicts < decision.ReviewersRequired ? $"verdict {verdicts} of {decision.ReviewersRequired}; back to {back}"
                    : $"verdict {verdicts} of {decision.ReviewersRequired}",
                LineageStepKind.Approved or LineageStepKind.Rejected when decision.ReviewersRequired > 1 && a.ActorKind == ActorKind.User => $"verdict {verdicts} of {decision.ReviewersRequired}",
                LineageStepKind.Revealed when a.AfterJson is { } after && JsonSerializer.Deserialize<MaskedFieldReveal.RevealAudit>(after)?.Field is { } field =>
                    CaseSchema.Label(field).ToLowerInvariant(),
                _ => null,
            };
            steps.Add(new LineageStep(record(a), k, a.ActorKind, a.ActorName, a.Reason is null ? null : view.Redact(a.Reason), detail,
                k == LineageStepKind.Overridden ? view.Final : null));
            if (k is LineageStepKind.Escalated or LineageStepKind.ReviewersDisagreed)
            {
                // The next tier (or the senior deciding after a top-tier disagreement) starts a new count.
                verdicts = 0;
            }
        }

        return steps;
    }

    private static LineageExecution Execution(PipelineRun? run, AuditEntry? outcome, DecisionView view, Func<AuditEntry, LineageRecord> record)
    {
        var receipt = outcome?.AfterJson is { } json ? JsonNode.Parse(json) as JsonObject : null;
        string? Text(string name) => receipt?.FirstOrDefault(p => string.Equals(p.Key, name, StringComparison.OrdinalIgnoreCase)).Value?.ToString();
        var attempts = run?.Steps.FirstOrDefault(s => s.Name == PipelineRun.ExecuteStep)?.Attempts ?? 0;
        var status = run?.ExecutionStatus ?? ExecutionStatus.NotRequired;
        var error = outcome is { Action: not "decision.executed" } ? outcome.Reason ?? run?.LastError : status == ExecutionStatus.Pending ? run?.LastError : null;
        return new LineageExecution(status, Text("connector"), Text("ExternalReference"), Text("AlreadyApplied") == "true", attempts,
            status == ExecutionStatus.Compensated, error, status == ExecutionStatus.NotRequired ? null : view.Final, outcome is null ? null : record(outcome));
    }

    private static LineageTruth Truth(Decision decision, PipelineRun? run, IReadOnlyCollection<string> viewerRoles)
    {
        var schema = ProposalSchema.For(decision.UseCase);
        var truth = run is null ? null : JsonNode.Parse(run.TruthJson) as JsonObject;
        if (truth?[schema.OutcomeField] is null)
        {
            return new LineageTruth(LineageTruthState.NotKnown, null, null);
        }

        if (!TrueAnswers.MayShow(viewerRoles, decision.Status))
        {
            return new LineageTruth(LineageTruthState.Withheld, null, null);
        }

        // Only the answer's proposal fields: the generator's internals (a latent score) are not an answer.
        var answer = new JsonObject(schema.Fields.Where(f => truth[f.Name] is not null).Select(f => KeyValuePair.Create(f.Name, (JsonNode?)truth[f.Name]!.DeepClone())));
        return new LineageTruth(LineageTruthState.Shown, answer, TrueAnswers.Agreed(decision.UseCase, decision.Status, decision.Proposal, decision.Final, truth));
    }

    private static Guid? QueueIn(string? snapshot) =>
        snapshot is not null && JsonNode.Parse(snapshot) is JsonObject o && o["queueId"] is JsonValue v && v.TryGetValue<Guid>(out var id) ? id : null;

    private static string? QueueName(Dictionary<Guid, string> queues, Guid? queueId) => queueId is { } id ? queues.GetValueOrDefault(id) : null;
}
