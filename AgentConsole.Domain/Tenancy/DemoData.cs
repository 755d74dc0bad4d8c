using AgentConsole.Domain.Agents;
using AgentConsole.Domain.Audit;
using AgentConsole.Domain.Persistence;
using AgentConsole.Domain.Queues;
using Microsoft.EntityFrameworkCore;

namespace AgentConsole.Domain.Tenancy;

/// <summary>
/// The demo tenants of the embedded default: Contoso Trading with a user per role, agents and
/// queues for the four use cases; Fabrikam Supply, a second tenant that must never see Contoso's data.
/// </summary>
public static class DemoData
{
    public static readonly Guid ContosoId = Guid.Parse("0b8f3c1e-5d2a-4c7e-9a61-1f2e3d4c5b6a");
    public static readonly Guid FabrikamId = Guid.Parse("7c4e2a90-3b1d-4f68-8e27-6a5b4c3d2e1f");

    /// <summary>User name, display name, roles — the demo sign-in page lists them.</summary>
    public static IReadOnlyList<(string UserName, string DisplayName, string[] Roles, Guid TenantId)> Users { get; } =
    [
        ("operator", "Olivia Operator", [Roles.Operator], ContosoId),
        ("operator2", "Omar Operator", [Roles.Operator], ContosoId),
        ("senior", "Sam Senior", [Roles.SeniorOperator], ContosoId),
        ("senior2", "Sienna Senior", [Roles.SeniorOperator], ContosoId),
        ("author", "Paula Author", [Roles.PolicyAuthor], ContosoId),
        ("board1", "Grace Board", [Roles.GovernanceBoard], ContosoId),
        ("board2", "Gabriel Board", [Roles.GovernanceBoard], ContosoId),
        ("trainer", "Tara Trainer", [Roles.Trainer], ContosoId),
        ("trainee", "Theo Trainee", [Roles.Trainee], ContosoId),
        ("auditor", "Aude Auditor", [Roles.Auditor], ContosoId),
        ("admin", "Ada Admin", [Roles.Admin], ContosoId),
        ("fabrikam", "Felix Fabrikam", [Roles.Operator], FabrikamId),
        ("fabrikam.senior", "Fiona Fabrikam", [Roles.SeniorOperator], FabrikamId),
    ];

    public static async Task SeedAsync(AgentConsoleDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (await db.Tenants.AnyAsync(cancellationToken))
        {
            return;
        }

        var now = clock.GetUtcNow();
        foreach (var tenant in new[] { new Tenant(ContosoId, "Contoso Trading", "contoso", now), new Tenant(FabrikamId, "Fabrikam Supply", "fabrikam", now) })
        {
            db.Tenants.Add(tenant);
            db.AuditEntries.Add(AuditEntry.Record(Seeder(tenant.Id), "tenant.created", "tenant", tenant.Id.ToString(), "Demo data", null, new { tenant.Name, tenant.Slug }, now));
        }

        foreach (var (userName, displayName, roles, tenantId) in Users)
        {
            var user = new AppUser(DeterministicId("user:" + userName), tenantId, userName, displayName, $"{userName}@{(tenantId == ContosoId ? "contoso" : "fabrikam")}.example", roles);
            db.Users.Add(user);
            db.AuditEntries.Add(AuditEntry.Record(Seeder(tenantId), "user.created", "user", user.Id.ToString(), "Demo data", null, user.Snapshot(), now));
        }

        foreach (var tenantId in new[] { ContosoId, FabrikamId })
        {
            SeedAgentsAndQueues(db, tenantId, now);
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Another node starting at the same moment may have seeded first (the ids are deterministic).
            db.ChangeTracker.Clear();
            if (!await db.Tenants.AnyAsync(cancellationToken))
            {
                throw;
            }
        }
    }

    /// <summary>The system as it seeds a tenant, in the audit trail.</summary>
    private static Actor Seeder(Guid tenantId) => Actor.System(tenantId, "demo data");

    /// <summary>The built-in agents of the four use cases and their two-tier queues, for a new tenant, each audited as created.</summary>
    internal static void SeedAgentsAndQueues(AgentConsoleDbContext db, Guid tenantId, DateTimeOffset now)
    {
        var system = Actor.System(tenantId, "tenant set-up");
        var agents = new (string Key, string Name, UseCase UseCase, string Description, string Implementation)[]
        {
            ("onboarding", "Onboarding Risk Scorer", UseCase.PartnerOnboarding, "Scores new partners from KYC, sanctions and credit signals.", "builtin:onboarding/1"),
            ("pricing", "Quote Discount Advisor", UseCase.DynamicPricing, "Proposes discounts on B2B quotes from competition, segment and deal history.", "builtin:pricing/1"),
            ("contracts", "Clause Reviewer", UseCase.ContractReview, "Checks contract clauses against the legal playbook.", "builtin:contracts/1"),
            ("invoices", "Payment Policy Guard", UseCase.InvoicePolicy, "Enforces three-way match, bank-change and duplicate rules on invoices.", "builtin:invoices/1"),
        };
        foreach (var a in agents)
        {
            var agent = new Agent(DeterministicId($"agent:{tenantId}:{a.Key}"), tenantId, a.Key, a.Name, a.UseCase, a.Description, now);
            agent.AddVersion(DeterministicId($"agent-version:{tenantId}:{a.Key}:1"), a.Implementation, "Initial built-in version.", now);
            db.Agents.Add(agent);
            db.AuditEntries.Add(AuditEntry.Record(system, "agent.created", "agent", agent.Id.ToString(), "Built-in agent of a new tenant", null,
                new { agent.Key, agent.Name, useCase = a.UseCase.ToString(), version = 1, implementation = a.Implementation }, now));

            var tier2 = new ReviewQueue(QueueId(tenantId, $"{a.Key}-t2"), tenantId, $"{a.Key}-t2", $"{a.UseCase.Label()} — seniors", a.UseCase, 2, 240,
                [Roles.SeniorOperator], $"Escalations and high-risk {a.UseCase.Label().ToLowerInvariant()} decisions.");
            var tier1 = new ReviewQueue(QueueId(tenantId, $"{a.Key}-t1"), tenantId, $"{a.Key}-t1", $"{a.UseCase.Label()} — first line", a.UseCase, 1, 60,
                [Roles.Operator, Roles.SeniorOperator], $"First-line review of {a.UseCase.Label().ToLowerInvariant()} proposals.");
            tier1.EscalateTo(tier2);
            db.Queues.AddRange(tier1, tier2);
            foreach (var queue in new[] { tier1, tier2 })
            {
                db.AuditEntries.Add(AuditEntry.Record(system, "queue.created", "queue", queue.Id.ToString(), "Review queue of a new tenant", null,
                    new { queue.Key, queue.Name, tier = queue.Tier, slaMinutes = queue.SlaMinutes, roles = queue.AllowedRoles, escalatesTo = queue.EscalatesToQueueId }, now));
            }
        }
    }

    /// <summary>The id of a demo queue by its key, e.g. <c>pricing-t1</c>.</summary>
    public static Guid QueueId(Guid tenantId, string key) => DeterministicId($"queue:{tenantId}:{key}");

    /// <summary>Stable ids, so demo links and tests survive a re-seed.</summary>
    public static Guid DeterministicId(string name)
    {
        var hash = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(name));
        return new Guid(hash.AsSpan(0, 16));
    }
}
