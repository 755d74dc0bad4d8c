using AgentConsole.Domain.Agents;
using AgentConsole.Domain.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AgentConsole.Domain.Persistence.Configurations;

internal sealed class AgentConfiguration : IEntityTypeConfiguration<Agent>
{
    public void Configure(EntityTypeBuilder<Agent> builder)
    {
        builder.Property(a => a.Key).HasMaxLength(64);
        builder.Property(a => a.Name).HasMaxLength(200);
        builder.Property(a => a.Description).HasMaxLength(1000);
        builder.Property(a => a.UseCase).HasConversion<string>().HasMaxLength(32);
        builder.HasIndex(a => new { a.TenantId, a.Key }).IsUnique();
        builder.Property(a => a.PauseVersion).IsConcurrencyToken();
        builder.Property(a => a.PausedById).HasMaxLength(100);
        builder.Property(a => a.PausedByName).HasMaxLength(200);
        builder.Property(a => a.PauseReason).HasMaxLength(1000);
        builder.HasOne<Tenant>().WithMany().HasForeignKey(a => a.TenantId);
        builder.HasMany(a => a.Versions).WithOne().HasForeignKey(v => v.AgentId);
        builder.Navigation(a => a.Versions).UsePropertyAccessMode(PropertyAccessMode.Field);
    }
}

internal sealed class AgentVersionConfiguration : IEntityTypeConfiguration<AgentVersion>
{
    public void Configure(EntityTypeBuilder<AgentVersion> builder)
    {
        builder.Property(v => v.Implementation).HasMaxLength(200);
        builder.Property(v => v.Notes).HasMaxLength(1000);
        builder.HasIndex(v => new { v.AgentId, v.Version }).IsUnique();
    }
}
