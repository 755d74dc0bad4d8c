using AgentConsole.Domain.Tenancy;
using AgentConsole.Domain.Training.Scenarios;
using AgentConsole.Domain.Training.Sessions;
using AgentConsole.Domain.Training.Tracks;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AgentConsole.Domain.Persistence.Configurations;

internal sealed class TrackConfiguration : IEntityTypeConfiguration<Track>
{
    public void Configure(EntityTypeBuilder<Track> builder)
    {
        builder.ToTable("TrainingTracks");
        builder.Property(t => t.Key).HasMaxLength(64);
        builder.Property(t => t.Name).HasMaxLength(200);
        builder.Property(t => t.Description).HasMaxLength(2000);
        builder.Property(t => t.CertificationKey).HasMaxLength(64);
        builder.Property(t => t.CreatedBy).HasMaxLength(200);
        builder.Property(t => t.State).HasConversion<string>().HasMaxLength(16);
        builder.Property(t => t.Revision).IsConcurrencyToken();
        builder.HasIndex(t => new { t.TenantId, t.Key, t.Version }).IsUnique();
        builder.HasOne<Tenant>().WithMany().HasForeignKey(t => t.TenantId);
        builder.HasMany(t => t.Exercises).WithOne().HasForeignKey(e => e.TrackId);
        builder.Navigation(t => t.Exercises).HasField("_exercises").UsePropertyAccessMode(PropertyAccessMode.Field);
        builder.Ignore(t => t.Settings);
        builder.Ignore(t => t.ScenarioCount);
    }
}

internal sealed class ExerciseConfiguration : IEntityTypeConfiguration<Exercise>
{
    public void Configure(EntityTypeBuilder<Exercise> builder)
    {
        builder.ToTable("TrainingExercises");
        builder.Property(e => e.Title).HasMaxLength(200);
        builder.Property(e => e.Instructions).HasMaxLength(2000);
        builder.HasIndex(e => new { e.TrackId, e.Position }).IsUnique();
        builder.HasMany(e => e.Scenarios).WithOne().HasForeignKey(s => s.ExerciseId);
        builder.Navigation(e => e.Scenarios).HasField("_scenarios").UsePropertyAccessMode(PropertyAccessMode.Field);
    }
}

internal sealed class ScenarioConfiguration : IEntityTypeConfiguration<Scenario>
{
    public void Configure(EntityTypeBuilder<Scenario> builder)
    {
        builder.ToTable("TrainingScenarios");
        builder.Property(s => s.UseCase).HasConversion<string>().HasMaxLength(32);
        builder.Property(s => s.AgentName).HasMaxLength(200);
        builder.Property(s => s.Subject).HasMaxLength(500);
        builder.Property(s => s.GoldAction).HasConversion<string>().HasMaxLength(16);
        builder.Property(s => s.Source).HasConversion<string>().HasMaxLength(16);
        builder.Property(s => s.Explanation).HasMaxLength(2000);
        builder.Property(s => s.Risk).HasConversion<string>().HasMaxLength(16);
        builder.Property(s => s.Rationale).HasMaxLength(4000);
        builder.Property(s => s.MaskedFieldsCsv).HasMaxLength(1000);
        builder.Property(s => s.CreatedBy).HasMaxLength(200);
        builder.HasIndex(s => new { s.ExerciseId, s.Position }).IsUnique();
        builder.Ignore(s => s.Inputs);
        builder.Ignore(s => s.Proposal);
        builder.Ignore(s => s.GoldValues);
        builder.Ignore(s => s.MaskedFields);
        builder.Ignore(s => s.Gold);
    }
}

internal sealed class TrainingSessionConfiguration : IEntityTypeConfiguration<TrainingSession>
{
    public void Configure(EntityTypeBuilder<TrainingSession> builder)
    {
        builder.ToTable("TrainingSessions");
        builder.Property(s => s.TrackKey).HasMaxLength(64);
        builder.Property(s => s.TrackName).HasMaxLength(200);
        builder.Property(s => s.CertificationKey).HasMaxLength(64);
        builder.Property(s => s.TraineeId).HasMaxLength(64);
        builder.Property(s => s.TraineeName).HasMaxLength(200);
        builder.Property(s => s.Mode).HasConversion<string>().HasMaxLength(16);
        builder.Property(s => s.EndReason).HasConversion<string>().HasMaxLength(16);
        builder.Property(s => s.KappaNote).HasMaxLength(500);
        builder.Property(s => s.Revision).IsConcurrencyToken();
        builder.HasIndex(s => new { s.TenantId, s.TraineeId, s.TrackId });
        builder.HasIndex(s => new { s.EndedAt, s.Deadline });
        builder.HasOne<Tenant>().WithMany().HasForeignKey(s => s.TenantId);
        builder.HasOne<Track>().WithMany().HasForeignKey(s => s.TrackId);
        builder.HasMany(s => s.Items).WithOne().HasForeignKey(i => i.SessionId);
        builder.Navigation(s => s.Items).HasField("_items").UsePropertyAccessMode(PropertyAccessMode.Field);
        builder.Ignore(s => s.IsOpen);
        builder.Ignore(s => s.Answered);
    }
}

internal sealed class SessionItemConfiguration : IEntityTypeConfiguration<SessionItem>
{
    public void Configure(EntityTypeBuilder<SessionItem> builder)
    {
        builder.ToTable("TrainingSessionItems");
        builder.Property(i => i.Action).HasConversion<string>().HasMaxLength(16);
        builder.Property(i => i.Reason).HasMaxLength(1000);
        builder.Property(i => i.WrongFieldsCsv).HasMaxLength(1000);
        builder.HasIndex(i => new { i.SessionId, i.Position }).IsUnique();
        builder.HasOne<Scenario>().WithMany().HasForeignKey(i => i.ScenarioId);
        builder.Ignore(i => i.Values);
        builder.Ignore(i => i.WrongFields);
        builder.Ignore(i => i.Answer);
    }
}
