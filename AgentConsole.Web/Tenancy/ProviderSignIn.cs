using System.Collections.Concurrent;
using System.Security.Claims;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace AgentConsole.Web.Tenancy;

/// <summary>A refused sign-in or token, with what the person or caller is told.</summary>
public sealed record SignInDenial(SignInRefusal Refusal, string Message)
{
    /// <summary>The code in the address of the page that explains it, e.g. <c>/account/denied?reason=disabled</c>.</summary>
    public string Code => Refusal switch
    {
        SignInRefusal.Disabled => "disabled",
        SignInRefusal.UnknownTenant => "unknown-tenant",
        SignInRefusal.OtherTenant => "other-tenant",
        _ => "incomplete",
    };

    public static SignInDenial For(SignInRefusal refusal) => new(refusal, refusal switch
    {
        SignInRefusal.Disabled => "This account is disabled in AgentConsole. Ask an admin of your organisation to enable it.",
        SignInRefusal.UnknownTenant => "Your organisation is not connected to this AgentConsole: its tenant is not in the sign-in settings. Ask the people who run AgentConsole to add it.",
        SignInRefusal.OtherTenant => "This account belongs to another organisation in AgentConsole than the one your sign-in names. Ask the people who run AgentConsole.",
        _ => "The sign-in did not say who you are (no user id). Ask the people who run AgentConsole to check the sign-in settings.",
    });
}

/// <summary>
/// Turns what an identity provider says — an id token at sign-in, or an access token on an API call — into the console's
/// own principal: reads the configured claims (roles as repeated claims or a JSON array), maps the provider tenant to a
/// console tenant, and provisions or refuses the account through <see cref="UserProvisioning"/>. Person or program: a
/// token without a user (client credentials) becomes a service principal keyed by its client id.
/// </summary>
public sealed class ProviderSignIn(IOptions<ConsoleAuthenticationOptions> options, UserDirectory directory, UserProvisioning provisioning, AccountSecurityEvents security)
{
    private readonly ConcurrentDictionary<string, Guid> _tenants = new(StringComparer.Ordinal);

    /// <summary>The console principal for the provider's principal of a request, or why it is refused.</summary>
    public static Task<(ClaimsPrincipal? Principal, SignInDenial? Denial)> SignInAsync(HttpContext context, ClaimsPrincipal provider, string authenticationType, bool interactive) =>
        context.RequestServices.GetRequiredService<ProviderSignIn>().SignInAsync(provider, authenticationType, interactive, context.RequestAborted);

    /// <summary>The console principal for a provider's principal, or why it is refused.</summary>
    public async Task<(ClaimsPrincipal? Principal, SignInDenial? Denial)> SignInAsync(ClaimsPrincipal provider, string authenticationType, bool interactive, CancellationToken cancellationToken)
    {
        var o = options.Value;
        var entra = o.Mode == AuthenticationMode.EntraId;
        var providerTenant = First(provider, entra ? ["tid", "http://schemas.microsoft.com/identity/claims/tenantid"] : [o.Oidc.TenantClaim]);
        var method = entra ? "Entra ID" : "OpenID Connect";
        var (kind, subject) = Identify(provider, o, interactive);
        if (subject is null)
        {
            security.SignInDenied(method, "no subject", null, providerTenant);
            return (null, SignInDenial.For(SignInRefusal.Incomplete));
        }

        if (await TenantAsync(providerTenant, cancellationToken) is not { } tenantId)
        {
            security.SignInDenied(method, "unknown tenant", subject, providerTenant);
            return (null, SignInDenial.For(SignInRefusal.UnknownTenant));
        }

        var userName = First(provider, entra ? ["preferred_username", "upn", ClaimTypes.Upn] : [o.Oidc.UserNameClaim, o.Oidc.EmailClaim]) ?? subject;
        var identity = new ExternalIdentity(
            kind,
            entra ? $"https://login.microsoftonline.com/{providerTenant}/v2.0" : o.Oidc.Authority.TrimEnd('/'),
            subject,
            tenantId,
            userName,
            First(provider, entra ? ["name"] : [o.Oidc.NameClaim]) ?? (kind == AppUserKind.Service ? $"Service {userName}" : userName),
            First(provider, entra ? ["email", "preferred_username"] : [o.Oidc.EmailClaim]) ?? "",
            RoleNames(provider, entra ? ["roles", ClaimTypes.Role] : [o.Oidc.RoleClaim]));
        var outcome = await provisioning.SignInAsync(identity, interactive, cancellationToken);
        if (!outcome.Succeeded)
        {
            var refusal = outcome.Refusal ?? SignInRefusal.Incomplete;
            security.SignInDenied(method, refusal.ToString(), subject, providerTenant);
            return (null, SignInDenial.For(refusal));
        }

        return (ConsoleClaims.Principal(outcome.User!, outcome.Tenant!, authenticationType), null);
    }

    /// <summary>
    /// Whether a token is a program's (client credentials) and its key: a program is known by its client id, a person
    /// by the user id claim (Entra: the object id, stable across apps). Whoever signs in interactively is a person.
    /// </summary>
    private static (AppUserKind Kind, string? Subject) Identify(ClaimsPrincipal provider, ConsoleAuthenticationOptions o, bool interactive)
    {
        var clientId = interactive ? null : First(provider, ["azp", "appid", "client_id"]);
        if (o.Mode == AuthenticationMode.EntraId)
        {
            var objectId = First(provider, ["oid", "http://schemas.microsoft.com/identity/claims/objectidentifier"]);
            var sub = First(provider, ["sub", ClaimTypes.NameIdentifier]);

            // Entra app-only tokens carry no delegated scope, and their subject is the service principal itself.
            var appOnly = First(provider, ["idtyp"]) == "app" || (First(provider, ["scp", "http://schemas.microsoft.com/identity/claims/scope"]) is null && sub is not null && sub == objectId);
            return appOnly && clientId is not null ? (AppUserKind.Service, clientId) : (AppUserKind.Person, objectId);
        }

        var subject = First(provider, [o.Oidc.UserIdClaim]);

        // Client credentials: no user at all, the client itself as subject (OpenIddict, Okta; Auth0 "<id>@clients"),
        // or Keycloak's service-account user ("service-account-<client id>").
        var service = clientId is not null && (subject is null || subject == clientId || subject == clientId + "@clients"
            || First(provider, ["preferred_username"]) == "service-account-" + clientId);
        return service ? (AppUserKind.Service, clientId) : (AppUserKind.Person, subject);
    }

    private async Task<Guid?> TenantAsync(string? providerTenant, CancellationToken cancellationToken)
    {
        var mapping = providerTenant is null ? null : options.Value.Tenants.FirstOrDefault(t => string.Equals(t.ProviderTenant, providerTenant, StringComparison.OrdinalIgnoreCase));
        if (mapping is null)
        {
            return null;
        }

        if (_tenants.TryGetValue(mapping.ConsoleTenant, out var known))
        {
            return known;
        }

        if (await directory.TenantIdAsync(mapping.ConsoleTenant, cancellationToken) is { } found)
        {
            _tenants[mapping.ConsoleTenant] = found;
            return found;
        }

        return null;
    }

    /// <summary>Role names from repeated claims, or from one claim holding a JSON array (as some providers send them).</summary>
    internal static IReadOnlyList<string> RoleNames(ClaimsPrincipal provider, IEnumerable<string> claimTypes)
    {
        var names = new List<string>();
        foreach (var claim in claimTypes.SelectMany(provider.FindAll))
        {
            var value = claim.Value.Trim();
            if (value.StartsWith('['))
            {
                try
                {
                    names.AddRange(JsonSerializer.Deserialize<string[]>(value) ?? []);
                    continue;
                }
                catch (JsonException)
                {
                    // Not an array after all: the value is a role name.
                }
            }

            names.Add(value);
        }

        return [.. names.Where(n => n.Length > 0).Distinct(StringComparer.Ordinal)];
    }

    private static string? First(ClaimsPrincipal principal, IEnumerable<string> claimTypes) =>
        claimTypes.Where(t => t.Length > 0).Select(t => principal.FindFirst(t)?.Value).FirstOrDefault(v => !string.IsNullOrWhiteSpace(v));
}
