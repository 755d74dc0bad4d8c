using AgentConsole.Domain.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AgentConsole.Domain.Persistence.Configurations;

internal sealed class TenantConfiguration : IEntityTypeConfiguration<Tenant>
{
    public void Configure(EntityTypeBuilder<Tenant> builder)
    {
        builder.Property(t => t.Name).HasMaxLength(200);
        builder.Property(t => t.Slug).HasMaxLength(64);
        builder.HasIndex(t => t.Slug).IsUnique();
        builder.Property(t => t.PolicyApprovalsRequired).HasDefaultValue(2);
    }
}

internal sealed class AppUserConfiguration : IEntityTypeConfiguration<AppUser>
{
    public void Configure(EntityTypeBuilder<AppUser> builder)
    {
        builder.Property(u => u.Kind).HasConversion<string>().HasMaxLength(16).HasDefaultValue(AppUserKind.Person);
        builder.Property(u => u.Issuer).HasMaxLength(300);
        builder.Property(u => u.Subject).HasMaxLength(200);
        builder.Property(u => u.UserName).HasMaxLength(200);
        builder.Property(u => u.DisplayName).HasMaxLength(200);
        builder.Property(u => u.Email).HasMaxLength(320);
        builder.Property(u => u.ProviderRolesCsv).HasMaxLength(500);
        builder.Property(u => u.GrantedRolesCsv).HasMaxLength(500);

        // Two admins (or an admin and a sign-in) changing one account at once: one wins, the other is told.
        builder.Property(u => u.SecurityStamp).HasMaxLength(64).IsConcurrencyToken();

        // Sign-in finds an account by who vouches for it; the session checks find it by id.
        builder.HasIndex(u => new { u.Issuer, u.Subject }).IsUnique();
        builder.HasIndex(u => u.TenantId);
        builder.HasOne<Tenant>().WithMany().HasForeignKey(u => u.TenantId);
        builder.Ignore(u => u.Roles);
        builder.Ignore(u => u.ProviderRoles);
        builder.Ignore(u => u.GrantedRoles);
    }
}

internal sealed class SignInFailureConfiguration : IEntityTypeConfiguration<SignInFailure>
{
    public void Configure(EntityTypeBuilder<SignInFailure> builder)
    {
        builder.Property(f => f.UserName).HasMaxLength(200);
        builder.HasIndex(f => new { f.UserName, f.At });
        builder.HasIndex(f => f.At);
    }
}
