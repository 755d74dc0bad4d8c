using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AgentConsole.Domain.Agents;
using AgentConsole.Domain.Decisions;
using AgentConsole.Domain.Tenancy;
using AgentConsole.Domain.Training.Certifications;
using AgentConsole.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using UglyToad.PdfPig;

namespace AgentConsole.Tests.Integration.Training;

/// <summary>
/// Certifications through the real host: the gate on the API's decision actions, the certification each queue and decision
/// answer names with the caller's standing, one's own certificates as PDF, revocation, and the public code check.
/// </summary>
public sealed class CertificationsApiTests(CertificationsApiTests.Host host) : IClassFixture<CertificationsApiTests.Host>
{
    private ConsoleFactory Factory => host.Factory;

    [Fact]
    public async Task TheApi_NamesTheCertification_AndRefusesTheUncertified_UntilAGrant()
    {
        var decision = await Factory.ProposeAsync(TestCases.UncertainPricing("Api Gate AB"));
        var client = await Factory.SignInAsync("operator2");

        var listed = (await client.GetFromJsonAsync<JsonElement>($"/api/queues/{ConsoleFactory.QueueId("pricing-t1")}/decisions"))
            .EnumerateArray().Single(d => d.GetProperty("id").GetGuid() == decision.Id);
        var refused = await client.PostAsJsonAsync($"/api/decisions/{decision.Id}/approve", new { reason = "Within policy", expectedVersion = decision.Version });
        var problem = await refused.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal("pricing-reviewer", listed.GetProperty("certification").GetString());
        Assert.False(listed.GetProperty("holdsCertification").GetBoolean());
        Assert.StartsWith("yours expired on ", listed.GetProperty("certificationMissing").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal("decision.certification-required", problem.GetProperty("code").GetString());
        Assert.Contains("needs the pricing-reviewer certification, and yours expired on", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(DecisionStatus.Pending, (await Factory.ReadAsync(db => db.Decisions.AsNoTracking().SingleAsync(d => d.Id == decision.Id))).Status);

        await GrantAsync("operator2");
        var answer = await client.GetFromJsonAsync<JsonElement>($"/api/decisions/{decision.Id}");
        var approved = await client.PostAsJsonAsync($"/api/decisions/{decision.Id}/approve", new { reason = "Within policy", expectedVersion = decision.Version });

        Assert.True(answer.GetProperty("holdsCertification").GetBoolean());
        Assert.Equal(JsonValueKind.Null, answer.GetProperty("certificationMissing").ValueKind);
        approved.EnsureSuccessStatusCode();
    }

    [Fact]
    public async Task MyCertificates_DownloadAsAPdf_NamingThePersonAndTheCode_AndAnothersIsNotFound()
    {
        var client = await Factory.SignInAsync("senior");
        var mine = await client.GetFromJsonAsync<JsonElement>("/api/me/certifications");
        var pricing = mine.EnumerateArray().Single(m => m.GetProperty("certification").GetProperty("key").GetString() == "pricing-reviewer");
        var code = pricing.GetProperty("code").GetString()!;
        var siennas = await Factory.ReadAsync(db => db.Certifications.Where(c => c.HolderName == "Sienna Senior").Select(c => c.Id).FirstAsync());

        using var pdf = await client.GetAsync(pricing.GetProperty("pdfUrl").GetString());
        var bytes = await pdf.Content.ReadAsByteArrayAsync();
        var others = await client.GetAsync($"/api/me/certifications/{siennas}/pdf");

        Assert.Equal("application/pdf", pdf.Content.Headers.ContentType?.MediaType);
        Assert.Equal("%PDF-"u8.ToArray(), bytes[..5]);
        using var document = PdfDocument.Open(bytes);
        var words = string.Join(' ', document.GetPages().SelectMany(p => p.GetWords()).Select(w => w.Text));
        Assert.Contains("Sam Senior", words, StringComparison.Ordinal);
        Assert.Contains(code, words, StringComparison.Ordinal);
        Assert.Contains("Pricing reviewer", words, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, others.StatusCode);
    }

    [Fact]
    public async Task Revoking_NeedsAReason_ThenTakesEffect_AndOnlyTrainersMay()
    {
        var target = await Factory.ReadAsync(db => db.Certifications.Where(c => c.HolderName == "Helen Park (demo colleague)" && c.Key == "pricing-reviewer").Select(c => c.Id).SingleAsync());
        var trainer = await Factory.SignInAsync("trainer");
        var senior = await Factory.SignInAsync("senior");

        var noReason = await trainer.PostAsJsonAsync($"/api/certifications/{target}/revoke", new { reason = "" });
        var bySenior = await senior.PostAsJsonAsync($"/api/certifications/{target}/revoke", new { reason = "Because" });
        var stillValid = await Factory.ReadAsync(db => db.Certifications.AsNoTracking().SingleAsync(c => c.Id == target));
        var revoked = await trainer.PostAsJsonAsync($"/api/certifications/{target}/revoke", new { reason = "Left the pricing desk" });
        var again = await trainer.PostAsJsonAsync($"/api/certifications/{target}/revoke", new { reason = "Twice" });
        var listed = await senior.GetFromJsonAsync<JsonElement>("/api/certifications?status=Revoked&search=Helen");

        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        Assert.True((await noReason.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("reason", out _));
        Assert.Equal(HttpStatusCode.Forbidden, bySenior.StatusCode);
        Assert.Null(stillValid.RevokedAt);
        Assert.Equal("Revoked", (await revoked.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal([target], listed.EnumerateArray().Select(c => c.GetProperty("id").GetGuid()));
    }

    [Fact]
    public async Task TheExpiringList_HoldsSiennasCertification()
    {
        var auditor = await Factory.SignInAsync("auditor");

        var expiring = await auditor.GetFromJsonAsync<JsonElement>("/api/certifications/expiring");

        Assert.Contains(expiring.EnumerateArray(), c => c.GetProperty("holderName").GetString() == "Sienna Senior");
        Assert.All(expiring.EnumerateArray(), c => Assert.Equal("Valid", c.GetProperty("status").GetString()));
    }

    [Fact]
    public async Task AnyoneMayCheckACode_AForgedOneIsRefused_AndChecksAreRateLimited()
    {
        var code = await CodeOfAsync("senior", "high-risk-approval");
        using var anonymous = Factory.CreateClient();

        var valid = await anonymous.GetAsync($"/api/certificates/verify?code={code}");
        var forged = await anonymous.GetAsync($"/api/certificates/verify?code={(code[0] == 'A' ? 'B' : 'A')}{code[1..]}");
        var malformed = await anonymous.GetAsync("/api/certificates/verify?code=12345");
        var page = await anonymous.GetStringAsync($"/certificates/verify?code={code}");
        var limited = await anonymous.GetAsync($"/api/certificates/verify?code={code}");

        var check = await valid.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(("Sam Senior", "Valid", "Contoso Trading"), (check.GetProperty("holderName").GetString(), check.GetProperty("status").GetString(), check.GetProperty("organisation").GetString()));
        Assert.False(check.TryGetProperty("holderId", out _));
        Assert.Equal(HttpStatusCode.NotFound, forged.StatusCode);
        Assert.Contains("No certificate has this verification code", (await forged.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        Assert.Contains("Valid certificate", page, StringComparison.Ordinal);
        Assert.Contains("Sam Senior", page, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.NotNull(limited.Headers.RetryAfter);
    }

    private async Task<string> CodeOfAsync(string userName, string key)
    {
        var client = await Factory.SignInAsync(userName);
        var mine = await client.GetFromJsonAsync<JsonElement>("/api/me/certifications");
        return mine.EnumerateArray().Single(m => m.GetProperty("certification").GetProperty("key").GetString() == key).GetProperty("code").GetString()!;
    }

    private async Task GrantAsync(string userName)
    {
        var user = await Factory.Services.GetRequiredService<UserDirectory>().FindAsync(userName) ?? throw new InvalidOperationException(userName);
        await using var scope = Factory.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantContext>().Use(DemoData.ContosoId);
        await scope.ServiceProvider.GetRequiredService<CertificationGrants>().GrantAsync(Actor.System(DemoData.ContosoId, "exam"), user.User.Id.ToString(),
            new CertificationGrant("pricing-reviewer", "Pricing reviewer", TimeSpan.FromDays(365), "Pricing reviewer track", 88m), "Passed the exam");
    }

    /// <summary>A console of its own: its pricing policy asks first-line reviewers for the certification; four checks of a code a minute.</summary>
    public sealed class Host : IAsyncLifetime
    {
        public ConsoleFactory Factory { get; } = new() { Settings = { ["Security:RateLimits:CertificateChecksPerMinute"] = "4" } };

        public async Task InitializeAsync()
        {
            Factory.Start();
            await PolicyVersions.ActivateAsync(Factory.Services, UseCase.DynamicPricing, CertificationGateTests.RequireCertificationForLowRisk);
        }

        public async Task DisposeAsync() => await Factory.DisposeAsync();
    }
}
