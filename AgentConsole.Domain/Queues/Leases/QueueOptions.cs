using System.ComponentModel.DataAnnotations;

namespace AgentConsole.Domain.Queues.Leases;

/// <summary>How claims behave as leases and how the SLA sweep runs (section <c>Queues</c>).</summary>
public sealed class QueueOptions : IValidatableObject
{
    public const string Section = "Queues";

    /// <summary>How long a claim lasts without a heartbeat from the reviewer's open page before it goes back to the queue. Default 120.</summary>
    [Range(15, 86_400)]
    public int LeaseSeconds { get; set; } = 120;

    /// <summary>How often an open decision page renews its claim. Default 30; must be well under <see cref="LeaseSeconds"/>.</summary>
    [Range(1, 3_600)]
    public int HeartbeatSeconds { get; set; } = 30;

    /// <summary>How many due decisions one SLA sweep takes at most (the rest wait for the next minute). Default 5000.</summary>
    [Range(1, 1_000_000)]
    public int SweepBatchSize { get; set; } = 5000;

    public TimeSpan Lease => TimeSpan.FromSeconds(LeaseSeconds);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (HeartbeatSeconds * 2 > LeaseSeconds)
        {
            yield return new ValidationResult(
                $"Queues:HeartbeatSeconds ({HeartbeatSeconds}) must be at most half of Queues:LeaseSeconds ({LeaseSeconds}), so one late heartbeat does not lose a claim.",
                [nameof(HeartbeatSeconds)]);
        }
    }
}
