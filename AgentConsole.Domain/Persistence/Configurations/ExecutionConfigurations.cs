using AgentConsole.Domain.Execution;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AgentConsole.Domain.Persistence.Configurations;

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
