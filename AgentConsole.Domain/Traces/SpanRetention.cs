using AgentConsole.Domain.Persistence;
using AgentConsole.Domain.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AgentConsole.Domain.Traces;

/// <summary>Deletes stored spans older than <c>Traces:RetentionDays</c>, for every tenant (the recurring job calls it hourly).</summary>
public sealed class SpanRetention(DatabaseProvider provider, TimeProvider clock, IOptions<TracesOptions> options)
{
    /// <summary>Deletes the spans that began before the retention window; returns how many.</summary>
    public async Task<int> PurgeExpiredAsync(CancellationToken cancellationToken = default)
    {
        var cutoff = StoredSpan.ToMicros(clock.GetUtcNow().AddDays(-options.Value.RetentionDays));
        await using var db = provider.Create(new TenantContext());
        return await db.StoredSpans.IgnoreQueryFilters().Where(s => s.StartMicros < cutoff).ExecuteDeleteAsync(cancellationToken);
    }
}
