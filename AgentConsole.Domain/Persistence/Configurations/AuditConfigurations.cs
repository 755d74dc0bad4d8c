using AgentConsole.Domain.Audit;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AgentConsole.Domain.Persistence.Configurations;

internal sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> builder)
    {
        builder.Property(a => a.ActorKind).HasConversion<string>().HasMaxLength(16);
        builder.Property(a => a.ActorId).HasMaxLength(100);
        builder.Property(a => a.ActorName).HasMaxLength(200);
        builder.Property(a => a.Action).HasMaxLength(64);
        builder.Property(a => a.EntityType).HasMaxLength(64);
        builder.Property(a => a.EntityId).HasMaxLength(64);
        builder.Property(a => a.Reason).HasMaxLength(1000);
        builder.Property(a => a.TraceId).HasMaxLength(32);
        builder.Property(a => a.PreviousHash).HasMaxLength(AuditChain.HashSize);
        builder.Property(a => a.Hash).HasMaxLength(AuditChain.HashSize);
        builder.Ignore(a => a.RecordedOrder);
        builder.Ignore(a => a.IsSealed);
        builder.HasIndex(a => new { a.TenantId, a.EntityType, a.EntityId });

        // One entry per place in a tenant's chain; verification reads the chain in this order.
        builder.HasIndex(a => new { a.TenantId, a.Sequence }).IsUnique();

        // Searches and exports read a tenant's entries in the order they were written, or within a time range, without
        // sorting the whole trail first (an export streams from the first row).
        builder.HasIndex(a => new { a.TenantId, a.At });
    }
}

internal sealed class AuditChainHeadConfiguration : IEntityTypeConfiguration<AuditChainHead>
{
    public void Configure(EntityTypeBuilder<AuditChainHead> builder)
    {
        builder.HasKey(h => h.TenantId);
        builder.Property(h => h.TenantId).ValueGeneratedNever();
        builder.Property(h => h.Hash).HasMaxLength(AuditChain.HashSize);
        builder.Property(h => h.Version).IsConcurrencyToken();
        builder.Ignore(h => h.AwaitsBackfill);
    }
}

internal sealed class AuditVerificationConfiguration : IEntityTypeConfiguration<AuditVerification>
{
    public void Configure(EntityTypeBuilder<AuditVerification> builder)
    {
        builder.Property(v => v.RequestedByKind).HasConversion<string>().HasMaxLength(16);
        builder.Property(v => v.RequestedById).HasMaxLength(100);
        builder.Property(v => v.RequestedBy).HasMaxLength(200);
        builder.Property(v => v.Outcome).HasConversion<string>().HasMaxLength(16);
        builder.Property(v => v.Problem).HasMaxLength(2000);
        builder.Ignore(v => v.Findings);
        builder.Ignore(v => v.Duration);
        builder.HasIndex(v => new { v.TenantId, v.StartedAt });
    }
}
