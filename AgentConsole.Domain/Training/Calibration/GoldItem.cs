using System.Text.Json.Nodes;
using AgentConsole.Domain.Agents;
using AgentConsole.Domain.Policies;
using AgentConsole.Domain.Tenancy;
using AgentConsole.Domain.Training.Scenarios;
using AgentConsole.Domain.Training.Scoring;

namespace AgentConsole.Domain.Training.Calibration;

/// <summary>
/// A live decision whose right answer is known: seeded into a queue at the policy's rate for one slot of time, it looks
/// like any other item to the people who work it, is never executed, and each answer to it is scored against gold.
/// Only this table knows that the decision is gold; the decision itself carries nothing that says so.
/// </summary>
public sealed class GoldItem : ITenantOwned
{
    private GoldItem()
    {
    }

    internal GoldItem(Guid id, Guid tenantId, Guid decisionId, UseCase useCase, Guid queueId, DateTimeOffset slotStart, CalibrationSource source,
        Guid? scenarioId, GoldAction goldAction, JsonObject? goldValues, string explanation, Guid? policyVersionId, DateTimeOffset seededAt)
    {
        Id = id;
        TenantId = tenantId;
        DecisionId = decisionId;
        UseCase = useCase;
        QueueId = queueId;
        SlotStart = slotStart;
        Source = source;
        ScenarioId = scenarioId;
        GoldAction = goldAction;
        GoldValuesJson = goldValues?.ToJsonString();
        Explanation = explanation;
        PolicyVersionId = policyVersionId;
        SeededAt = seededAt;
    }

    public Guid Id { get; private set; }

    public Guid TenantId { get; private set; }

    /// <summary>The live decision that carries the gold case.</summary>
    public Guid DecisionId { get; private set; }

    public UseCase UseCase { get; private set; }

    public Guid QueueId { get; private set; }

    /// <summary>The start of the slot it was seeded for; one gold item per queue and slot (unique), so a job run twice seeds once.</summary>
    public DateTimeOffset SlotStart { get; private set; }

    public CalibrationSource Source { get; private set; }

    /// <summary>The track scenario it came from (source: track).</summary>
    public Guid? ScenarioId { get; private set; }

    public GoldAction GoldAction { get; private set; }

    /// <summary>The right values: the proposal's for an approval, the corrected ones for an override; null for reject and escalate.</summary>
    public string? GoldValuesJson { get; private set; }

    /// <summary>Why the gold answer is right, for trainers and auditors.</summary>
    public string Explanation { get; private set; } = "";

    /// <summary>The policy version whose calibration section seeded it.</summary>
    public Guid? PolicyVersionId { get; private set; }

    public DateTimeOffset SeededAt { get; private set; }

    public JsonObject? GoldValues => GoldValuesJson is null ? null : JsonNode.Parse(GoldValuesJson)!.AsObject();

    /// <summary>The gold answer as the scoring reads it (the item's id stands for the scenario's).</summary>
    public GoldAnswer Gold => new(Id, UseCase, GoldAction, GoldValues);
}

/// <summary>One person's answer to a gold item, scored against gold with <see cref="TrainingScorer"/>.</summary>
public sealed class GoldItemAnswer : ITenantOwned
{
    private GoldItemAnswer()
    {
    }

    internal GoldItemAnswer(Guid id, GoldItem item, Actor person, GoldAction action, JsonObject? values, double seconds, ScoredItem scored, DateTimeOffset answeredAt)
    {
        Id = id;
        TenantId = item.TenantId;
        GoldItemId = item.Id;
        DecisionId = item.DecisionId;
        UseCase = item.UseCase;
        PersonId = person.Id;
        PersonName = person.Name;
        Action = action;
        ValuesJson = values?.ToJsonString();
        GoldAction = item.GoldAction;
        GoldValuesJson = item.GoldValuesJson;
        Seconds = Math.Round(seconds, 1);
        Correct = scored.Correct;
        WrongFieldsCsv = scored.WrongFields.Count == 0 ? null : string.Join(',', scored.WrongFields);
        AnsweredAt = answeredAt;
    }

    public Guid Id { get; private set; }

    public Guid TenantId { get; private set; }

    public Guid GoldItemId { get; private set; }

    public Guid DecisionId { get; private set; }

    public UseCase UseCase { get; private set; }

    public string PersonId { get; private set; } = "";

    public string PersonName { get; private set; } = "";

    /// <summary>What the person did: approve, override (with <see cref="ValuesJson"/>), reject or escalate.</summary>
    public GoldAction Action { get; private set; }

    public string? ValuesJson { get; private set; }

    public GoldAction GoldAction { get; private set; }

    public string? GoldValuesJson { get; private set; }

    /// <summary>From the claim (or arrival) to the answer.</summary>
    public double Seconds { get; private set; }

    public bool Correct { get; private set; }

    /// <summary>For a wrong override, the fields whose values were off, comma-separated.</summary>
    public string? WrongFieldsCsv { get; private set; }

    public DateTimeOffset AnsweredAt { get; private set; }

    public GoldAnswer Gold => new(GoldItemId, UseCase, GoldAction, GoldValuesJson is null ? null : JsonNode.Parse(GoldValuesJson)!.AsObject());

    public ScenarioAnswer Answer => new(GoldItemId, Action, ValuesJson is null ? null : JsonNode.Parse(ValuesJson)!.AsObject(), Seconds);
}
