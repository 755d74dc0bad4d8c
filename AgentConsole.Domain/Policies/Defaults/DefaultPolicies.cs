using AgentConsole.Domain.Agents;
using AgentConsole.Domain.Audit;
using AgentConsole.Domain.Persistence;
using AgentConsole.Domain.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace AgentConsole.Domain.Policies;

/// <summary>
/// The first policy of each use case: what a new tenant starts from, and the starting point of
/// a new scope's first draft.
/// </summary>
public static class DefaultPolicies
{
    /// <summary>
    /// Gives every use case that has queues but no policy yet its default policy, active at once,
    /// so no tenant starts without one. Safe when several nodes start together (the ids are deterministic).
    /// </summary>
    public static async Task InstallMissingAsync(AgentConsoleDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var queues = await db.Queues.IgnoreQueryFilters().AsNoTracking().Select(q => new { q.TenantId, q.UseCase, q.Key, q.Tier }).ToListAsync(cancellationToken);
        var scopes = await db.PolicyScopes.IgnoreQueryFilters().AsNoTracking().Where(s => s.Kind == PolicyScopeKind.UseCase)
            .Select(s => new { s.TenantId, s.UseCase }).ToListAsync(cancellationToken);
        var now = clock.GetUtcNow();
        var installed = 0;
        foreach (var group in queues.GroupBy(q => (q.TenantId, q.UseCase)))
        {
            if (scopes.Any(s => s.TenantId == group.Key.TenantId && s.UseCase == group.Key.UseCase))
            {
                continue;
            }

            var (tenantId, useCase) = group.Key;
            var byTier = group.OrderBy(q => q.Tier).ToList();
            var scope = new PolicyScope(DemoData.DeterministicId($"policy-scope:{tenantId}:{useCase}"), tenantId, PolicyScopeKind.UseCase,
                PolicyScope.UseCaseKey(useCase), useCase, useCase.Label());
            db.PolicyScopes.Add(scope);
            var version = PolicyVersion.Initial(DemoData.DeterministicId($"policy-version:{tenantId}:{useCase}:1"), scope,
                For(useCase, byTier[0].Key, byTier[^1].Key), now);
            db.PolicyVersions.Add(version);
            db.AuditEntries.Add(AuditEntry.Record(Actor.System(tenantId, "default policies"), "policy.installed", "policy-version", version.Id.ToString(),
                $"The default {useCase.Label()} policy of a tenant without one, in force at once", null, PolicyService.Snapshot(version), now));
            installed++;
        }

        if (installed == 0)
        {
            return;
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Another node starting at the same moment installed them first.
            db.ChangeTracker.Clear();
        }
    }

    /// <summary>The default document of a use case, for a tenant whose first- and top-tier queues have these keys.</summary>
    public static string For(UseCase useCase, string tier1Queue, string tier2Queue) =>
        Template(useCase).Replace("tier-1-queue", tier1Queue, StringComparison.Ordinal).Replace("tier-2-queue", tier2Queue, StringComparison.Ordinal);

    /// <summary>
    /// The use case's document as shipped in <c>Policies/Defaults/*.yaml</c> (embedded in the build), where
    /// <c>tier-1-queue</c> and <c>tier-2-queue</c> stand for the queue keys. Each file names the schema on its
    /// first line for editors; the policy itself starts below it.
    /// </summary>
    private static string Template(UseCase useCase)
    {
        var name = useCase switch
        {
            UseCase.PartnerOnboarding => "partner-onboarding",
            UseCase.DynamicPricing => "dynamic-pricing",
            UseCase.ContractReview => "contract-review",
            UseCase.InvoicePolicy => "invoice-policy",
            _ => throw new ArgumentOutOfRangeException(nameof(useCase)),
        };
        using var stream = typeof(DefaultPolicies).Assembly.GetManifestResourceStream($"AgentConsole.Policies.Defaults.{name}.yaml")
            ?? throw new InvalidOperationException($"The default policy {name}.yaml is missing from the build.");
        using var reader = new StreamReader(stream);
        var text = reader.ReadToEnd().ReplaceLineEndings("\n");
        return (text.StartsWith(SchemaLine, StringComparison.Ordinal) ? text[(text.IndexOf('\n', StringComparison.Ordinal) + 1)..] : text).TrimEnd('\n');
    }

    private const string SchemaLine = "# yaml-language-server:";
}
