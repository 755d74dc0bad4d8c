using AgentConsole.Domain.Agents;
using AgentConsole.Domain.Pipelines;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AgentConsole.Domain.Persistence.Configurations;

internal sealed class PipelineRunConfiguration : IEntityTypeConfiguration<PipelineRun>
{
    public void Configure(EntityTypeBuilder<PipelineRun> builder)
    {
        builder.Property(r => r.Version).IsConcurrencyToken();
        builder.Property(r => r.Subject).HasMaxLength(300);
        builder.Property(r => r.TraceParent).HasMaxLength(64);
        builder.Property(r => r.LastError).HasMaxLength(2000);
        builder.Property(r => r.UseCase).HasConversion<string>().HasMaxLength(32);
        builder.Property(r => r.Status).HasConversion<string>().HasMaxLength(16);
        builder.Property(r => r.ExecutionStatus).HasConversion<string>().HasMaxLength(16);
        builder.HasIndex(r => new { r.Status, r.UpdatedAt });
        builder.Property(r => r.HeldReason).HasMaxLength(1000);
        // Resuming an agent finds its held runs.
        builder.HasIndex(r => new { r.AgentId, r.Status });
        builder.Property(r => r.IdempotencyKey).HasMaxLength(Idempotency.IdempotentRequest.MaxKeyLength);
        builder.HasIndex(r => new { r.TenantId, r.IdempotencyKey }).IsUnique();
        builder.HasOne<Agent>().WithMany().HasForeignKey(r => r.AgentId);
        builder.HasMany(r => r.Steps).WithOne().HasForeignKey(s => s.RunId);
        builder.Navigation(r => r.Steps).UsePropertyAccessMode(PropertyAccessMode.Field);
    }
}

internal sealed class PipelineStepConfiguration : IEntityTypeConfiguration<PipelineStep>
{
    public void Configure(EntityTypeBuilder<PipelineStep> builder)
    {
        builder.ToTable("PipelineSteps");
        builder.Property(s => s.Name).HasMaxLength(32);
        builder.Property(s => s.Status).HasConversion<string>().HasMaxLength(16);
        builder.Property(s => s.Error).HasMaxLength(2000);
        builder.HasIndex(s => new { s.RunId, s.Name }).IsUnique();
    }
}
