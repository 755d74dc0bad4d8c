namespace AgentConsole.Domain.Agents;

/// <summary>The B2B work an agent does.</summary>
public enum UseCase
{
    /// <summary>Scores a new partner's onboarding risk and proposes accept, manual KYC or decline.</summary>
    PartnerOnboarding,
    /// <summary>Proposes a discount on a B2B quote.</summary>
    DynamicPricing,
    /// <summary>Reviews a contract clause and proposes accept, redline or reject.</summary>
    ContractReview,
    /// <summary>Enforces invoice and payment policy: pay, hold or block.</summary>
    InvoicePolicy,
}

public static class UseCaseText
{
    public static string Label(this UseCase useCase) => useCase switch
    {
        UseCase.PartnerOnboarding => "Partner onboarding",
        UseCase.DynamicPricing => "Dynamic pricing",
        UseCase.ContractReview => "Contract review",
        UseCase.InvoicePolicy => "Invoice & payment policy",
        _ => useCase.ToString(),
    };
}
