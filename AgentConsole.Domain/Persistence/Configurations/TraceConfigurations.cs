using AgentConsole.Domain.Traces;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AgentConsole.Domain.Persistence.Configurations;

internal sealed class StoredSpanConfiguration : IEntityTypeConfiguration<StoredSpan>
{
    public void Configure(EntityTypeBuilder<StoredSpan> builder)
    {
        builder.ToTable("StoredSpans");
        builder.Property(s => s.TraceId).HasMaxLength(32).IsUnicode(false);
        builder.Property(s => s.SpanId).HasMaxLength(16).IsUnicode(false);
        builder.Property(s => s.ParentSpanId).HasMaxLength(16).IsUnicode(false);
        builder.Property(s => s.LinkedTraceId).HasMaxLength(32).IsUnicode(false);
        builder.Property(s => s.Name).HasMaxLength(256);
        builder.Property(s => s.Kind).HasMaxLength(16);
        builder.Property(s => s.Source).HasMaxLength(128);
        builder.Property(s => s.Service).HasMaxLength(128);
        builder.Property(s => s.StatusDescription).HasMaxLength(1_000);
        builder.Property(s => s.AgentKey).HasMaxLength(64);

        // A number, not a name like other enums: a search takes the worst status of a trace.
        builder.Property(s => s.Status).HasConversion<int>();
        builder.Ignore(s => s.StartedAt);
        builder.Ignore(s => s.Duration);

        // What trace views and searches look up; the start serves time ranges and the retention job.
        builder.HasIndex(s => s.TraceId);
        builder.HasIndex(s => s.LinkedTraceId);
        builder.HasIndex(s => s.StartMicros);
        builder.HasIndex(s => s.DecisionId);
        builder.HasIndex(s => s.RunId);
        builder.HasIndex(s => new { s.AgentKey, s.StartMicros });

        // Spans are telemetry, deleted by retention and written in bulk: no foreign key to the tenant (nor to runs or
        // decisions, which a span may name before they are committed).
    }
}
