using AgentConsole.Domain.Audit;
using AgentConsole.Domain.Persistence;
using AgentConsole.Domain.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace AgentConsole.Domain.Training.Certifications;

/// <summary>
/// The demo's certifications, so the demo shows the gate: Sam Senior and the senior demo colleagues hold
/// <c>pricing-reviewer</c> (which the default pricing policy asks of high-risk reviews) and <c>high-risk-approval</c>
/// (critical onboarding); Sienna Senior holds only <c>high-risk-approval</c>, expiring within 30 days; Omar Operator's
/// <c>pricing-reviewer</c> has expired. Seeded once, audited as granted by the demo data.
/// </summary>
public static class DemoCertifications
{
    public const string PricingReviewer = "pricing-reviewer";

    public const string HighRiskApproval = "high-risk-approval";

    private static readonly Dictionary<string, string> Names = new(StringComparer.Ordinal)
    {
        [PricingReviewer] = "Pricing reviewer",
        [HighRiskApproval] = "High-risk approval",
    };

    public static async Task SeedAsync(AgentConsoleDbContext db, CertificateCodes codes, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (await db.Certifications.IgnoreQueryFilters().AnyAsync(cancellationToken))
        {
            return;
        }

        var now = clock.GetUtcNow();
        var users = await db.Users.IgnoreQueryFilters().AsNoTracking().ToDictionaryAsync(u => u.UserName, cancellationToken);
        var year = TimeSpan.FromDays(365);
        var grants = new List<(Guid TenantId, string HolderId, string HolderName, string Key, DateTimeOffset GrantedAt, DateTimeOffset ExpiresAt)>();
        void Person(string userName, string key, DateTimeOffset grantedAt, DateTimeOffset expiresAt)
        {
            if (users.TryGetValue(userName, out var u))
            {
                grants.Add((u.TenantId, u.Id.ToString(), u.DisplayName, key, grantedAt, expiresAt));
            }
        }

        Person("senior", PricingReviewer, now.AddDays(-40), now.AddDays(-40) + year);
        Person("senior", HighRiskApproval, now.AddDays(-40), now.AddDays(-40) + year);
        Person("senior2", HighRiskApproval, now.AddDays(-345), now.AddDays(20));
        Person("operator2", PricingReviewer, now.AddDays(-375), now.AddDays(-10));
        Person("fabrikam.senior", PricingReviewer, now.AddDays(-5), now.AddDays(-5) + year);
        Person("fabrikam.senior", HighRiskApproval, now.AddDays(-5), now.AddDays(-5) + year);
        foreach (var tenantId in new[] { DemoData.ContosoId, DemoData.FabrikamId })
        {
            foreach (var colleague in DemoColleagues.Of(tenantId).Where(c => c.IsInRole(Roles.SeniorOperator)))
            {
                grants.Add((tenantId, colleague.Id, colleague.Name, PricingReviewer, now.AddDays(-60), now.AddDays(-60) + year));
                grants.Add((tenantId, colleague.Id, colleague.Name, HighRiskApproval, now.AddDays(-60), now.AddDays(-60) + year));
            }
        }

        foreach (var g in grants)
        {
            var id = DemoData.DeterministicId($"certification:{g.TenantId}:{g.HolderId}:{g.Key}");
            var certification = Certification.Grant(id, g.TenantId, g.HolderId, g.HolderName, g.Key, Names[g.Key], null, null,
                Actor.System(g.TenantId, "demo data"), g.GrantedAt, g.ExpiresAt, codes.HashFor(id));
            db.Certifications.Add(certification);
            db.AuditEntries.Add(AuditEntry.Record(Actor.System(g.TenantId, "demo data"), "certification.granted", "certification", id.ToString(), "Demo data", null, certification.Snapshot(), now));
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Another node starting at the same moment seeded them first (the ids are deterministic).
            db.ChangeTracker.Clear();
        }
    }
}
