using AgentConsole.Domain.Decisions;
using AgentConsole.Domain.Queues;
using AgentConsole.Domain.Tenancy;
using AgentConsole.Domain.Training.Calibration;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AgentConsole.Domain.Persistence.Configurations;

internal sealed class GoldItemConfiguration : IEntityTypeConfiguration<GoldItem>
{
    public void Configure(EntityTypeBuilder<GoldItem> builder)
    {
        builder.ToTable("CalibrationGoldItems");
        builder.HasOne<Tenant>().WithMany().HasForeignKey(g => g.TenantId);
        builder.HasOne<Decision>().WithMany().HasForeignKey(g => g.DecisionId);
        builder.HasOne<ReviewQueue>().WithMany().HasForeignKey(g => g.QueueId);
        builder.Property(g => g.UseCase).HasConversion<string>().HasMaxLength(32);
        builder.Property(g => g.Source).HasConversion<string>().HasMaxLength(16);
        builder.Property(g => g.GoldAction).HasConversion<string>().HasMaxLength(16);
        builder.Property(g => g.Explanation).HasMaxLength(2000);

        // One gold item per queue and slot: the seeding job may run twice, on two nodes, or after a restart.
        builder.HasIndex(g => new { g.TenantId, g.QueueId, g.SlotStart }).IsUnique();
        builder.HasIndex(g => g.DecisionId).IsUnique();
    }
}

internal sealed class GoldItemAnswerConfiguration : IEntityTypeConfiguration<GoldItemAnswer>
{
    public void Configure(EntityTypeBuilder<GoldItemAnswer> builder)
    {
        builder.ToTable("CalibrationAnswers");
        builder.HasOne<Tenant>().WithMany().HasForeignKey(a => a.TenantId);
        builder.HasOne<GoldItem>().WithMany().HasForeignKey(a => a.GoldItemId);
        builder.Property(a => a.UseCase).HasConversion<string>().HasMaxLength(32);
        builder.Property(a => a.PersonId).HasMaxLength(100);
        builder.Property(a => a.PersonName).HasMaxLength(200);
        builder.Property(a => a.Action).HasConversion<string>().HasMaxLength(16);
        builder.Property(a => a.GoldAction).HasConversion<string>().HasMaxLength(16);
        builder.Property(a => a.WrongFieldsCsv).HasMaxLength(500);

        // A person answers a gold item once (a four-eyes item may be answered by two people).
        builder.HasIndex(a => new { a.GoldItemId, a.PersonId }).IsUnique();
        builder.HasIndex(a => new { a.TenantId, a.PersonId, a.UseCase, a.AnsweredAt });
    }
}

internal sealed class CalibrationPauseConfiguration : IEntityTypeConfiguration<CalibrationPause>
{
    public void Configure(EntityTypeBuilder<CalibrationPause> builder)
    {
        builder.ToTable("CalibrationPauses");
        builder.HasOne<Tenant>().WithMany().HasForeignKey(p => p.TenantId);
        builder.Property(p => p.PersonId).HasMaxLength(100);
        builder.Property(p => p.PersonName).HasMaxLength(200);
        builder.Property(p => p.UseCase).HasConversion<string>().HasMaxLength(32);
        builder.Property(p => p.RiskLevelsCsv).HasMaxLength(64);
        builder.Property(p => p.ClearedByName).HasMaxLength(200);
        builder.Property(p => p.ClearedReason).HasMaxLength(CalibrationPause.MaxReasonLength);
        builder.Property(p => p.Version).IsConcurrencyToken();

        // The gate reads a person's pauses at every claim and verdict.
        builder.HasIndex(p => new { p.TenantId, p.PersonId, p.ClearedAt });
    }
}
