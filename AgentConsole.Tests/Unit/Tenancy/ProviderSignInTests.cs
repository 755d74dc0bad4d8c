using System.Security.Claims;
using AgentConsole.Web.Tenancy;

namespace AgentConsole.Tests.Unit.Tenancy;

/// <summary>Role claims arrive as repeated claims or as one JSON array, depending on the provider.</summary>
public sealed class ProviderSignInTests
{
    private static ClaimsPrincipal With(params (string Type, string Value)[] claims) =>
        new(new ClaimsIdentity(claims.Select(c => new Claim(c.Type, c.Value)), "test"));

    [Fact]
    public void RoleNames_AreReadFromRepeatedClaims()
    {
        var roles = ProviderSignIn.RoleNames(With(("roles", "Operator"), ("roles", "Auditor"), ("roles", "Operator")), ["roles"]);

        Assert.Equal(["Operator", "Auditor"], roles);
    }

    [Fact]
    public void RoleNames_AreReadFromOneClaimHoldingAJsonArray()
    {
        var roles = ProviderSignIn.RoleNames(With(("groups", """["SeniorOperator","Admin"]""")), ["groups"]);

        Assert.Equal(["SeniorOperator", "Admin"], roles);
    }

    [Fact]
    public void RoleNames_KeepAValueThatOnlyLooksLikeAnArray_AsOneName()
    {
        var roles = ProviderSignIn.RoleNames(With(("roles", "[not json")), ["roles"]);

        Assert.Equal(["[not json"], roles);
    }
}
