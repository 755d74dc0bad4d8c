using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace AgentConsole.Web.Tenancy;

/// <summary>How people and programs sign in.</summary>
public enum AuthenticationMode
{
    /// <summary>The demo users with the demo password (needs <c>Demo:Enabled</c>; refused in Production).</summary>
    Demo,

    /// <summary>Microsoft Entra ID through Microsoft.Identity.Web (settings in the <c>AzureAd</c> section); roles are Entra app roles.</summary>
    EntraId,

    /// <summary>Any OpenID Connect provider (Keycloak, Okta, Auth0…), authorization code with PKCE (settings in <c>Authentication:Oidc</c>).</summary>
    Oidc,
}

/// <summary>Sign-in, tokens for the API, sessions and lockout (section <c>Authentication</c>).</summary>
public sealed class ConsoleAuthenticationOptions
{
    public const string Section = "Authentication";

    /// <summary><c>Demo</c>, <c>EntraId</c> or <c>Oidc</c> (default <c>Demo</c>, which Production refuses).</summary>
    public AuthenticationMode Mode { get; set; } = AuthenticationMode.Demo;

    /// <summary>The provider's name on the sign-in button, e.g. "Contoso SSO" (default "Microsoft" for EntraId, "single sign-on" for Oidc).</summary>
    [MaxLength(100)]
    public string DisplayName { get; set; } = "";

    /// <summary>
    /// Which provider tenant belongs to which console tenant (default none). A person or token whose provider tenant is
    /// not listed is refused; a console tenant that does not exist yet is created at start with the built-in agents and queues.
    /// </summary>
    public List<TenantMapping> Tenants { get; set; } = [];

    /// <summary>The generic OpenID Connect provider, for <c>Mode=Oidc</c>.</summary>
    public OidcProviderOptions Oidc { get; set; } = new();

    /// <summary>
    /// Seconds between checks of open consoles and hub connections against the accounts' current standing (default 30):
    /// disabling an account or changing its roles ends them within this time (and never later than 60 s).
    /// </summary>
    [Range(1, 60)]
    public int RevalidateSeconds { get; set; } = 30;

    /// <summary>Failed demo sign-ins for one user name within <see cref="LockoutMinutes"/> that lock it (default 5).</summary>
    [Range(1, 100)]
    public int LockoutFailures { get; set; } = 5;

    /// <summary>Minutes a user name stays locked after <see cref="LockoutFailures"/> failures, counted from the last one (default 5).</summary>
    [Range(1, 1440)]
    public int LockoutMinutes { get; set; } = 5;

    /// <summary>The button label on the sign-in page.</summary>
    public string ProviderName => DisplayName is { Length: > 0 } name ? name : Mode == AuthenticationMode.EntraId ? "Microsoft" : "single sign-on";
}

/// <summary>One provider tenant and the console tenant its people and programs belong to.</summary>
public sealed class TenantMapping
{
    /// <summary>The provider's tenant: the Entra directory (tenant) id, or the value of <see cref="OidcProviderOptions.TenantClaim"/>.</summary>
    [Required]
    public string ProviderTenant { get; set; } = "";

    /// <summary>The console tenant's slug, e.g. <c>contoso</c>.</summary>
    [Required]
    [RegularExpression("^[a-z0-9][a-z0-9-]{0,63}$", ErrorMessage = "A console tenant is a slug: lower-case letters, digits and dashes.")]
    public string ConsoleTenant { get; set; } = "";

    /// <summary>The console tenant's name when it is created (default: the slug).</summary>
    [MaxLength(200)]
    public string Name { get; set; } = "";
}

/// <summary>A generic OpenID Connect provider (section <c>Authentication:Oidc</c>).</summary>
public sealed class OidcProviderOptions
{
    /// <summary>The issuer URL, e.g. <c>https://keycloak.example.com/realms/contoso</c> (its discovery document is read from there).</summary>
    public string Authority { get; set; } = "";

    /// <summary>The console's client id at the provider.</summary>
    public string ClientId { get; set; } = "";

    /// <summary>The client secret (confidential client; empty for a public client with PKCE only).</summary>
    public string ClientSecret { get; set; } = "";

    /// <summary>The audience API tokens must carry (default: the client id).</summary>
    public string Audience { get; set; } = "";

    /// <summary>Scopes asked for at sign-in (default <c>openid profile email</c>).</summary>
    public string Scopes { get; set; } = "openid profile email";

    /// <summary>Refuse a provider whose metadata is not served over https (default true; false only for a local test provider).</summary>
    public bool RequireHttpsMetadata { get; set; } = true;

    /// <summary>The claim carrying console role names, a JSON array or repeated (default <c>roles</c>).</summary>
    public string RoleClaim { get; set; } = "roles";

    /// <summary>The claim carrying the provider tenant that <see cref="ConsoleAuthenticationOptions.Tenants"/> maps (default <c>tenant</c>).</summary>
    public string TenantClaim { get; set; } = "tenant";

    /// <summary>The claim with the person's display name (default <c>name</c>).</summary>
    public string NameClaim { get; set; } = "name";

    /// <summary>The claim with the e-mail address (default <c>email</c>).</summary>
    public string EmailClaim { get; set; } = "email";

    /// <summary>The claim with the stable user id at the provider (default <c>sub</c>).</summary>
    public string UserIdClaim { get; set; } = "sub";

    /// <summary>The claim with the login name shown beside the display name (default <c>preferred_username</c>).</summary>
    public string UserNameClaim { get; set; } = "preferred_username";

    /// <summary>The audience API tokens must carry.</summary>
    public string ApiAudience => Audience is { Length: > 0 } audience ? audience : ClientId;
}

/// <summary>
/// Says in one line what a mode lacks, and refuses the demo sign-in in Production; the web host stops at start with it.
/// </summary>
public sealed class ConsoleAuthenticationOptionsValidator(IHostEnvironment environment, IConfiguration configuration) : IValidateOptions<ConsoleAuthenticationOptions>
{
    private static readonly string[] EntraSettings = ["TenantId", "ClientId"];

    public ValidateOptionsResult Validate(string? name, ConsoleAuthenticationOptions options)
    {
        var missing = new List<string>();
        switch (options.Mode)
        {
            case AuthenticationMode.Demo when environment.IsProduction():
                return ValidateOptionsResult.Fail(
                    "Authentication:Mode is Demo, which Production refuses: set Authentication:Mode to EntraId (with AzureAd:TenantId and AzureAd:ClientId) "
                    + "or Oidc (with Authentication:Oidc:Authority and Authentication:Oidc:ClientId), map your provider's tenants under Authentication:Tenants, and set Demo:Enabled to false.");
            case AuthenticationMode.Demo:
                return ValidateOptionsResult.Success;
            case AuthenticationMode.EntraId:
                var entra = configuration.GetSection("AzureAd");
                missing.AddRange(EntraSettings.Where(k => string.IsNullOrWhiteSpace(entra[k])).Select(k => "AzureAd:" + k));
                break;
            case AuthenticationMode.Oidc:
                if (!Uri.TryCreate(options.Oidc.Authority, UriKind.Absolute, out var authority))
                {
                    missing.Add("Authentication:Oidc:Authority");
                }
                else if (authority.Scheme != Uri.UriSchemeHttps && options.Oidc.RequireHttpsMetadata)
                {
                    return ValidateOptionsResult.Fail(
                        $"Authentication:Oidc:Authority ({authority}) is not https: use the provider's https address (or, for a local test provider only, set Authentication:Oidc:RequireHttpsMetadata to false).");
                }

                if (string.IsNullOrWhiteSpace(options.Oidc.ClientId))
                {
                    missing.Add("Authentication:Oidc:ClientId");
                }

                break;
        }

        if (options.Tenants.Count == 0)
        {
            missing.Add("Authentication:Tenants (at least one ProviderTenant and ConsoleTenant)");
        }

        if (options.Tenants.GroupBy(t => t.ProviderTenant, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            return ValidateOptionsResult.Fail($"Authentication:Tenants names the provider tenant '{twice.Key}' twice: map each provider tenant once.");
        }

        return missing.Count == 0
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"Authentication:Mode is {options.Mode}, but {string.Join(", ", missing)} {(missing.Count == 1 ? "is" : "are")} not set: set {(missing.Count == 1 ? "it" : "them")} (see the README's Sign-in section).");
    }
}
