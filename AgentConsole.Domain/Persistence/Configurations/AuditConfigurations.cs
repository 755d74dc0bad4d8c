using AgentConsole.Domain.Audit;
using AgentConsole.Domain.Execution;
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
        builder.HasIndex(a => new { a.TenantId, a.EntityType, a.EntityId });

        // Searches and exports read a tenant's entries in the order they were written, or within a time range, without
        // sorting the whole trail first (an export streams from the first row).
        builder.HasIndex(a => new { a.TenantId, a.Id });
        builder.HasIndex(a => new { a.TenantId, a.At });
    }
}

internal sealed class ErpLedgerEntryConfiguration : IEntityTypeConfiguration<ErpLedgerEntry>
{
    public void Configure(EntityTypeBuilder<ErpLedgerEntry> builder)
    {
        builder.ToTable("SimulatedErpLedger");
        builder.Property(e => e.IdempotencyKey).HasMaxLength(200);
        builder.Property(e => e.Action).HasMaxLength(64);
        builder.Property(e => e.ExternalReference).HasMaxLength(64);
        builder.HasIndex(e => e.IdempotencyKey).IsUnique();
    }
}
