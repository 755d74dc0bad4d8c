using AgentConsole.Domain.Agents;
using AgentConsole.Domain.Persistence;
using AgentConsole.Domain.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace AgentConsole.Domain.Policies;

/// <summary>
/// The first policy of each use case: what a new tenant starts from, and the starting point of
/// a new scope's first draft. <c>{t1}</c> and <c>{t2}</c> stand for the use case's queue keys.
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
            db.PolicyVersions.Add(PolicyVersion.Initial(DemoData.DeterministicId($"policy-version:{tenantId}:{useCase}:1"), scope,
                For(useCase, byTier[0].Key, byTier[^1].Key), now));
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

    public static string For(UseCase useCase, string tier1Queue, string tier2Queue) =>
        Template(useCase).Replace("{t1}", tier1Queue, StringComparison.Ordinal).Replace("{t2}", tier2Queue, StringComparison.Ordinal);

    private static string Template(UseCase useCase) => useCase switch
    {
        UseCase.PartnerOnboarding => """
            # Partner onboarding: who may be onboarded without a person looking.
            autoApprove:
              minConfidence: 0.90
              maxRisk: low

            riskRules:
              - id: sanctioned-country
                description: A partner from a sanctioned country is never approved by an agent.
                when: in(inputs.country, 'IR', 'KP', 'SY') and proposal.decision != 'Decline'
                then: block
              - id: large-credit-line
                description: Credit lines above 1.5M EUR are reviewed by a senior operator.
                when: proposal.creditLimitEur > 1500000
                then: review
                tier: 2
                raiseRiskTo: high

            authorityLimits:
              - id: credit-cap
                description: No agent grants a credit line above 4.5M EUR.
                field: proposal.creditLimitEur
                max: 4500000

            reviewRequirements:
              low:      { tier: 1, role: Operator }
              medium:   { tier: 1, role: Operator }
              high:     { tier: 2, role: SeniorOperator }
              critical: { tier: 2, role: SeniorOperator, reviewers: 2, certification: high-risk-approval }

            slaLadder:
              {t1}: { warnAfter: 45m, escalateAfter: 60m }
              {t2}: { warnAfter: 3h, autoDecideAfter: 1d, autoDecision: reject }

            masking:
              - field: inputs.annualRevenueEur
                roles: [Trainee]
            """,
        UseCase.DynamicPricing => """
            # Dynamic pricing: discounts proposed on B2B quotes.
            autoApprove:
              minConfidence: 0.85
              maxRisk: low

            riskRules:
              - id: large-discount
                description: Discounts above 15 % are reviewed by a senior operator.
                when: proposal.discountPercent > 15
                then: review
                tier: 2
                raiseRiskTo: high
              - id: below-margin-floor
                description: A discount deeper than the margin floor needs a person's look.
                when: proposal.discountPercent > inputs.marginFloorPercent
                then: review

            authorityLimits:
              - id: discount-cap
                description: No agent grants more than 30 %.
                field: proposal.discountPercent
                max: 30

            reviewRequirements:
              low:      { tier: 1, role: Operator }
              medium:   { tier: 1, role: Operator }
              high:     { tier: 2, role: SeniorOperator }
              critical: { tier: 2, role: SeniorOperator, reviewers: 2 }

            slaLadder:
              {t1}: { warnAfter: 45m, escalateAfter: 60m }
              {t2}: { warnAfter: 3h, autoDecideAfter: 8h, autoDecision: reject }

            masking:
              - field: inputs.marginFloorPercent
                roles: [Trainee]
            """,
        UseCase.ContractReview => """
            # Contract review: clause verdicts against the legal playbook.
            autoApprove:
              minConfidence: 0.90
              maxRisk: low

            riskRules:
              - id: large-contract
                description: Contracts worth more than 1M EUR are reviewed by a senior operator.
                when: inputs.contractValueEur > 1000000
                then: review
                tier: 2
                raiseRiskTo: high
              - id: accepted-uncapped-indemnity
                description: Accepting an uncapped indemnity always needs a person.
                when: inputs.uncappedIndemnity and proposal.verdict == 'Accept'
                then: review
                tier: 2

            reviewRequirements:
              low:      { tier: 1, role: Operator }
              medium:   { tier: 1, role: Operator }
              high:     { tier: 2, role: SeniorOperator }
              critical: { tier: 2, role: SeniorOperator, reviewers: 2 }

            slaLadder:
              {t1}: { warnAfter: 45m, escalateAfter: 60m }
              {t2}: { warnAfter: 3h }
            """,
        UseCase.InvoicePolicy => """
            # Invoice and payment policy: pay, hold or block.
            autoApprove:
              minConfidence: 0.88
              maxRisk: low

            riskRules:
              - id: recent-bank-change
                description: Paying to a bank account changed in the last 30 days needs a senior operator.
                when: inputs.bankAccountChangedDaysAgo >= 0 and inputs.bankAccountChangedDaysAgo <= 30 and proposal.action == 'Pay'
                then: review
                tier: 2
                raiseRiskTo: high

            authorityLimits:
              - id: payment-cap
                description: No agent releases a single payment above 350,000 EUR.
                when: proposal.action == 'Pay' and inputs.amountEur > 350000

            reviewRequirements:
              low:      { tier: 1, role: Operator }
              medium:   { tier: 1, role: Operator }
              high:     { tier: 2, role: SeniorOperator }
              critical: { tier: 2, role: SeniorOperator, reviewers: 2 }

            slaLadder:
              {t1}: { warnAfter: 30m, escalateAfter: 60m }
              {t2}: { warnAfter: 2h, autoDecideAfter: 1d, autoDecision: reject }
            """,
        _ => throw new ArgumentOutOfRangeException(nameof(useCase)),
    };
}
