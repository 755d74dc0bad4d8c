using System.Text.Json.Nodes;
using AgentConsole.Domain.Audit;
using AgentConsole.Domain.Persistence;
using AgentConsole.Domain.Policies;
using AgentConsole.Domain.Telemetry;
using AgentConsole.Domain.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace AgentConsole.Domain.Decisions;

/// <summary>
/// Proof that a person revealed one masked field of one decision, with a reason now in the audit trail. Only
/// <see cref="MaskedFieldReveal"/> makes one, after the audit entry is saved; a page keeps it for as long as it shows
/// the decision and hands it back to <see cref="DecisionQueries.GetAsync"/>, so nothing is shown unaudited.
/// </summary>
public sealed class FieldReveal
{
    internal FieldReveal(Guid decisionId, string field, string actorId)
    {
        DecisionId = decisionId;
        Field = field;
        ActorId = actorId;
    }

    public Guid DecisionId { get; }

    /// <summary>The input field revealed, e.g. <c>marginFloorPercent</c>.</summary>
    public string Field { get; }

    /// <summary>Who revealed it (the page that asked for the reveal keeps it for that person's view).</summary>
    public string ActorId { get; }
}

/// <summary>What a reveal shows: the field's value, and the texts that state it which the viewer may now read.</summary>
/// <param name="Evidence">Evidence lines hidden before the reveal and shown after it.</param>
/// <param name="Rationale">The rationale, when the reveal lets the viewer read it in full; null otherwise.</param>
public sealed record RevealedField(FieldReveal Reveal, string Label, JsonNode? Value, IReadOnlyList<string> Evidence, string? Rationale);

/// <summary>
/// Reveals one field that the routing policy hides from a person, on one decision, for their current page or
/// answer only: the policy must let one of their roles reveal it, they give a reason, and the reveal is audited
/// (who, which decision, which field, why) before anything is shown.
/// </summary>
public sealed class MaskedFieldReveal(IAgentConsoleDbFactory dbs, CaseMasks masks, TimeProvider clock, AccountSecurityEvents security)
{
    public const string AuditAction = "decision.field-revealed";

    public async Task<RevealedField> RevealAsync(Guid decisionId, Actor actor, string? field, string? reason, CancellationToken cancellationToken = default)
    {
        using var activity = AgentConsoleTelemetry.Source.StartActivity("reveal field").ForTenant(actor.TenantId);
        activity?.SetTag(Traces.SpanAttributes.DecisionId, decisionId.ToString());
        if (!actor.Can(Permissions.ViewQueues))
        {
            throw DomainException.Forbidden("reveal.role", "Your role may not look at decisions.");
        }

        await using var db = dbs.Create();
        var decision = await db.Decisions.AsNoTracking().SingleOrDefaultAsync(d => d.Id == decisionId, cancellationToken);
        if (decision is null || decision.TenantId != actor.TenantId)
        {
            throw DomainException.NotFound("decision.not-found", "This decision does not exist.");
        }

        var mask = await masks.Open(db).ForAsync(decision.PolicyVersionId, decision.AgentId, decision.UseCase, decision.Inputs, actor.Roles, cancellationToken);
        if (field is null || mask[field] is not { } masked)
        {
            throw DomainException.Invalid("reveal.not-masked", $"'{field}' is not a case field hidden from you on this decision; there is nothing to reveal.",
                new Dictionary<string, string[]> { ["field"] = [$"Not hidden from you. Hidden: {(mask.IsEmpty ? "none" : string.Join(", ", mask.Fields.Select(f => f.Name)))}."] });
        }

        if (!masked.MayReveal)
        {
            throw DomainException.Forbidden("reveal.not-allowed", $"The policy that routed this decision does not let your role reveal the {masked.Label.ToLowerInvariant()}.");
        }

        if (string.IsNullOrWhiteSpace(reason))
        {
            throw DomainException.Invalid("reveal.reason", "Say why you need to see this field.",
                new Dictionary<string, string[]> { ["reason"] = ["A reason is required; it is recorded in the audit trail."] });
        }

        db.AuditEntries.Add(AuditEntry.Record(actor, AuditAction, "decision", decision.Id.ToString(), reason, null, new RevealAudit(masked.Name), clock.GetUtcNow()));
        await db.SaveChangesAsync(cancellationToken);
        security.FieldRevealed(actor, decision.Id, masked.Name);

        var before = DecisionView.Of(decision, mask);
        var after = DecisionView.Of(decision, mask.Revealing([masked.Name]));
        var shown = after.Evidence.Where((line, i) => before.Evidence[i].Hidden && !line.Hidden).Select(line => line.Text).ToList();
        return new RevealedField(new FieldReveal(decision.Id, masked.Name, actor.Id), masked.Label, decision.Inputs[masked.Name]?.DeepClone(), shown,
            before.RationaleNote is not null && after.RationaleNote is null ? after.Rationale : null);
    }

    /// <summary>What a reveal's audit entry records after the change: the field, never its value.</summary>
    public sealed record RevealAudit(string Field);
}
