namespace AgentConsole.Domain.Tenancy;

/// <summary>The tenant the current scope works for. Without one, tenant-owned queries return nothing.</summary>
public interface ITenantContext
{
    Guid? TenantId { get; }
}

/// <summary>
/// Scoped holder of the current tenant: set once per request, circuit or job from the signed-in
/// user or the job's arguments, and never changed to another tenant afterwards. The current span (the request's,
/// the job's) is marked with the tenant, so the span store keeps it with the tenant's traces.
/// </summary>
public sealed class TenantContext : ITenantContext
{
    public Guid? TenantId { get; private set; }

    public void Use(Guid tenantId)
    {
        if (TenantId is { } current && current != tenantId)
        {
            throw new InvalidOperationException("This scope already works for another tenant.");
        }

        TenantId = tenantId;
        System.Diagnostics.Activity.Current?.SetTag(Traces.SpanAttributes.TenantId, tenantId.ToString());
    }
}
