using AgentConsole.Domain.Policies;
using AgentConsole.Domain.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AgentConsole.Domain.Persistence.Configurations;

internal sealed class PolicyScopeConfiguration : IEntityTypeConfiguration<PolicyScope>
{
    public void Configure(EntityTypeBuilder<PolicyScope> builder)
    {
        builder.Property(s => s.Version).IsConcurrencyToken();
        builder.Property(s => s.Kind).HasConversion<string>().HasMaxLength(16);
        builder.Property(s => s.UseCase).HasConversion<string>().HasMaxLength(32);
        builder.Property(s => s.Key).HasMaxLength(64);
        builder.Property(s => s.Name).HasMaxLength(200);
        builder.HasIndex(s => new { s.TenantId, s.Kind, s.Key }).IsUnique();
        builder.HasOne<Tenant>().WithMany().HasForeignKey(s => s.TenantId);
    }
}

internal sealed class PolicyVersionConfiguration : IEntityTypeConfiguration<PolicyVersion>
{
    public void Configure(EntityTypeBuilder<PolicyVersion> builder)
    {
        builder.Property(v => v.Version).IsConcurrencyToken();
        builder.Property(v => v.Status).HasConversion<string>().HasMaxLength(16);
        builder.Property(v => v.ChangeNote).HasMaxLength(2200);
        builder.Property(v => v.AuthorId).HasMaxLength(100);
        builder.Property(v => v.AuthorName).HasMaxLength(200);
        builder.HasIndex(v => new { v.ScopeId, v.Number }).IsUnique();
        builder.HasOne<PolicyScope>().WithMany().HasForeignKey(v => v.ScopeId);
        builder.HasMany(v => v.Approvals).WithOne().HasForeignKey(a => a.PolicyVersionId);
        builder.HasMany(v => v.Events).WithOne().HasForeignKey(e => e.PolicyVersionId);
        builder.Navigation(v => v.Approvals).UsePropertyAccessMode(PropertyAccessMode.Field);
        builder.Navigation(v => v.Events).UsePropertyAccessMode(PropertyAccessMode.Field);
        builder.Ignore(v => v.IsOpenForReview);
    }
}

internal sealed class PolicyApprovalConfiguration : IEntityTypeConfiguration<PolicyApproval>
{
    public void Configure(EntityTypeBuilder<PolicyApproval> builder)
    {
        builder.Property(a => a.ReviewerId).HasMaxLength(100);
        builder.Property(a => a.ReviewerName).HasMaxLength(200);
        builder.Property(a => a.Comment).HasMaxLength(2200);

        // A board member approves a version once, even when two of their requests race.
        builder.HasIndex(a => new { a.PolicyVersionId, a.ReviewerId }).IsUnique();
    }
}

internal sealed class PolicyVersionEventConfiguration : IEntityTypeConfiguration<PolicyVersionEvent>
{
    public void Configure(EntityTypeBuilder<PolicyVersionEvent> builder)
    {
        builder.Property(e => e.Kind).HasConversion<string>().HasMaxLength(24);
        builder.Property(e => e.ActorId).HasMaxLength(100);
        builder.Property(e => e.ActorName).HasMaxLength(200);
        builder.Property(e => e.Comment).HasMaxLength(2200);
        builder.HasIndex(e => new { e.PolicyVersionId, e.At });
    }
}
