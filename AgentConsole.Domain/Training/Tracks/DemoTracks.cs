using AgentConsole.Domain.Agents;
using AgentConsole.Domain.Agents.BuiltIn;
using AgentConsole.Domain.Audit;
using AgentConsole.Domain.Persistence;
using AgentConsole.Domain.Tenancy;
using AgentConsole.Domain.Training.Scenarios;
using Microsoft.EntityFrameworkCore;

namespace AgentConsole.Domain.Training.Tracks;

/// <summary>
/// The demo tenants' training: a published "Pricing reviewer" track (certification <c>pricing-reviewer</c>, pass mark
/// 80 %, 20 minutes, 3 attempts, valid 365 days) with one exercise of ten generated scenarios, and a draft
/// "Contract reviewer" track, so a trainer lands on something real. Ids and cases are deterministic; a tenant that
/// already has tracks gets none.
/// </summary>
public static class DemoTracks
{
    public const string PricingKey = "pricing-reviewer";
    public const string ContractKey = "contract-reviewer";
    private const int Scenarios = 10;
    private const int WrongProposals = 3;

    public static async Task SeedAsync(AgentConsoleDbContext db, AgentRegistry registry, Guid tenantId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (await db.TrainingTracks.IgnoreQueryFilters().AnyAsync(t => t.TenantId == tenantId, cancellationToken))
        {
            return;
        }

        var seeder = Actor.System(tenantId, "demo data");
        var pricingAgent = await db.Agents.IgnoreQueryFilters().Include(a => a.Versions)
            .SingleOrDefaultAsync(a => a.TenantId == tenantId && a.UseCase == UseCase.DynamicPricing, cancellationToken);
        if (pricingAgent is null)
        {
            return;
        }

        var pricing = new Track(Id(tenantId, "track:pricing"), tenantId,
            new TrackSettings(PricingKey, "Pricing reviewer",
                "Reviewing the Quote Discount Advisor's discounts: when to approve, when to correct the discount, when to reject.",
                PricingKey, 80, 20, 3, 365),
            seeder.Name, now);
        var exercise = pricing.AddExercise(Id(tenantId, "exercise:pricing:1"), "Quote discounts",
            "Approve a discount that matches the market, correct one that does not (in steps of 0.5 %), reject what cannot be corrected.", now);
        var agent = registry.Resolve(pricingAgent.Versions.Single(v => v.Version == pricingAgent.CurrentVersion).Implementation);
        var generator = new SyntheticCaseGenerator(new Random(20261201));
        // The agent is right most of the time; the exercise takes seven cases it got right and three it did not,
        // so approving everything does not pass and kappa has two categories to measure.
        var picked = new List<Scenario>(Scenarios);
        var (approvals, corrections) = (0, 0);
        for (var tries = 0; picked.Count < Scenarios && tries < 1000; tries++)
        {
            var synthetic = generator.Next(UseCase.DynamicPricing);
            var proposal = await agent.ProposeAsync(synthetic.Inputs, cancellationToken);
            var (action, gold, explanation) = ScenarioLibrary.FromTruth(UseCase.DynamicPricing, proposal.Values, synthetic.Truth);
            if (action == GoldAction.Approve ? approvals++ >= Scenarios - WrongProposals : corrections++ >= WrongProposals)
            {
                continue;
            }

            picked.Add(new Scenario(Id(tenantId, $"scenario:pricing:{picked.Count}"), tenantId, UseCase.DynamicPricing, pricingAgent.Id, pricingAgent.Name,
                synthetic.Subject, synthetic.Inputs, proposal.Values, Math.Round(proposal.Confidence, 3), action, gold, explanation, ScenarioSource.Generated, null, null, seeder.Name, now, proposal.Risk, proposal.Rationale.Text, proposal.Explanation.ToJson()));
        }

        // Mixed, so the cases to correct are not simply the last ones found.
        var order = new Random(12);
        foreach (var scenario in picked.OrderBy(_ => order.Next()))
        {
            pricing.AddScenario(exercise.Id, scenario, now);
        }

        pricing.Publish(now);
        var contracts = new Track(Id(tenantId, "track:contracts"), tenantId,
            new TrackSettings(ContractKey, "Contract reviewer", "Reviewing the Clause Reviewer's verdicts on liability, indemnity and payment clauses.", ContractKey, 85, 30, 2, 180),
            seeder.Name, now);
        contracts.AddExercise(Id(tenantId, "exercise:contracts:1"), "Liability and indemnity clauses", "", now);
        db.TrainingTracks.AddRange(pricing, contracts);
        foreach (var track in new[] { pricing, contracts })
        {
            db.AuditEntries.Add(AuditEntry.Record(seeder, "training.track-created", "training-track", track.Id.ToString(), "Demo data", null, track.Snapshot(), now));
        }

        await db.SaveChangesAsync(cancellationToken);
    }

    private static Guid Id(Guid tenantId, string name) => DemoData.DeterministicId($"training:{tenantId}:{name}");
}
