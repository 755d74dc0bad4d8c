using AgentConsole.Web.Queues;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace AgentConsole.Web.Tenancy;

/// <summary>
/// Single sign-on with the provider: authorization code with PKCE; the provider's id token is turned into the console's
/// own cookie session (its claims are the console's, so the rest of the console is the same whatever signed a person
/// in); a refused person sees a page that says why. The same for Entra ID (after Microsoft.Identity.Web's settings) and
/// a generic OpenID Connect provider.
/// </summary>
public static class ProviderEvents
{
    public static void Configure(OpenIdConnectOptions o, ConsoleAuthenticationOptions console)
    {
        if (console.Mode == AuthenticationMode.Oidc)
        {
            o.Authority = console.Oidc.Authority;
            o.ClientId = console.Oidc.ClientId;
            o.ClientSecret = string.IsNullOrEmpty(console.Oidc.ClientSecret) ? null : console.Oidc.ClientSecret;
            o.RequireHttpsMetadata = console.Oidc.RequireHttpsMetadata;
            o.Scope.Clear();
            foreach (var scope in console.Oidc.Scopes.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                o.Scope.Add(scope);
            }

            o.TokenValidationParameters.NameClaimType = console.Oidc.NameClaim;
            o.TokenValidationParameters.RoleClaimType = console.Oidc.RoleClaim;
        }

        o.SignInScheme = SignInSetup.CookieScheme;
        o.ResponseType = OpenIdConnectResponseType.Code;
        o.UsePkce = true;
        o.MapInboundClaims = false;
        o.SaveTokens = false;

        // The code comes back in the query of a top-level GET, so the correlation and nonce cookies can be SameSite=Lax
        // (and Secure whenever the console is served over https).
        o.ResponseMode = OpenIdConnectResponseMode.Query;
        o.CorrelationCookie.SameSite = SameSiteMode.Lax;
        o.CorrelationCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        o.NonceCookie.SameSite = SameSiteMode.Lax;
        o.NonceCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;

        var events = o.Events ??= new OpenIdConnectEvents();
        var validated = events.OnTokenValidated;
        events.OnTokenValidated = async context =>
        {
            await validated(context);
            if (context.Result is not null || context.Principal is null)
            {
                return;
            }

            var (principal, denial) = await ProviderSignIn.SignInAsync(context.HttpContext, context.Principal, SignInSetup.CookieScheme, interactive: true);
            if (principal is null)
            {
                context.HandleResponse();
                context.Response.Redirect($"/account/denied?reason={denial!.Code}");
                return;
            }

            context.Principal = principal;

            // Kept for the provider's end-session endpoint (id_token_hint): it ends the provider's session without asking.
            if ((context.TokenEndpointResponse?.IdToken ?? context.ProtocolMessage?.IdToken) is { Length: > 0 } idToken)
            {
                context.Properties!.StoreTokens([new AuthenticationToken { Name = OpenIdConnectParameterNames.IdToken, Value = idToken }]);
            }
        };

        var failed = events.OnRemoteFailure;
        events.OnRemoteFailure = async context =>
        {
            await failed(context);
            if (context.Result is not null)
            {
                return;
            }

            context.HttpContext.RequestServices.GetRequiredService<AccountSecurityEvents>().SignInFailed("single sign-on", context.Failure?.Message ?? "unknown", null);
            context.HandleResponse();
            context.Response.Redirect("/account/denied?reason=failed");
        };

        var denied = events.OnAccessDenied;
        events.OnAccessDenied = async context =>
        {
            await denied(context);
            context.HttpContext.RequestServices.GetRequiredService<AccountSecurityEvents>().SignInFailed("single sign-on", "the person cancelled or the provider refused", null);
            context.HandleResponse();
            context.Response.Redirect("/account/denied?reason=cancelled");
        };

        var signingOut = events.OnRedirectToIdentityProviderForSignOut;
        events.OnRedirectToIdentityProviderForSignOut = async context =>
        {
            await signingOut(context);

            // Some providers (Keycloak) need the client to accept post_logout_redirect_uri without an id_token_hint.
            context.ProtocolMessage.ClientId ??= o.ClientId;
        };
    }
}

/// <summary>
/// Bearer tokens on the API and the queue hub: signature, issuer, lifetime and audience checked by the handler; then the
/// token's tenant, roles and subject become the console's principal, exactly as at sign-in. A refused token answers a
/// ProblemDetails that says why (expired, wrong audience, bad signature, unknown tenant, disabled account).
/// </summary>
public static class BearerEvents
{
    public static void Configure(JwtBearerOptions o, ConsoleAuthenticationOptions console)
    {
        if (console.Mode == AuthenticationMode.Oidc)
        {
            o.Authority = console.Oidc.Authority;
            o.Audience = console.Oidc.ApiAudience;
            o.RequireHttpsMetadata = console.Oidc.RequireHttpsMetadata;
        }

        o.MapInboundClaims = false;
        o.TokenValidationParameters.ValidateAudience = true;
        o.TokenValidationParameters.RequireSignedTokens = true;
        o.TokenValidationParameters.RequireExpirationTime = true;

        var events = o.Events ??= new JwtBearerEvents();
        var received = events.OnMessageReceived;
        events.OnMessageReceived = async context =>
        {
            await received(context);

            // Browsers' WebSockets cannot send headers: the SignalR client sends the token in the query, on the hub only.
            if (context.Token is null && context.Request.Path.StartsWithSegments(QueueHub.Path) && context.Request.Query["access_token"].ToString() is { Length: > 0 } token)
            {
                context.Token = token;
            }
        };

        var validated = events.OnTokenValidated;
        events.OnTokenValidated = async context =>
        {
            await validated(context);
            if (context.Result is not null || context.Principal is null)
            {
                return;
            }

            var (principal, denial) = await ProviderSignIn.SignInAsync(context.HttpContext, context.Principal, SignInSetup.BearerScheme, interactive: false);
            if (principal is not null)
            {
                context.Principal = principal;
                return;
            }

            Hosting.ApiErrors.Explain(context.HttpContext, denial!.Message);
            if (denial.Refusal == SignInRefusal.Incomplete)
            {
                context.Fail(denial.Message);
                return;
            }

            // A valid token of an account the console refuses: known, but allowed nothing (403).
            context.Principal = new System.Security.Claims.ClaimsPrincipal(new System.Security.Claims.ClaimsIdentity(SignInSetup.BearerScheme));
        };

        var failed = events.OnAuthenticationFailed;
        events.OnAuthenticationFailed = async context =>
        {
            await failed(context);
            var why = context.Exception switch
            {
                SecurityTokenExpiredException => "The bearer token has expired: get a new one from the sign-in provider.",
                SecurityTokenNotYetValidException => "The bearer token is not valid yet.",
                SecurityTokenInvalidAudienceException => "The bearer token was issued for another audience than this console's API.",
                SecurityTokenInvalidIssuerException => "The bearer token was issued by another provider than the console's.",
                SecurityTokenSignatureKeyNotFoundException or SecurityTokenInvalidSignatureException => "The bearer token's signature is not valid.",
                SecurityTokenInvalidAlgorithmException => "The bearer token is not signed with an accepted algorithm.",
                _ => "The bearer token is not valid.",
            };
            Hosting.ApiErrors.Explain(context.HttpContext, why);
            context.HttpContext.RequestServices.GetRequiredService<AccountSecurityEvents>().TokenRefused(why, context.Request.Path);
        };
    }
}
