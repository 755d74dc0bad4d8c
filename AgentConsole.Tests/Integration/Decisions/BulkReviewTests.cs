using AgentConsole.Domain;
using AgentConsole.Domain.Agents;
using AgentConsole.Domain.Decisions;
using AgentConsole.Domain.Decisions.Bulk;
using AgentConsole.Domain.Tenancy;
using AgentConsole.Domain.Training.Certifications;
using AgentConsole.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AgentConsole.Tests.Integration.Decisions;

public sealed class SqliteBulkReviewTests() : BulkReviewTests(TestEngine.Sqlite);

public sealed class PostgreSqlBulkReviewTests() : BulkReviewTests(TestEngine.PostgreSql);

/// <summary>
/// Bulk approve and reject through <see cref="BulkReview"/> on a real database: the guardrails (low risk, one reviewer,
/// one policy version, open and not someone else's, the reviewer's role and certification), one reason, each item
/// decided and audited on its own, and an item resolved a moment before refused alone.
/// </summary>
public abstract class BulkReviewTests(TestEngine engine) : IAsyncLifetime
{
    private DomainHarness _harness = default!;
    private Actor _olivia = default!;
    private Actor _omar = default!;

    public async Task InitializeAsync()
    {
        _harness = await DomainHarness.CreateAsync(engine: engine);
        _olivia = await _harness.ActorAsync("operator");
        _omar = await _harness.ActorAsync("operator2");
    }

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    private async Task<T> As<T>(Func<IServiceProvider, Task<T>> act)
    {
        await using var scope = _harness.Scope(DemoData.ContosoId);
        return await act(scope.ServiceProvider);
    }

    private Task<BulkPreview> PreviewAsync(Actor who, IReadOnlyCollection<Guid> ids, BulkAction action = BulkAction.Approve) =>
        As(s => s.GetRequiredService<BulkReview>().PreviewAsync(who, ids, action));

    private Task<IReadOnlyList<BulkOutcome>> ExecuteAsync(Actor who, IReadOnlyCollection<Guid> ids, BulkAction action, string reason) =>
        As(s => s.GetRequiredService<BulkReview>().ExecuteAsync(who, ids, action, reason));

    private async Task<List<Guid>> ProposeAsync(int count, string prefix)
    {
        var ids = new List<Guid>();
        for (var i = 0; i < count; i++)
        {
            ids.Add((await _harness.ProposeAsync(TestCases.UncertainPricing($"{prefix} {i} AB"))).Id);
        }

        return ids;
    }

    private Task<int> AuditCountAsync(Guid id, string action) =>
        _harness.ReadAsync(db => db.AuditEntries.CountAsync(a => a.EntityType == "decision" && a.EntityId == id.ToString() && a.Action == action));

    [Fact]
    public async Task ThePreview_IncludesLowRiskSingleReviewerItemsOfOneVersion_AndSaysWhyEachOtherIsLeftOut()
    {
        var ids = await ProposeAsync(6, "Bulk Preview");
        await _harness.WithDbAsync(db => db.Decisions.Where(d => d.Id == ids[1]).ExecuteUpdateAsync(s => s.SetProperty(d => d.Risk, RiskLevel.Medium)));
        await _harness.WithDbAsync(db => db.Decisions.Where(d => d.Id == ids[2]).ExecuteUpdateAsync(s => s.SetProperty(d => d.ReviewersRequired, 2)));
        await As(s => s.GetRequiredService<DecisionService>().ClaimAsync(ids[3], _omar));
        await As(s => s.GetRequiredService<DecisionService>().RejectAsync(ids[4], _omar, "Too generous"));

        // A new policy version routes what comes next: a later item is of another version than the first.
        await PolicyVersions.ActivateAsync(_harness.Services, UseCase.DynamicPricing, d => d.Replace("warnAfter: 45m", "warnAfter: 40m", StringComparison.Ordinal));
        var later = (await ProposeAsync(1, "Bulk Later"))[0];

        var preview = await PreviewAsync(_olivia, [.. ids, later, Guid.NewGuid()]);

        Assert.Equal([ids[0], ids[5]], preview.Items.Where(i => i.Included).Select(i => i.DecisionId));
        string Why(Guid id) => preview.Items.Single(i => i.DecisionId == id).LeftOutBecause!;
        Assert.Equal("Its risk is medium: a bulk review takes low-risk items only.", Why(ids[1]));
        Assert.Equal("It needs 2 different reviewers (four-eyes): review it on its own.", Why(ids[2]));
        Assert.Equal("Omar Operator is working on it.", Why(ids[3]));
        Assert.Equal("It is no longer open: this decision was already rejected by Omar Operator.", Why(ids[4]));
        Assert.Equal("It was routed by another policy version than the first item: a bulk review takes one version at a time.", Why(later));
        Assert.Contains(preview.Items, i => i.LeftOutBecause == "This decision does not exist.");
        Assert.StartsWith("Dynamic pricing", preview.PolicyLabel, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ABulkApproval_DecidesAndAuditsEachItemOnItsOwn_WithOneReason_AndRefusesTheOneResolvedAMomentBefore()
    {
        var ids = await ProposeAsync(4, "Bulk Approve");
        var preview = await PreviewAsync(_olivia, ids);
        Assert.Equal(4, preview.Included);

        // Between the preview and the approval, a colleague rejects one of them.
        await As(s => s.GetRequiredService<DecisionService>().RejectAsync(ids[2], _omar, "Too generous"));
        var outcomes = await ExecuteAsync(_olivia, ids, BulkAction.Approve, "Within the discount policy");

        Assert.Equal([true, true, false, true], outcomes.Select(o => o.Done));
        Assert.Contains("rejected by Omar Operator", outcomes[2].RefusedBecause, StringComparison.Ordinal);
        foreach (var id in ids.Where(i => i != ids[2]))
        {
            Assert.Equal(1, await AuditCountAsync(id, "decision.approved"));
            var stored = await _harness.ReadAsync(db => db.Decisions.Include(d => d.Reviews).AsNoTracking().SingleAsync(d => d.Id == id));
            Assert.Equal(DecisionStatus.Approved, stored.Status);
            Assert.Equal("Within the discount policy", stored.Reviews.Single().Reason);
        }

        Assert.Equal(0, await AuditCountAsync(ids[2], "decision.approved"));
        Assert.Equal(3, _harness.Scheduler.Executions.Count(e => ids.Contains(e)));
    }

    [Fact]
    public async Task BadInput_IsRefusedNamingTheField_AndChangesNothing()
    {
        var ids = await ProposeAsync(2, "Bulk Bad");

        var noReason = await Assert.ThrowsAsync<DomainException>(() => ExecuteAsync(_olivia, ids, BulkAction.Reject, " "));
        Assert.Equal(["reason"], noReason.FieldErrors.Keys);
        var none = await Assert.ThrowsAsync<DomainException>(() => PreviewAsync(_olivia, []));
        Assert.Equal(["decisionIds"], none.FieldErrors.Keys);
        var tooMany = await Assert.ThrowsAsync<DomainException>(() => PreviewAsync(_olivia, [.. Enumerable.Range(0, 201).Select(_ => Guid.NewGuid())]));
        Assert.Equal(["decisionIds"], tooMany.FieldErrors.Keys);
        var auditor = await _harness.ActorAsync("auditor");
        Assert.Equal(DomainErrorKind.Forbidden, (await Assert.ThrowsAsync<DomainException>(() => PreviewAsync(auditor, ids))).Kind);

        Assert.All(await _harness.ReadAsync(db => db.Decisions.Where(d => ids.Contains(d.Id)).Select(d => d.Status).ToListAsync()), s => Assert.Equal(DecisionStatus.Pending, s));
    }

    [Fact]
    public async Task TheCertificationGate_HoldsInTheBulkPath()
    {
        await PolicyVersions.ActivateAsync(_harness.Services, UseCase.DynamicPricing, Training.CertificationGateTests.RequireCertificationForLowRisk);
        var ids = await ProposeAsync(2, "Bulk Certified");

        var preview = await PreviewAsync(_olivia, ids);
        Assert.All(preview.Items, i => Assert.Equal("It needs the pricing-reviewer certification, and you have never held it.", i.LeftOutBecause));
        var refused = await ExecuteAsync(_olivia, ids, BulkAction.Approve, "Within the discount policy");
        Assert.All(refused, o => Assert.False(o.Done));
        Assert.Equal(0, await AuditCountAsync(ids[0], "decision.approved"));

        await As(s => s.GetRequiredService<CertificationGrants>().GrantAsync(Actor.System(DemoData.ContosoId, "exam"), _olivia.Id,
            new CertificationGrant("pricing-reviewer", "Pricing reviewer", TimeSpan.FromDays(30)), "Passed the exam"));
        var done = await ExecuteAsync(_olivia, ids, BulkAction.Approve, "Within the discount policy");
        Assert.All(done, o => Assert.True(o.Done));
    }
}
