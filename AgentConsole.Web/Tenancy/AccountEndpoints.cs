using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace AgentConsole.Web.Tenancy;

/// <summary>
/// Signing in and out: the demo form (demo mode only), the way to the single sign-on provider, and sign-out, which ends
/// the console session and, where the provider has an end-session endpoint, the provider's session too.
/// </summary>
public static class AccountEndpoints
{
    public static RouteGroupBuilder MapAccountEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/account");
        group.MapPost("/login", LoginAsync).AllowAnonymous();
        group.MapGet("/sso", SingleSignOn).AllowAnonymous();
        group.MapPost("/logout", LogoutAsync);
        return group;
    }

    private static async Task<RedirectHttpResult> LoginAsync(
        HttpContext context,
        [FromForm] string? userName,
        [FromForm] string? password,
        [FromForm] string? returnUrl,
        UserProvisioning users,
        IOptions<DemoOptions> demo,
        IOptions<ConsoleAuthenticationOptions> authentication)
    {
        var back = SafeReturnUrl(returnUrl);
        string Failed(string message) =>
            $"/account/login?error={Uri.EscapeDataString(message)}&userName={Uri.EscapeDataString(userName ?? "")}&returnUrl={Uri.EscapeDataString(back)}";

        if (!demo.Value.Enabled || authentication.Value.Mode != AuthenticationMode.Demo)
        {
            return TypedResults.LocalRedirect(Failed("Demo sign-in is turned off; use single sign-on."));
        }

        if (string.IsNullOrWhiteSpace(userName) || string.IsNullOrEmpty(password))
        {
            return TypedResults.LocalRedirect(Failed("Enter a user name and a password."));
        }

        var o = authentication.Value;
        var outcome = await users.DemoSignInAsync(userName, string.Equals(password, demo.Value.Password, StringComparison.Ordinal),
            new LockoutPolicy(o.LockoutFailures, TimeSpan.FromMinutes(o.LockoutMinutes)), context.RequestAborted);
        if (!outcome.Succeeded)
        {
            return TypedResults.LocalRedirect(Failed(outcome.Refusal switch
            {
                SignInRefusal.LockedOut => $"Too many failed sign-ins for this user name: it is locked for {Minutes(outcome.LockedUntil!.Value - DateTimeOffset.UtcNow)}. Try again then.",
                SignInRefusal.Disabled => "This account is disabled. Ask an admin of your organisation to enable it.",
                _ => "Unknown user name or wrong password.",
            }));
        }

        await context.SignInAsync(SignInSetup.CookieScheme, ConsoleClaims.Principal(outcome.User!, outcome.Tenant!, SignInSetup.CookieScheme));
        return TypedResults.LocalRedirect(back);
    }

    /// <summary>Sends the person to the provider's sign-in; they come back to <paramref name="returnUrl"/>.</summary>
    private static IResult SingleSignOn(string? returnUrl, IOptions<ConsoleAuthenticationOptions> authentication) =>
        authentication.Value.Mode == AuthenticationMode.Demo
            ? TypedResults.LocalRedirect("/account/login")
            : TypedResults.Challenge(new AuthenticationProperties { RedirectUri = SafeReturnUrl(returnUrl) }, [SignInSetup.ProviderScheme]);

    private static async Task<IResult> LogoutAsync(HttpContext context, IOptions<ConsoleAuthenticationOptions> authentication, IOptionsMonitor<OpenIdConnectOptions> providers, AccountSecurityEvents security)
    {
        security.SignedOut(context.User.Session()?.UserId.ToString(), context.User.FindFirst(ConsoleClaims.UserName)?.Value);
        await context.SignOutAsync(SignInSetup.CookieScheme);
        const string SignedOut = "/account/login?signedOut=true";
        if (authentication.Value.Mode == AuthenticationMode.Demo || !await HasEndSessionAsync(providers.Get(SignInSetup.ProviderScheme), context.RequestAborted))
        {
            return TypedResults.LocalRedirect(SignedOut);
        }

        // The provider ends its own session, then sends the browser back to the console's sign-in page.
        await context.SignOutAsync(SignInSetup.ProviderScheme, new AuthenticationProperties { RedirectUri = SignedOut });
        return TypedResults.Empty;
    }

    /// <summary>Whether the provider's discovery document names an end-session endpoint (Entra, Keycloak and Okta do; some do not).</summary>
    private static async Task<bool> HasEndSessionAsync(OpenIdConnectOptions provider, CancellationToken cancellationToken)
    {
        try
        {
            var configuration = provider.Configuration ?? (provider.ConfigurationManager is { } manager ? await manager.GetConfigurationAsync(cancellationToken) : null);
            return !string.IsNullOrEmpty(configuration?.EndSessionEndpoint);
        }
        catch (InvalidOperationException)
        {
            // The provider cannot be reached: the console session has ended all the same.
            return false;
        }
    }

    private static string Minutes(TimeSpan left)
    {
        var minutes = Math.Max(1, (int)Math.Ceiling(left.TotalMinutes));
        return minutes == 1 ? "1 more minute" : $"{minutes} more minutes";
    }

    private static string SafeReturnUrl(string? returnUrl) =>
        !string.IsNullOrEmpty(returnUrl) && returnUrl.StartsWith('/') && !returnUrl.StartsWith("//", StringComparison.Ordinal) && !returnUrl.StartsWith("/\\", StringComparison.Ordinal)
            ? returnUrl
            : "/";
}
