using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace AgentConsole.Web.Tenancy;

/// <summary>Demo sign-in and sign-out for the embedded default (SSO replaces the sign-in later).</summary>
public static class AccountEndpoints
{
    public static RouteGroupBuilder MapAccountEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/account");
        group.MapPost("/login", LoginAsync).AllowAnonymous();
        group.MapPost("/logout", (Func<HttpContext, Task<RedirectHttpResult>>)LogoutAsync);
        return group;
    }

    private static async Task<RedirectHttpResult> LoginAsync(
        HttpContext context,
        [FromForm] string? userName,
        [FromForm] string? password,
        [FromForm] string? returnUrl,
        UserDirectory users,
        IOptions<DemoOptions> demo)
    {
        var back = SafeReturnUrl(returnUrl);
        string Failed(string message) =>
            $"/account/login?error={Uri.EscapeDataString(message)}&userName={Uri.EscapeDataString(userName ?? "")}&returnUrl={Uri.EscapeDataString(back)}";

        if (!demo.Value.Enabled)
        {
            return TypedResults.LocalRedirect(Failed("Demo sign-in is turned off; use single sign-on."));
        }

        if (string.IsNullOrWhiteSpace(userName) || string.IsNullOrEmpty(password))
        {
            return TypedResults.LocalRedirect(Failed("Enter a user name and a password."));
        }

        var found = await users.FindAsync(userName, context.RequestAborted);
        if (found is not { } match || !string.Equals(password, demo.Value.Password, StringComparison.Ordinal))
        {
            return TypedResults.LocalRedirect(Failed("Unknown user name or wrong password."));
        }

        await context.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme,
            ConsoleClaims.Principal(match.User, match.Tenant, CookieAuthenticationDefaults.AuthenticationScheme));
        return TypedResults.LocalRedirect(back);
    }

    private static async Task<RedirectHttpResult> LogoutAsync(HttpContext context)
    {
        await context.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        return TypedResults.LocalRedirect("/account/login");
    }

    private static string SafeReturnUrl(string? returnUrl) =>
        !string.IsNullOrEmpty(returnUrl) && returnUrl.StartsWith('/') && !returnUrl.StartsWith("//", StringComparison.Ordinal) && !returnUrl.StartsWith("/\\", StringComparison.Ordinal)
            ? returnUrl
            : "/";
}
