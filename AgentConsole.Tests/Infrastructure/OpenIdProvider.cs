using System.Net;
using System.Security.Claims;
using System.Text;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace AgentConsole.Tests.Infrastructure;

/// <summary>A person the test provider signs in by user name, with the claims it puts in their tokens.</summary>
public sealed record ProviderUser(string UserName, string DisplayName, string Tenant, params string[] Roles)
{
    public string Subject { get; init; } = "sub-" + UserName;
}

/// <summary>A program holding client credentials at the test provider, with the claims of its tokens.</summary>
public sealed record ProviderClient(string ClientId, string Secret, string Tenant, string Audience, params string[] Roles);

/// <summary>
/// A real OpenID provider for tests (OpenIddict on its own port, 127.0.0.1, plain http): authorization code with PKCE
/// behind a tiny login page that asks for a user name, client credentials, and an end-session endpoint. Its store is
/// OpenIddict's Entity Framework Core store on a SQLite file; its keys are ephemeral. <see cref="Mint"/> signs any
/// token with the provider's own key (or another), for tokens a well-behaved provider would not issue.
/// </summary>
public sealed class OpenIdProvider : IAsyncDisposable
{
    public const string ConsoleClientId = "agentconsole";
    public const string ConsoleClientSecret = "console-secret";
    public const string ApiAudience = "agentconsole";

    private readonly string _directory = TestPaths.NewDirectory("oidc");
    private readonly Dictionary<string, ProviderUser> _users = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, ProviderClient> _clients = new(StringComparer.Ordinal);
    private WebApplication? _app;

    /// <summary>The issuer, e.g. <c>http://127.0.0.1:43123/</c>.</summary>
    public Uri Issuer { get; private set; } = default!;

    public static async Task<OpenIdProvider> StartAsync(IEnumerable<ProviderUser> users, IEnumerable<ProviderClient>? clients = null)
    {
        var provider = new OpenIdProvider();
        foreach (var user in users)
        {
            provider._users[user.UserName] = user;
        }

        foreach (var client in clients ?? [])
        {
            provider._clients[client.ClientId] = client;
        }

        await provider.StartAsync();
        return provider;
    }

    /// <summary>The console's settings for <c>Authentication:Mode=Oidc</c> against this provider; tenants map provider tenant → console slug.</summary>
    public Dictionary<string, string?> ConsoleSettings(params (string ProviderTenant, string ConsoleTenant)[] tenants)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Authentication:Mode"] = "Oidc",
            ["Authentication:DisplayName"] = "Test provider",
            ["Authentication:Oidc:Authority"] = Issuer.ToString(),
            ["Authentication:Oidc:ClientId"] = ConsoleClientId,
            ["Authentication:Oidc:ClientSecret"] = ConsoleClientSecret,
            ["Authentication:Oidc:RequireHttpsMetadata"] = "false",
        };
        for (var i = 0; i < tenants.Length; i++)
        {
            settings[$"Authentication:Tenants:{i}:ProviderTenant"] = tenants[i].ProviderTenant;
            settings[$"Authentication:Tenants:{i}:ConsoleTenant"] = tenants[i].ConsoleTenant;
        }

        return settings;
    }

    /// <summary>Lets the console at <paramref name="console"/> sign people in (its callback addresses are known once it listens).</summary>
    public async Task RegisterConsoleAsync(Uri console)
    {
        await using var scope = _app!.Services.CreateAsyncScope();
        var applications = scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>();
        var application = await applications.FindByClientIdAsync(ConsoleClientId) ?? throw new InvalidOperationException("The console client is missing.");
        var descriptor = new OpenIddictApplicationDescriptor();
        await applications.PopulateAsync(descriptor, application);
        descriptor.RedirectUris.Add(new Uri(console, "signin-oidc"));
        descriptor.PostLogoutRedirectUris.Add(new Uri(console, "signout-callback-oidc"));
        await applications.UpdateAsync(application, descriptor);
    }

    /// <summary>A client-credentials token, as a script would get it.</summary>
    public async Task<string> ClientCredentialsTokenAsync(string clientId)
    {
        using var http = new HttpClient { BaseAddress = Issuer };
        var client = _clients[clientId];
        using var response = await http.PostAsync(new Uri("connect/token", UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = client.ClientId,
            ["client_secret"] = client.Secret,
        }));
        var body = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"The provider refused client credentials for {clientId}: {body}");
        }

        return System.Text.Json.JsonDocument.Parse(body).RootElement.GetProperty("access_token").GetString()!;
    }

    /// <summary>
    /// Signs a token with the provider's signing key, or with <paramref name="otherKey"/> (a forgery); a provider would
    /// never issue it, e.g. one that expired an hour ago.
    /// </summary>
    public string Mint(IDictionary<string, object> claims, DateTime expires, SecurityKey? otherKey = null)
    {
        var signing = _app!.Services.GetRequiredService<IOptionsMonitor<OpenIddictServerOptions>>().CurrentValue.SigningCredentials[0];
        var credentials = otherKey is null ? signing : new SigningCredentials(otherKey, SecurityAlgorithms.RsaSha256) { Key = { KeyId = signing.Kid } };
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer.ToString(),
            Claims = claims,
            IssuedAt = expires.AddHours(-2),
            NotBefore = expires.AddHours(-2),
            Expires = expires,
            SigningCredentials = credentials,
            TokenType = "at+jwt",
        });
    }

    private async Task StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddDbContext<ProviderStore>(o =>
        {
            o.UseSqlite($"Data Source={Path.Combine(_directory, "provider.db")}");
            o.UseOpenIddict();
        });
        builder.Services.AddOpenIddict()
            .AddCore(o => o.UseEntityFrameworkCore().UseDbContext<ProviderStore>())
            .AddServer(o =>
            {
                o.SetAuthorizationEndpointUris("connect/authorize").SetTokenEndpointUris("connect/token").SetEndSessionEndpointUris("connect/endsession");
                o.AllowAuthorizationCodeFlow().RequireProofKeyForCodeExchange().AllowClientCredentialsFlow();
                o.AddEphemeralEncryptionKey().AddEphemeralSigningKey().DisableAccessTokenEncryption();
                o.RegisterScopes(Scopes.OpenId, Scopes.Email, Scopes.Profile);
                o.UseAspNetCore().DisableTransportSecurityRequirement()
                    .EnableAuthorizationEndpointPassthrough().EnableTokenEndpointPassthrough().EnableEndSessionEndpointPassthrough();
            });
        builder.Services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(o =>
            {
                // Cookies ignore ports: the provider's must not be taken for the console's, which shares 127.0.0.1.
                o.Cookie.Name = "test-provider.session";
                o.LoginPath = "/login";
            });

        var app = builder.Build();
        app.UseAuthentication();
        app.MapMethods("connect/authorize", [HttpMethods.Get, HttpMethods.Post], (Func<HttpContext, Task<IResult>>)AuthorizeAsync);
        app.MapPost("connect/token", (Func<HttpContext, Task<IResult>>)TokenAsync);
        app.MapMethods("connect/endsession", [HttpMethods.Get, HttpMethods.Post], (Func<HttpContext, Task<IResult>>)EndSessionAsync);
        app.MapGet("login", LoginPage);
        app.MapPost("login", (Func<HttpContext, Task<IResult>>)LoginAsync).DisableAntiforgery();

        await using (var scope = app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<ProviderStore>().Database.EnsureCreatedAsync();
            var applications = scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>();
            await applications.CreateAsync(new OpenIddictApplicationDescriptor
            {
                ClientId = ConsoleClientId,
                ClientSecret = ConsoleClientSecret,
                ClientType = ClientTypes.Confidential,
                RedirectUris = { new Uri("http://127.0.0.1/not-yet") },
                Permissions =
                {
                    Permissions.Endpoints.Authorization, Permissions.Endpoints.Token, Permissions.Endpoints.EndSession,
                    Permissions.GrantTypes.AuthorizationCode, Permissions.ResponseTypes.Code,
                    Permissions.Scopes.Email, Permissions.Scopes.Profile,
                },
                Requirements = { Requirements.Features.ProofKeyForCodeExchange },
            });
            foreach (var client in _clients.Values)
            {
                await applications.CreateAsync(new OpenIddictApplicationDescriptor
                {
                    ClientId = client.ClientId,
                    ClientSecret = client.Secret,
                    ClientType = ClientTypes.Confidential,
                    Permissions = { Permissions.Endpoints.Token, Permissions.GrantTypes.ClientCredentials },
                });
            }
        }

        await app.StartAsync();
        _app = app;
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Issuer = new Uri(address.TrimEnd('/') + "/");
    }

    private async Task<IResult> AuthorizeAsync(HttpContext context)
    {
        var request = context.GetOpenIddictServerRequest() ?? throw new InvalidOperationException("Not an OpenID Connect request.");
        var session = await context.AuthenticateAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        if (!session.Succeeded || !_users.TryGetValue(session.Principal!.Identity!.Name!, out var user))
        {
            return Results.Challenge(new AuthenticationProperties { RedirectUri = context.Request.PathBase + context.Request.Path + context.Request.QueryString },
                [CookieAuthenticationDefaults.AuthenticationScheme]);
        }

        var identity = new ClaimsIdentity(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme, Claims.Name, Claims.Role);
        identity.SetClaim(Claims.Subject, user.Subject)
            .SetClaim(Claims.Name, user.DisplayName)
            .SetClaim(Claims.PreferredUsername, user.UserName)
            .SetClaim(Claims.Email, $"{user.UserName}@example.com")
            .SetClaim("tenant", user.Tenant)
            .SetClaims("roles", [.. user.Roles])

            // As Entra ID names them: the directory (tenant) id and the object id.
            .SetClaim("tid", user.Tenant)
            .SetClaim("oid", "oid-" + user.UserName);
        identity.SetScopes(request.GetScopes());
        identity.SetAudiences(ApiAudience);
        identity.SetDestinations(_ => [Destinations.IdentityToken, Destinations.AccessToken]);
        return Results.SignIn(new ClaimsPrincipal(identity), authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    private async Task<IResult> TokenAsync(HttpContext context)
    {
        var request = context.GetOpenIddictServerRequest() ?? throw new InvalidOperationException("Not an OpenID Connect request.");
        if (request.IsAuthorizationCodeGrantType())
        {
            var code = await context.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
            return Results.SignIn(code.Principal!, authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        }

        var client = _clients[request.ClientId!];
        var identity = new ClaimsIdentity(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme, Claims.Name, Claims.Role);
        identity.SetClaim(Claims.Subject, client.ClientId).SetClaim("azp", client.ClientId).SetClaim("tenant", client.Tenant).SetClaims("roles", [.. client.Roles]);
        identity.SetAudiences(client.Audience);
        identity.SetDestinations(_ => [Destinations.AccessToken]);
        return Results.SignIn(new ClaimsPrincipal(identity), authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    private static async Task<IResult> EndSessionAsync(HttpContext context)
    {
        await context.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        return Results.SignOut(new AuthenticationProperties { RedirectUri = "/" }, [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
    }

    private IResult LoginPage(string? returnUrl)
    {
        var html = $"""
            <!DOCTYPE html><html><head><title>Test provider · sign in</title></head>
            <body style="font-family:sans-serif;max-width:24rem;margin:4rem auto">
              <h1>Test identity provider</h1>
              <form method="post" action="/login" data-testid="provider-login">
                <input type="hidden" name="returnUrl" value="{WebUtility.HtmlEncode(returnUrl ?? "/")}" />
                <label for="username">User name</label>
                <input id="username" name="username" autocomplete="username" />
                <button type="submit">Sign in</button>
              </form>
            </body></html>
            """;
        return Results.Content(html, "text/html", Encoding.UTF8);
    }

    private async Task<IResult> LoginAsync(HttpContext context)
    {
        var form = await context.Request.ReadFormAsync();
        var userName = form["username"].ToString();
        var returnUrl = form["returnUrl"].ToString();
        if (!_users.ContainsKey(userName))
        {
            return Results.Content("Unknown user.", "text/plain", Encoding.UTF8, StatusCodes.Status401Unauthorized);
        }

        await context.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme,
            new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, userName)], CookieAuthenticationDefaults.AuthenticationScheme)));
        return Results.LocalRedirect(returnUrl.StartsWith('/') ? returnUrl : "/");
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        TestPaths.TryDelete(_directory);
    }

    /// <summary>The provider's OpenIddict tables.</summary>
    private sealed class ProviderStore(DbContextOptions<ProviderStore> options) : DbContext(options);
}
