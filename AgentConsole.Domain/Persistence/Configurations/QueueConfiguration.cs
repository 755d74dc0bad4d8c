using AgentConsole.Domain.Queues;
using AgentConsole.Domain.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AgentConsole.Domain.Persistence.Configurations;

internal sealed class QueueConfiguration : IEntityTypeConfiguration<ReviewQueue>
{
    public void Configure(EntityTypeBuilder<ReviewQueue> builder)
    {
        builder.ToTable("ReviewQueues");
        builder.Property(q => q.Key).HasMaxLength(64);
        builder.Property(q => q.Name).HasMaxLength(200);
        builder.Property(q => q.Description).HasMaxLength(1000);
        builder.Property(q => q.AllowedRolesCsv).HasMaxLength(500);
        builder.Property(q => q.UseCase).HasConversion<string>().HasMaxLength(32);
        builder.HasIndex(q => new { q.TenantId, q.Key }).IsUnique();
        builder.HasOne<Tenant>().WithMany().HasForeignKey(q => q.TenantId);
        builder.HasOne<ReviewQueue>().WithMany().HasForeignKey(q => q.EscalatesToQueueId).OnDelete(DeleteBehavior.Restrict);
        builder.Ignore(q => q.AllowedRoles);
    }
}

internal sealed class SavedFilterConfiguration : IEntityTypeConfiguration<Queues.SavedFilter>
{
    public void Configure(EntityTypeBuilder<Queues.SavedFilter> builder)
    {
        builder.ToTable("SavedFilters");
        builder.Property(f => f.OwnerId).HasMaxLength(64);
        builder.Property(f => f.Name).HasMaxLength(Queues.SavedFilter.MaxNameLength);
        builder.Property(f => f.MinRisk).HasConversion<string>().HasMaxLength(16);
        builder.Property(f => f.ConfidenceBand).HasMaxLength(8);
        builder.Property(f => f.Sort).HasConversion<string>().HasMaxLength(32);
        builder.HasIndex(f => new { f.TenantId, f.OwnerId, f.QueueId });
        builder.HasOne<Queues.ReviewQueue>().WithMany().HasForeignKey(f => f.QueueId);
        builder.Ignore(f => f.Choice);
    }
}
