using System.Security.Claims;
using System.Text.Encodings.Web;
using AgentConsole.Domain.Tenancy;
using AgentConsole.Web.Tenancy;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AgentConsole.Tests.Infrastructure;

/// <summary>
/// Signs a request in from its <c>X-Test-Roles</c> header (comma-separated roles, Contoso tenant; one user per set of roles), for hosts
/// where the demo sign-in is off (Production). Requests without the header stay signed out.
/// </summary>
public sealed class HeaderSignIn(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "TestHeader";
    public const string Header = "X-Test-Roles";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (Request.Headers[Header].ToString() is not { Length: > 0 } roles)
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, DemoData.DeterministicId("header-user:" + roles).ToString()),
            new(ClaimTypes.Name, "Header User"),
            new(ConsoleClaims.TenantId, DemoData.ContosoId.ToString()),
        };
        claims.AddRange(roles.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(r => new Claim(ClaimTypes.Role, r)));
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName, ClaimTypes.Name, ClaimTypes.Role));
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName)));
    }
}
