using AgentConsole.Domain;
using AgentConsole.Domain.Agents;
using AgentConsole.Domain.Decisions;
using AgentConsole.Domain.Tenancy;
using AgentConsole.Domain.Training.Certifications;
using AgentConsole.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AgentConsole.Tests.Integration.Training;

public sealed class SqliteCertificationGateTests() : CertificationGateTests(TestEngine.Sqlite);

public sealed class PostgreSqlCertificationGateTests() : CertificationGateTests(TestEngine.PostgreSql);

/// <summary>
/// The certification a review requirement names, enforced by <see cref="DecisionService"/> at the moment of the action,
/// with grants, revocations and verification codes through their Domain services, on a real database.
/// </summary>
public abstract class CertificationGateTests(TestEngine engine) : IAsyncLifetime
{
    private const string Key = "pricing-reviewer";
    private readonly ManualClock _clock = new(DateTimeOffset.UtcNow);
    private DomainHarness _harness = default!;
    private Actor _operator = default!;
    private Actor _trainer = default!;

    public async Task InitializeAsync()
    {
        _harness = await DomainHarness.CreateAsync(configure: s => s.AddSingleton<TimeProvider>(_clock), engine: engine);
        _operator = await _harness.ActorAsync("operator");
        _trainer = await _harness.ActorAsync("trainer");

        // First-line pricing reviews (low risk, as the test cases are) need the certification.
        await PolicyVersions.ActivateAsync(_harness.Services, UseCase.DynamicPricing, RequireCertificationForLowRisk);
    }

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    /// <summary>The pricing policy with its low-risk review requirement naming <c>pricing-reviewer</c>.</summary>
    public static string RequireCertificationForLowRisk(string document) =>
        document.Replace("low:      { tier: 1, role: Operator }", $"low:      {{ tier: 1, role: Operator, certification: {Key} }}", StringComparison.Ordinal) is var edited && edited != document
            ? edited
            : throw new InvalidOperationException("The default pricing policy's low-risk requirement changed: update the test.");

    private async Task<T> As<T>(Func<IServiceProvider, Task<T>> act, Guid? tenantId = null)
    {
        await using var scope = _harness.Scope(tenantId ?? DemoData.ContosoId);
        return await act(scope.ServiceProvider);
    }

    private Task<CertificationView> GrantAsync(Actor holder, TimeSpan validity) =>
        As(s => s.GetRequiredService<CertificationGrants>().GrantAsync(Actor.System(holder.TenantId, "exam"), holder.Id,
            new CertificationGrant(Key, "Pricing reviewer", validity, "Pricing reviewer track", 92.5m), "Passed the pricing reviewer exam"), holder.TenantId);

    private Task<Decision> Act(Func<DecisionService, Task<Decision>> act) => As(s => act(s.GetRequiredService<DecisionService>()));

    private Task<Decision> ReadAsync(Guid id) => _harness.ReadAsync(db => db.Decisions.AsNoTracking().SingleAsync(d => d.Id == id));

    private Task<int> DecisionAuditCountAsync(Guid id) => _harness.ReadAsync(db => db.AuditEntries.CountAsync(a => a.EntityType == "decision" && a.EntityId == id.ToString()));

    [Fact]
    public async Task Claim_IsRefusedNamingTheCertification_WhenNeverHeld_AndChangesNothing()
    {
        var decision = await _harness.ProposeAsync(TestCases.UncertainPricing("Never Held AB"));
        Assert.Equal(Key, decision.ReviewCertification);
        var audited = await DecisionAuditCountAsync(decision.Id);

        var refused = await Assert.ThrowsAsync<DomainException>(() => Act(d => d.ClaimAsync(decision.Id, _operator)));
        var approve = await Assert.ThrowsAsync<DomainException>(() => Act(d => d.ApproveAsync(decision.Id, _operator, "Looks fine")));
        var reject = await Assert.ThrowsAsync<DomainException>(() => Act(d => d.RejectAsync(decision.Id, _operator, "No")));
        var overridden = await Assert.ThrowsAsync<DomainException>(() =>
            Act(d => d.OverrideAsync(decision.Id, _operator, new Dictionary<string, string?> { ["discountPercent"] = "3" }, "Smaller")));

        Assert.Equal(DomainErrorKind.Forbidden, refused.Kind);
        Assert.Equal("decision.certification-required", refused.Code);
        Assert.Equal("You cannot claim this decision: it needs the pricing-reviewer certification, and you have never held it.", refused.Message);
        Assert.All([approve, reject, overridden], ex => Assert.Equal("decision.certification-required", ex.Code));
        var after = await ReadAsync(decision.Id);
        Assert.Equal((DecisionStatus.Pending, decision.Version), (after.Status, after.Version));
        Assert.Equal(audited, await DecisionAuditCountAsync(decision.Id));
    }

    [Fact]
    public async Task EscalatingOnward_StaysAllowed_WithoutTheCertification()
    {
        var decision = await _harness.ProposeAsync(TestCases.UncertainPricing("Escalate Anyway AB"));

        var escalated = await Act(d => d.EscalateAsync(decision.Id, _operator, "Needs a certified reviewer"));

        Assert.Equal(DecisionStatus.Escalated, escalated.Status);
    }

    [Fact]
    public async Task AGrantedCertification_LetsThePersonClaimAndApprove_AndTheGrantIsAudited()
    {
        var decision = await _harness.ProposeAsync(TestCases.UncertainPricing("Granted AB"));
        var granted = await GrantAsync(_operator, TimeSpan.FromDays(365));

        await Act(d => d.ClaimAsync(decision.Id, _operator));
        var approved = await Act(d => d.ApproveAsync(decision.Id, _operator, "Within policy"));

        Assert.Equal(DecisionStatus.Approved, approved.Status);
        var audit = await _harness.ReadAsync(db => db.AuditEntries.SingleAsync(a => a.EntityType == "certification" && a.EntityId == granted.Id.ToString()));
        Assert.Equal(("certification.granted", "exam", "Passed the pricing reviewer exam"), (audit.Action, audit.ActorName, audit.Reason));
        Assert.Equal((92.5m, "Pricing reviewer track", CertificationStatus.Valid), (granted.Score, granted.TrackName, granted.Status));
    }

    [Fact]
    public async Task ACertificationExpiringDuringAnOpenReview_RefusesTheApproval_AndChangesNothing()
    {
        var decision = await _harness.ProposeAsync(TestCases.UncertainPricing("Expires Meanwhile AB"));
        var granted = await GrantAsync(_operator, TimeSpan.FromMinutes(30));
        var claimed = await Act(d => d.ClaimAsync(decision.Id, _operator));

        // Expired a moment before the approval arrives.
        _clock.Advance(TimeSpan.FromMinutes(30));
        var refused = await Assert.ThrowsAsync<DomainException>(() => Act(d => d.ApproveAsync(decision.Id, _operator, "Within policy", claimed.Version)));

        Assert.Equal($"You cannot approve this decision: it needs the pricing-reviewer certification, and yours expired on {granted.ExpiresAt:yyyy-MM-dd HH:mm} UTC.", refused.Message);
        var after = await ReadAsync(decision.Id);
        Assert.Equal((DecisionStatus.InReview, _operator.Id, claimed.Version), (after.Status, after.ClaimedById, after.Version));
        Assert.Equal(Domain.Pipelines.RunStatus.AwaitingReview, await _harness.ReadAsync(db => db.Runs.Where(r => r.Id == decision.RunId).Select(r => r.Status).SingleAsync()));
    }

    [Fact]
    public async Task ARevocation_TakesEffectAtOnce_SayingWhoRevokedItAndWhy()
    {
        var decision = await _harness.ProposeAsync(TestCases.UncertainPricing("Revoked Meanwhile AB"));
        var granted = await GrantAsync(_operator, TimeSpan.FromDays(365));
        await Act(d => d.ClaimAsync(decision.Id, _operator));

        var revoked = await As(s => s.GetRequiredService<CertificationRevocation>().RevokeAsync(granted.Id, _trainer, "Approved three quotes below the margin floor"));
        var refused = await Assert.ThrowsAsync<DomainException>(() => Act(d => d.RejectAsync(decision.Id, _operator, "Too deep")));

        Assert.Equal(CertificationStatus.Revoked, revoked.Status);
        Assert.Equal($"You cannot reject this decision: it needs the pricing-reviewer certification, and yours revoked on {_clock.GetUtcNow():yyyy-MM-dd} by Tara Trainer: Approved three quotes below the margin floor.", refused.Message);
        var audit = await _harness.ReadAsync(db => db.AuditEntries.Where(a => a.EntityId == granted.Id.ToString()).OrderBy(a => a.Id).Select(a => a.Action).ToListAsync());
        Assert.Equal(["certification.granted", "certification.revoked"], audit);
    }

    [Fact]
    public async Task Revoking_WithoutAReason_OrAsSomeoneNotATrainer_IsRefused_AndChangesNothing()
    {
        var granted = await GrantAsync(_operator, TimeSpan.FromDays(365));
        var senior = await _harness.ActorAsync("senior");

        var noReason = await Assert.ThrowsAsync<DomainException>(() => As(s => s.GetRequiredService<CertificationRevocation>().RevokeAsync(granted.Id, _trainer, "  ")));
        var notTrainer = await Assert.ThrowsAsync<DomainException>(() => As(s => s.GetRequiredService<CertificationRevocation>().RevokeAsync(granted.Id, senior, "Because")));

        Assert.Equal(DomainErrorKind.Invalid, noReason.Kind);
        Assert.Contains("reason", noReason.FieldErrors.Keys);
        Assert.Equal(DomainErrorKind.Forbidden, notTrainer.Kind);
        var stored = await _harness.ReadAsync(db => db.Certifications.AsNoTracking().SingleAsync(c => c.Id == granted.Id));
        Assert.Null(stored.RevokedAt);
    }

    [Fact]
    public async Task AGrant_WithABadKeyOrScore_IsRefusedField_ByField_AndStoresNothing()
    {
        var before = await _harness.ReadAsync(db => db.Certifications.CountAsync());

        var refused = await Assert.ThrowsAsync<DomainException>(() => As(s => s.GetRequiredService<CertificationGrants>().GrantAsync(
            Actor.System(DemoData.ContosoId, "exam"), _operator.Id, new CertificationGrant("Pricing Reviewer!", "Pricing reviewer", TimeSpan.FromDays(1), Score: 140), "Exam")));

        Assert.Equal(["key", "score"], refused.FieldErrors.Keys.Order());
        Assert.Equal(before, await _harness.ReadAsync(db => db.Certifications.CountAsync()));
    }

    [Fact]
    public async Task AVerificationCode_ChecksValid_ThenRevoked_WhileAForgedOrMalformedCodeIsRefused()
    {
        var granted = await GrantAsync(_operator, TimeSpan.FromDays(365));
        var (_, code) = (await As(s => s.GetRequiredService<CertificationQueries>().MineAsync(_operator))).Single(m => m.Certification.Id == granted.Id);
        var verification = _harness.Services.GetRequiredService<CertificateVerification>();

        var valid = await verification.VerifyAsync(code.ToLowerInvariant().Replace("-", " ", StringComparison.Ordinal));
        await As(s => s.GetRequiredService<CertificationRevocation>().RevokeAsync(granted.Id, _trainer, "Left the pricing team"));
        var revoked = await verification.VerifyAsync(code);
        var forged = await Assert.ThrowsAsync<DomainException>(() => verification.VerifyAsync(ForgedFrom(code)));
        var malformed = await Assert.ThrowsAsync<DomainException>(() => verification.VerifyAsync("not-a-code"));

        Assert.Equal(("Olivia Operator", "Pricing reviewer", "Contoso Trading", CertificationStatus.Valid), (valid.HolderName, valid.DisplayName, valid.Organisation, valid.Status));
        Assert.Equal(CertificationStatus.Revoked, revoked.Status);
        Assert.Equal((DomainErrorKind.NotFound, "certificate.unknown"), (forged.Kind, forged.Code));
        Assert.Equal(DomainErrorKind.Invalid, malformed.Kind);

        // The database keeps no code: only its hash.
        var stored = await _harness.ReadAsync(db => db.Certifications.AsNoTracking().SingleAsync(c => c.Id == granted.Id));
        Assert.DoesNotContain(code.Replace("-", "", StringComparison.Ordinal), stored.CodeHash, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>A code of the right shape with one letter changed.</summary>
    private static string ForgedFrom(string code) => (code[0] == 'A' ? "B" : "A") + code[1..];

    [Fact]
    public async Task Certifications_StayInTheirTenant()
    {
        var fabrikamSenior = await _harness.ActorAsync("fabrikam.senior");
        var theirs = await _harness.ReadAsync(db => db.Certifications.Select(c => c.Id).FirstAsync(), DemoData.FabrikamId);
        var auditor = await _harness.ActorAsync("auditor");

        var listed = await As(s => s.GetRequiredService<CertificationQueries>().ListAsync(auditor));
        var revoke = await Assert.ThrowsAsync<DomainException>(() => As(s => s.GetRequiredService<CertificationRevocation>().RevokeAsync(theirs, _trainer, "Not ours")));
        var grantAcross = await Assert.ThrowsAsync<DomainException>(() => As(s => s.GetRequiredService<CertificationGrants>().GrantAsync(
            Actor.System(DemoData.ContosoId, "exam"), fabrikamSenior.Id, new CertificationGrant(Key, "Pricing reviewer", TimeSpan.FromDays(1)), "Exam")));

        Assert.NotEmpty(listed);
        Assert.DoesNotContain(listed, c => c.Id == theirs || c.HolderName.Contains("Fabrikam", StringComparison.Ordinal));
        Assert.Equal(DomainErrorKind.NotFound, revoke.Kind);
        Assert.Equal(DomainErrorKind.NotFound, grantAcross.Kind);
    }

    [Fact]
    public async Task DemoColleagues_LeaveAlone_ItemsNeedingACertificationTheyLack()
    {
        // Six items for fourteen colleagues taking them in random order: without the check, an operator colleague
        // (who lacks pricing-reviewer) would almost surely draw one, be refused, and leave it waiting.
        var items = new List<Decision>();
        for (var i = 0; i < 6; i++)
        {
            items.Add(await _harness.ProposeAsync(TestCases.UncertainPricing($"Colleagues {i} AB")));
        }

        _clock.Advance(TimeSpan.FromMinutes(10));

        var acted = await As(s => s.GetRequiredService<DemoColleagues>().TickAsync());

        Assert.Equal(items.Count, acted);
        var seniors = DemoColleagues.Of(DemoData.ContosoId).Where(c => c.IsInRole(Roles.SeniorOperator)).Select(c => c.Id).ToHashSet();
        foreach (var item in items)
        {
            var after = await ReadAsync(item.Id);
            Assert.Equal(DecisionStatus.InReview, after.Status);
            Assert.Contains(after.ClaimedById!, seniors);
        }
    }

    [Fact]
    public async Task TheDemo_SeedsTheGate_SamHoldsPricingReviewer_SiennaLacksIt_AndOneExpiresWithin30Days()
    {
        var auditor = await _harness.ActorAsync("auditor");
        var sam = await _harness.ActorAsync("senior");
        var sienna = await _harness.ActorAsync("senior2");

        var standing = await As(s => s.GetRequiredService<CertificationQueries>().StandingAsync(sam, [DemoCertifications.PricingReviewer]));
        var lacking = await As(s => s.GetRequiredService<CertificationQueries>().StandingAsync(sienna, [DemoCertifications.PricingReviewer]));
        var expiring = await As(s => s.GetRequiredService<CertificationQueries>().ExpiringAsync(auditor));

        Assert.Null(standing[DemoCertifications.PricingReviewer]);
        Assert.Equal("you have never held it", lacking[DemoCertifications.PricingReviewer]);
        Assert.Contains(expiring, c => c.HolderName == "Sienna Senior" && c.Key == DemoCertifications.HighRiskApproval);
    }
}
