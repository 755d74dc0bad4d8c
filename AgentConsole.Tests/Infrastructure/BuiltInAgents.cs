using AgentConsole.Domain.Agents;
using AgentConsole.Domain.Agents.BuiltIn;

namespace AgentConsole.Tests.Infrastructure;

/// <summary>The four built-in agents, for tests that go through every one.</summary>
public static class BuiltInAgents
{
    public static TheoryData<UseCase> UseCases => [UseCase.PartnerOnboarding, UseCase.DynamicPricing, UseCase.ContractReview, UseCase.InvoicePolicy];

    public static IDecisionAgent For(UseCase useCase) => useCase switch
    {
        UseCase.PartnerOnboarding => new PartnerOnboardingAgent(),
        UseCase.DynamicPricing => new DynamicPricingAgent(),
        UseCase.ContractReview => new ContractReviewAgent(),
        _ => new InvoicePolicyAgent(),
    };
}
