using AgentConsole.Domain.Decisions;
using AgentConsole.Domain.Notifications;
using AgentConsole.Domain.Queues;
using AgentConsole.Domain.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AgentConsole.Domain.Persistence.Configurations;

internal sealed class NotificationConfiguration : IEntityTypeConfiguration<Notification>
{
    public void Configure(EntityTypeBuilder<Notification> builder)
    {
        builder.Property(n => n.Kind).HasConversion<string>().HasMaxLength(16);
        builder.Property(n => n.Text).HasMaxLength(Notification.MaxTextLength);
        builder.Property(n => n.AgentKey).HasMaxLength(64);

        // The bell's count (a person's unread) and the list (a person's, newest first).
        builder.HasIndex(n => new { n.RecipientId, n.ReadAt });
        builder.HasIndex(n => new { n.RecipientId, n.CreatedAt });
        builder.HasOne<Tenant>().WithMany().HasForeignKey(n => n.TenantId);
        builder.HasOne<AppUser>().WithMany().HasForeignKey(n => n.RecipientId);
    }
}

internal sealed class QueueSeenMarkConfiguration : IEntityTypeConfiguration<QueueSeenMark>
{
    public void Configure(EntityTypeBuilder<QueueSeenMark> builder)
    {
        builder.HasIndex(m => new { m.UserId, m.QueueId }).IsUnique();
        builder.HasOne<Tenant>().WithMany().HasForeignKey(m => m.TenantId);
        builder.HasOne<AppUser>().WithMany().HasForeignKey(m => m.UserId);
        builder.HasOne<ReviewQueue>().WithMany().HasForeignKey(m => m.QueueId);
    }
}

internal sealed class NotificationPreferenceConfiguration : IEntityTypeConfiguration<NotificationPreference>
{
    public void Configure(EntityTypeBuilder<NotificationPreference> builder)
    {
        builder.Property(p => p.EmailKindsCsv).HasMaxLength(100);
        builder.Ignore(p => p.EmailKinds);
        builder.HasIndex(p => p.UserId).IsUnique();
        builder.HasOne<Tenant>().WithMany().HasForeignKey(p => p.TenantId);
        builder.HasOne<AppUser>().WithMany().HasForeignKey(p => p.UserId);
    }
}

internal sealed class WebhookConfiguration : IEntityTypeConfiguration<Webhook>
{
    public void Configure(EntityTypeBuilder<Webhook> builder)
    {
        builder.Property(w => w.Name).HasMaxLength(Webhook.MaxNameLength);
        builder.Property(w => w.Url).HasMaxLength(Webhook.MaxUrlLength);
        builder.Property(w => w.Secret).HasMaxLength(120);
        builder.Property(w => w.KindsCsv).HasMaxLength(100);
        builder.Property(w => w.CreatedByName).HasMaxLength(200);
        builder.Property(w => w.Version).IsConcurrencyToken();
        builder.Ignore(w => w.Kinds);
        builder.Ignore(w => w.Target);
        builder.HasIndex(w => new { w.TenantId, w.IsActive });
        builder.HasOne<Tenant>().WithMany().HasForeignKey(w => w.TenantId);
    }
}

internal sealed class DeliveryConfiguration : IEntityTypeConfiguration<Delivery>
{
    public void Configure(EntityTypeBuilder<Delivery> builder)
    {
        builder.ToTable("NotificationDeliveries");
        builder.Property(d => d.Channel).HasConversion<string>().HasMaxLength(16);
        builder.Property(d => d.Kind).HasConversion<string>().HasMaxLength(16);
        builder.Property(d => d.Status).HasConversion<string>().HasMaxLength(16);
        builder.Property(d => d.Target).HasMaxLength(Webhook.MaxUrlLength);
        builder.Property(d => d.Subject).HasMaxLength(200);
        builder.Property(d => d.LastError).HasMaxLength(Delivery.MaxErrorLength);
        builder.Ignore(d => d.MessageId);

        // The job's sweep (what is due) and the log (newest first).
        builder.HasIndex(d => new { d.Status, d.NextAttemptAt });
        builder.HasIndex(d => new { d.TenantId, d.CreatedAt });
        builder.HasOne<Tenant>().WithMany().HasForeignKey(d => d.TenantId);
        builder.HasOne<Notification>().WithMany().HasForeignKey(d => d.NotificationId);
        builder.HasOne<Webhook>().WithMany().HasForeignKey(d => d.WebhookId);
    }
}

/// <summary>The indexes the notification counts read decisions by: what entered a queue, and what was warned, since a time.</summary>
internal sealed class DecisionNotificationIndexes : IEntityTypeConfiguration<Decision>
{
    public void Configure(EntityTypeBuilder<Decision> builder)
    {
        builder.HasIndex(d => new { d.QueueId, d.SlaClockStartedAt });
        builder.HasIndex(d => new { d.QueueId, d.SlaWarnedAt });
    }
}
