using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using AgentConsole.Domain.Decisions;
using AgentConsole.Domain.Tenancy;
using AgentConsole.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Tokens;

namespace AgentConsole.Tests.Integration.Tenancy;

/// <summary>Scripts call the API with client-credentials tokens from the provider; bad tokens are refused and change nothing.</summary>
[Collection(SingleSignOnCollection.Name)]
public sealed class BearerApiTests(SingleSignOnFixture fixture)
{
    private ConsoleFactory Console => fixture.Console;

    private HttpClient Client(string token)
    {
        var client = new HttpClient { BaseAddress = Console.ServerAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    [Fact]
    public async Task ClientCredentialsToken_ListsQueues_AndApprovesADecision_AsAProvisionedServicePrincipal()
    {
        var decision = await Console.ProposeAsync(TestCases.UncertainPricing("Bearer Approve AG"));
        using var bot = Client(await fixture.Provider.ClientCredentialsTokenAsync("reporting-bot"));

        var queues = await bot.GetFromJsonAsync<JsonElement>("/api/queues");
        var claimed = await (await bot.PostAsync(new Uri($"/api/decisions/{decision.Id}/claim", UriKind.Relative), null)).Content.ReadFromJsonAsync<JsonElement>();
        var approved = await bot.PostAsJsonAsync(new Uri($"/api/decisions/{decision.Id}/approve", UriKind.Relative),
            new { reason = "Checked by the nightly job", expectedVersion = claimed.GetProperty("version").GetInt32() });

        Assert.Contains(queues.EnumerateArray(), q => q.GetProperty("id").GetGuid() == ConsoleFactory.QueueId("pricing-t1"));
        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        Assert.Equal("Approved", (await approved.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        var account = await Console.ReadAsync(db => db.Users.SingleAsync(u => u.Subject == "reporting-bot"));
        Assert.Equal(AppUserKind.Service, account.Kind);
        Assert.Equal([Roles.Operator], account.ProviderRoles);
        Assert.NotNull(account.LastSignInAt);
    }

    public static TheoryData<string, HttpStatusCode, string> Refusals => new()
    {
        { "wrong audience", HttpStatusCode.Unauthorized, "another audience" },
        { "expired", HttpStatusCode.Unauthorized, "expired" },
        { "forged signature", HttpStatusCode.Unauthorized, "signature is not valid" },
        { "alg none", HttpStatusCode.Unauthorized, "signature is not valid" },
        { "unknown tenant", HttpStatusCode.Forbidden, "not connected to this AgentConsole" },
        { "unknown role", HttpStatusCode.Forbidden, "Your role does not allow this" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task BadToken_IsRefusedWithAProblem_AndChangesNothing(string kind, HttpStatusCode status, string detail)
    {
        var decision = await Console.ProposeAsync(TestCases.UncertainPricing($"Bearer Refusal {kind}"));
        using var caller = Client(await TokenAsync(kind));

        var read = await caller.GetAsync(new Uri("/api/queues", UriKind.Relative));
        var claim = await caller.PostAsync(new Uri($"/api/decisions/{decision.Id}/claim", UriKind.Relative), null);

        foreach (var response in new[] { read, claim })
        {
            Assert.Equal(status, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Contains(detail, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        }

        var after = await Console.ReadAsync(db => db.Decisions.AsNoTracking().SingleAsync(d => d.Id == decision.Id));
        Assert.Equal(DecisionStatus.Pending, after.Status);
        Assert.Equal(decision.Version, after.Version);
    }

    [Fact]
    public async Task DisabledServicePrincipal_IsRefusedOnItsNextCall()
    {
        var token = await fixture.Provider.ClientCredentialsTokenAsync("reporting-bot");
        using var bot = Client(token);
        Assert.Equal(HttpStatusCode.OK, (await bot.GetAsync(new Uri("/api/queues", UriKind.Relative))).StatusCode);
        var account = await Console.ReadAsync(db => db.Users.AsNoTracking().SingleAsync(u => u.Subject == "reporting-bot"));
        var admin = (await Console.ReadAsync(db => db.Users.AsNoTracking().SingleAsync(u => u.Subject == "admin"))).ToActor();

        await Administer(a => a.DisableAsync(account.Id, admin, "Rotating the bot's credentials"));
        var refused = await bot.GetAsync(new Uri("/api/queues", UriKind.Relative));
        await Administer(a => a.EnableAsync(account.Id, admin, "Rotated"));

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("disabled", (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    private async Task Administer(Func<UserAdministration, Task> change)
    {
        await using var scope = Console.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantContext>().Use(DemoData.ContosoId);
        await change(scope.ServiceProvider.GetRequiredService<UserAdministration>());
    }

    private async Task<string> TokenAsync(string kind)
    {
        var claims = new Dictionary<string, object>
        {
            ["sub"] = "reporting-bot", ["azp"] = "reporting-bot", ["tenant"] = SingleSignOnFixture.ProviderTenant,
            ["roles"] = new[] { "Operator" }, ["aud"] = OpenIdProvider.ApiAudience,
        };
        switch (kind)
        {
            case "wrong audience":
                return await fixture.Provider.ClientCredentialsTokenAsync("other-api-bot");
            case "expired":
                return fixture.Provider.Mint(claims, DateTime.UtcNow.AddHours(-1));
            case "forged signature":
                using (var rsa = RSA.Create(2048))
                {
                    return fixture.Provider.Mint(claims, DateTime.UtcNow.AddHours(1), new RsaSecurityKey(rsa.ExportParameters(includePrivateParameters: true)));
                }

            case "alg none":
                var payload = JsonSerializer.Serialize(new Dictionary<string, object>(claims)
                {
                    ["iss"] = fixture.Provider.Issuer.ToString(), ["exp"] = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds(),
                });
                return $"{Base64UrlEncoder.Encode("""{"alg":"none","typ":"JWT"}""")}.{Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes(payload))}.";
            case "unknown tenant":
                return await fixture.Provider.ClientCredentialsTokenAsync("stranger-bot");
            default:
                return await fixture.Provider.ClientCredentialsTokenAsync("superuser-bot");
        }
    }
}
