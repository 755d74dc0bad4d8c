using AgentConsole.Domain.Decisions;
using AgentConsole.Domain.Queues;
using AgentConsole.Domain.Queues.Sla;
using AgentConsole.Domain.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AgentConsole.Domain.Persistence.Configurations;

internal sealed class BusinessCalendarConfiguration : IEntityTypeConfiguration<BusinessCalendar>
{
    public void Configure(EntityTypeBuilder<BusinessCalendar> builder)
    {
        builder.Property(c => c.Version).IsConcurrencyToken();
        builder.Property(c => c.TimeZone).HasMaxLength(64);
        builder.Property(c => c.WorkingDaysCsv).HasMaxLength(100);
        builder.Property(c => c.HolidayCountry).HasMaxLength(8);
        builder.Property(c => c.HolidaysCsv).HasMaxLength(BusinessCalendar.MaxHolidays * 11);
        builder.Property(c => c.UpdatedByName).HasMaxLength(200);
        builder.Ignore(c => c.WorkingDays);
        builder.Ignore(c => c.Holidays);

        // One calendar per tenant.
        builder.HasIndex(c => c.TenantId).IsUnique();
        builder.HasOne<Tenant>().WithMany().HasForeignKey(c => c.TenantId);
    }
}

internal sealed class SlaStepFiringConfiguration : IEntityTypeConfiguration<SlaStepFiring>
{
    public void Configure(EntityTypeBuilder<SlaStepFiring> builder)
    {
        builder.Property(f => f.Step).HasConversion<string>().HasMaxLength(16);
        builder.Property(f => f.Threshold).HasMaxLength(16);
        builder.Property(f => f.Outcome).HasMaxLength(300);

        // A step fires at most once per decision and queue, whatever the workers and restarts.
        builder.HasIndex(f => new { f.DecisionId, f.QueueId, f.Step }).IsUnique();
        builder.HasOne<Decision>().WithMany().HasForeignKey(f => f.DecisionId);
        builder.HasOne<ReviewQueue>().WithMany().HasForeignKey(f => f.QueueId);
        builder.HasOne<Policies.PolicyVersion>().WithMany().HasForeignKey(f => f.PolicyVersionId);
    }
}
