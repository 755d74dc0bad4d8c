using AgentConsole.Domain.Tenancy;
using AgentConsole.Domain.Training.Certifications;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AgentConsole.Domain.Persistence.Configurations;

internal sealed class CertificationConfiguration : IEntityTypeConfiguration<Certification>
{
    public void Configure(EntityTypeBuilder<Certification> builder)
    {
        builder.HasOne<Tenant>().WithMany().HasForeignKey(c => c.TenantId);
        builder.Property(c => c.HolderId).HasMaxLength(100);
        builder.Property(c => c.HolderName).HasMaxLength(200);
        builder.Property(c => c.Key).HasMaxLength(Certification.MaxKeyLength);
        builder.Property(c => c.DisplayName).HasMaxLength(200);
        builder.Property(c => c.TrackName).HasMaxLength(200);
        builder.Property(c => c.Score).HasPrecision(5, 2);
        builder.Property(c => c.GrantedByName).HasMaxLength(200);
        builder.Property(c => c.RevokedByName).HasMaxLength(200);
        builder.Property(c => c.RevokedReason).HasMaxLength(1000);
        builder.Property(c => c.CodeHash).HasMaxLength(64);

        // The gate reads a person's certifications by key at every claim and verdict.
        builder.HasIndex(c => new { c.TenantId, c.HolderId, c.Key });
        builder.HasIndex(c => c.CodeHash).IsUnique();
    }
}
