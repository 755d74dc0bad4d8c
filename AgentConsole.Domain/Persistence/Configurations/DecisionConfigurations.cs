using AgentConsole.Domain.Agents;
using AgentConsole.Domain.Decisions;
using AgentConsole.Domain.Pipelines;
using AgentConsole.Domain.Queues;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AgentConsole.Domain.Persistence.Configurations;

internal sealed class DecisionConfiguration : IEntityTypeConfiguration<Decision>
{
    public void Configure(EntityTypeBuilder<Decision> builder)
    {
        builder.Property(d => d.Version).IsConcurrencyToken();
        builder.Property(d => d.Subject).HasMaxLength(300);
        builder.Property(d => d.Rationale).HasMaxLength(4000);
        builder.Property(d => d.RouteReason).HasMaxLength(1000);
        builder.Property(d => d.RoutedBy).HasMaxLength(200);
        builder.Property(d => d.ReviewRole).HasMaxLength(32);
        builder.Property(d => d.ReviewCertification).HasMaxLength(64);
        builder.Property(d => d.ReviewersRequired).HasDefaultValue(1);
        builder.Property(d => d.ApproverIdsCsv).HasMaxLength(500);
        builder.Ignore(d => d.Approvers);
        builder.Property(d => d.RejecterIdsCsv).HasMaxLength(500);
        builder.Ignore(d => d.Rejecters);
        builder.HasOne<Policies.PolicyVersion>().WithMany().HasForeignKey(d => d.PolicyVersionId);
        builder.Property(d => d.ClaimedById).HasMaxLength(100);
        builder.Property(d => d.ClaimedByName).HasMaxLength(200);
        builder.Property(d => d.ResolvedById).HasMaxLength(100);
        builder.Property(d => d.ResolvedByName).HasMaxLength(200);
        builder.Property(d => d.ExposureEur).HasPrecision(18, 2);
        builder.Property(d => d.UseCase).HasConversion<string>().HasMaxLength(32);
        builder.Property(d => d.Status).HasConversion<string>().HasMaxLength(16);
        builder.Property(d => d.Route).HasConversion<string>().HasMaxLength(16);
        builder.Property(d => d.Risk).HasConversion<string>().HasMaxLength(16);
        builder.Property(d => d.ProposedRisk).HasConversion<string>().HasMaxLength(16);
        builder.HasIndex(d => new { d.TenantId, d.UseCase, d.CreatedAt });

        // A run proposes at most one decision, even when its job runs twice.
        builder.HasIndex(d => d.RunId).IsUnique();
        builder.HasIndex(d => new { d.TenantId, d.QueueId, d.Status });

        // The SLA sweep reads only what is due, and lapsed leases among claimed items.
        builder.HasIndex(d => d.NextSlaStepAt);
        builder.HasIndex(d => new { d.Status, d.LeaseRenewedAt });
        builder.Property(d => d.AssignedToId).HasMaxLength(100);
        builder.Property(d => d.AssignedToName).HasMaxLength(200);
        builder.Property(d => d.LeaseLapsedFromId).HasMaxLength(100);

        // The circuit breaker's one aggregate per resolution: an agent's resolutions in a sliding window.
        builder.HasIndex(d => new { d.AgentId, d.ResolvedAt });
        builder.HasOne<PipelineRun>().WithMany().HasForeignKey(d => d.RunId);
        builder.HasOne<Agent>().WithMany().HasForeignKey(d => d.AgentId);
        builder.HasOne<AgentVersion>().WithMany().HasForeignKey(d => d.AgentVersionId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<ReviewQueue>().WithMany().HasForeignKey(d => d.QueueId).OnDelete(DeleteBehavior.Restrict);
        builder.HasMany(d => d.Reviews).WithOne().HasForeignKey(r => r.DecisionId);
        builder.Navigation(d => d.Reviews).UsePropertyAccessMode(PropertyAccessMode.Field);
        builder.Ignore(d => d.Explanation);
        builder.Ignore(d => d.RulesFired);
        builder.Ignore(d => d.Inputs);
        builder.Ignore(d => d.Proposal);
        builder.Ignore(d => d.Final);
    }

    /// <summary>
    /// A queue's list, page by page in each of its orders, and J/K on a decision page: indexes over open decisions only,
    /// so their size follows the work waiting, not the history. <paramref name="quote"/> writes a column name as the
    /// provider's SQL does; the filter is written as <c>DecisionQueries</c> tests the status, so every provider uses them.
    /// </summary>
    public static void OpenDecisionIndexes(EntityTypeBuilder<Decision> builder, Func<string, string> quote)
    {
        var open = $"{quote(nameof(Decision.Status))} IN ('{DecisionStatus.Pending}', '{DecisionStatus.InReview}', '{DecisionStatus.Escalated}')";
        builder.HasIndex(d => new { d.TenantId, d.QueueId, d.DueAt, d.Priority, d.Id }, "IX_Decisions_Open_Due").HasFilter(open);
        builder.HasIndex(d => new { d.TenantId, d.QueueId, d.Priority, d.DueAt, d.Id }, "IX_Decisions_Open_Priority").HasFilter(open);
        builder.HasIndex(d => new { d.TenantId, d.QueueId, d.Confidence, d.DueAt, d.Id }, "IX_Decisions_Open_Confidence").HasFilter(open);
        builder.HasIndex(d => new { d.TenantId, d.QueueId, d.CreatedAt, d.Id }, "IX_Decisions_Open_Created").HasFilter(open);

        // Counting what a filter matches reads this index alone.
        builder.HasIndex(d => new { d.TenantId, d.QueueId, d.AgentId, d.Risk, d.Confidence }, "IX_Decisions_Open_Filters").HasFilter(open);
    }
}

internal sealed class DecisionReviewConfiguration : IEntityTypeConfiguration<DecisionReview>
{
    public void Configure(EntityTypeBuilder<DecisionReview> builder)
    {
        builder.Property(r => r.Action).HasConversion<string>().HasMaxLength(16);
        builder.Property(r => r.ActorId).HasMaxLength(100);
        builder.Property(r => r.ActorName).HasMaxLength(200);
        builder.Property(r => r.Reason).HasMaxLength(1000);
        builder.HasIndex(r => new { r.DecisionId, r.At });
    }
}
