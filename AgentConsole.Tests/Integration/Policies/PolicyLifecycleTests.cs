using AgentConsole.Domain;
using AgentConsole.Domain.Agents;
using AgentConsole.Domain.Decisions;
using AgentConsole.Domain.Policies;
using AgentConsole.Domain.Tenancy;
using AgentConsole.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AgentConsole.Tests.Integration.Policies;

public sealed class SqlitePolicyLifecycleTests() : PolicyLifecycleTests(TestEngine.Sqlite);

public sealed class PostgreSqlPolicyLifecycleTests() : PolicyLifecycleTests(TestEngine.PostgreSql);

/// <summary>Every transition of a policy version, through <see cref="PolicyService"/>, on each engine.</summary>
public abstract class PolicyLifecycleTests(TestEngine engine) : IAsyncLifetime
{
    private const string Stricter = "minConfidence: 0.99";
    private readonly ManualClock _clock = new(DateTimeOffset.UtcNow);
    private DomainHarness _harness = default!;
    private Actor _author = default!;
    private Actor _board1 = default!;
    private Actor _board2 = default!;
    private Actor _admin = default!;

    public async Task InitializeAsync()
    {
        _harness = await DomainHarness.CreateAsync(configure: s => s.AddSingleton<TimeProvider>(_clock), engine: engine);
        _author = await _harness.ActorAsync("author");
        _board1 = await _harness.ActorAsync("board1");
        _board2 = await _harness.ActorAsync("board2");
        _admin = await _harness.ActorAsync("admin");
    }

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    private async Task<T> Policies<T>(Func<PolicyService, Task<T>> act)
    {
        await using var scope = _harness.Scope(DemoData.ContosoId);
        return await act(scope.ServiceProvider.GetRequiredService<PolicyService>());
    }

    private async Task<DomainException> Refused(Func<PolicyService, Task> act)
    {
        await using var scope = _harness.Scope(DemoData.ContosoId);
        return await Assert.ThrowsAsync<DomainException>(() => act(scope.ServiceProvider.GetRequiredService<PolicyService>()));
    }

    private Task<PolicyScope> PricingScope() =>
        _harness.WithDbAsync(db => db.PolicyScopes.AsNoTracking().SingleAsync(s => s.Kind == PolicyScopeKind.UseCase && s.Key == nameof(UseCase.DynamicPricing)));

    private Task<PolicyVersion> Stored(Guid id) =>
        _harness.WithDbAsync(db => db.PolicyVersions.AsNoTracking().Include(v => v.Approvals).Include(v => v.Events).SingleAsync(v => v.Id == id));

    /// <summary>A submitted pricing version whose threshold is 0.99 instead of 0.85.</summary>
    private async Task<PolicyVersion> SubmittedStricterAsync(DateTimeOffset? effectiveFrom = null, Actor? author = null)
    {
        author ??= _author;
        var scope = await PricingScope();
        var draft = await Policies(p => p.CreateDraftAsync(author, scope.Id));
        await Policies(p => p.SaveDraftAsync(author, draft.Id, draft.Document.Replace("minConfidence: 0.85", Stricter, StringComparison.Ordinal), "Raise the bar after last month's errors."));
        return await Policies(p => p.SubmitAsync(author, draft.Id, effectiveFrom));
    }

    [Fact]
    public async Task EveryUseCase_StartsWithAnActiveDefaultPolicy()
    {
        var scopes = await _harness.WithDbAsync(db => db.PolicyScopes.AsNoTracking().ToListAsync());

        Assert.Equal(4, scopes.Count);
        Assert.All(scopes, s => Assert.Equal(1, s.ActiveNumber));
        var versions = await _harness.WithDbAsync(db => db.PolicyVersions.AsNoTracking().ToListAsync());
        Assert.All(versions, v => Assert.Equal(PolicyVersionStatus.Active, v.Status));
    }

    [Fact]
    public async Task Draft_Submit_TwoApprovals_ActivatesAndSupersedes()
    {
        var before = await PricingScope();
        var submitted = await SubmittedStricterAsync();
        Assert.Equal(PolicyVersionStatus.Submitted, submitted.Status);
        Assert.Equal(2, submitted.ApprovalsRequired);

        var first = await Policies(p => p.ApproveAsync(_board1, submitted.Id, "Numbers look right."));
        Assert.Equal(PolicyVersionStatus.Submitted, first.Status);
        var second = await Policies(p => p.ApproveAsync(_board2, submitted.Id, null));

        Assert.Equal(PolicyVersionStatus.Active, second.Status);
        var scope = await PricingScope();
        Assert.Equal(submitted.Id, scope.ActiveVersionId);
        Assert.Equal(2, scope.ActiveNumber);
        var old = await Stored(before.ActiveVersionId!.Value);
        Assert.Equal(PolicyVersionStatus.Superseded, old.Status);
        var stored = await Stored(submitted.Id);
        Assert.Equal(["Created", "Edited", "Submitted", "Approved", "Approved", "Activated"], stored.Events.OrderBy(e => e.At).ThenBy(e => e.Kind).Select(e => e.Kind.ToString()));
        var audit = await _harness.WithDbAsync(db => db.AuditEntries.AsNoTracking().Where(a => a.EntityId == submitted.Id.ToString()).Select(a => a.Action).ToListAsync());
        Assert.Equal(["policy.drafted", "policy.edited", "policy.submitted", "policy.approved", "policy.approved-and-activated"], audit);
    }

    [Fact]
    public async Task NextDecision_IsRoutedByTheNewVersion_AndEarlierDecisionsKeepTheirs()
    {
        var earlier = await _harness.ProposeAsync(TestCases.ConfidentPricing());
        Assert.Equal(DecisionStatus.AutoApproved, earlier.Status);
        Assert.Equal("policy:DynamicPricing v1", earlier.RoutedBy);

        var submitted = await SubmittedStricterAsync();
        await Policies(p => p.ApproveAsync(_board1, submitted.Id, null));
        await Policies(p => p.ApproveAsync(_board2, submitted.Id, null));
        var next = await _harness.ProposeAsync(TestCases.ConfidentPricing());

        Assert.Equal(DecisionStatus.Pending, next.Status);
        Assert.Equal(submitted.Id, next.PolicyVersionId);
        Assert.Equal("policy:DynamicPricing v2", next.RoutedBy);
        Assert.Contains("confidence-below-threshold", next.RulesFired);
        var unchanged = await _harness.WithDbAsync(db => db.Decisions.AsNoTracking().SingleAsync(d => d.Id == earlier.Id));
        Assert.Equal(earlier.PolicyVersionId, unchanged.PolicyVersionId);
        Assert.Equal(DecisionStatus.AutoApproved, unchanged.Status);
    }

    [Fact]
    public async Task InvalidDocument_CannotBeSubmitted_AndNothingChanges()
    {
        var scope = await PricingScope();
        var draft = await Policies(p => p.CreateDraftAsync(_author, scope.Id));
        await Policies(p => p.SaveDraftAsync(_author, draft.Id, draft.Document.Replace("minConfidence: 0.85", "minConfidence: high", StringComparison.Ordinal), "Typo"));

        var error = await Refused(p => p.SubmitAsync(_author, draft.Id, null));

        Assert.Equal("policy.document-invalid", error.Code);
        Assert.Contains("Line 3, column 18: autoApprove.minConfidence must be a number.", error.FieldErrors["document"]);
        Assert.Equal(PolicyVersionStatus.Draft, (await Stored(draft.Id)).Status);
        Assert.Equal(scope.ActiveVersionId, (await PricingScope()).ActiveVersionId);
    }

    [Fact]
    public async Task SelfApproval_IsRefused()
    {
        var authorOnBoard = Actor.User(Guid.NewGuid(), "Bea Both", DemoData.ContosoId, [Roles.PolicyAuthor, Roles.GovernanceBoard]);
        var submitted = await SubmittedStricterAsync(author: authorOnBoard);

        var error = await Refused(p => p.ApproveAsync(authorOnBoard, submitted.Id, "mine"));

        Assert.Equal("policy.self-approval", error.Code);
        Assert.Equal("You wrote this version, so you cannot approve it; another board member must.", error.Message);
        Assert.Empty((await Stored(submitted.Id)).Approvals);
    }

    [Fact]
    public async Task SecondApprovalBySamePerson_IsRefused()
    {
        var submitted = await SubmittedStricterAsync();
        await Policies(p => p.ApproveAsync(_board1, submitted.Id, null));

        var error = await Refused(p => p.ApproveAsync(_board1, submitted.Id, "again"));

        Assert.Equal("policy.already-approved", error.Code);
        var stored = await Stored(submitted.Id);
        Assert.Single(stored.Approvals);
        Assert.Equal(PolicyVersionStatus.Submitted, stored.Status);
    }

    [Fact]
    public async Task OnlyBoardMembers_Approve_AndOnlyAuthorsDraft()
    {
        var submitted = await SubmittedStricterAsync();
        var scope = await PricingScope();

        Assert.Equal("policy.role", (await Refused(p => p.ApproveAsync(_author, submitted.Id, null))).Code);
        Assert.Equal("policy.role", (await Refused(p => p.CreateDraftAsync(_board1, scope.Id))).Code);
    }

    [Fact]
    public async Task ActivatingAnUnapprovedVersion_IsRefused()
    {
        var submitted = await SubmittedStricterAsync();
        await Policies(p => p.ApproveAsync(_board1, submitted.Id, null));

        var error = await Refused(p => p.ActivateNowAsync(_admin, submitted.Id));

        Assert.Equal("Cannot activate version 2: it has 1 of the 2 board approvals it needs.", error.Message);
        Assert.Equal(1, (await PricingScope()).ActiveNumber);
    }

    [Fact]
    public async Task Reject_NeedsAComment_AndEndsTheReview()
    {
        var submitted = await SubmittedStricterAsync();

        Assert.Equal("policy.comment-required", (await Refused(p => p.RejectAsync(_board1, submitted.Id, " "))).Code);
        var rejected = await Policies(p => p.RejectAsync(_board1, submitted.Id, "0.99 would swamp the queue."));
        var late = await Refused(p => p.ApproveAsync(_board2, submitted.Id, null));

        Assert.Equal(PolicyVersionStatus.Rejected, rejected.Status);
        Assert.Equal("Cannot approve version 2, which is rejected: only a submitted version can be approved.", late.Message);
        Assert.Equal("0.99 would swamp the queue.", (await Stored(submitted.Id)).Events.Single(e => e.Kind == PolicyEventKind.Rejected).Comment);
    }

    [Fact]
    public async Task SubmittedVersion_CannotBeEdited()
    {
        var submitted = await SubmittedStricterAsync();

        var error = await Refused(p => p.SaveDraftAsync(_author, submitted.Id, "autoApprove: {}", "sneaky"));

        Assert.Equal("policy.illegal-transition", error.Code);
        Assert.Contains(Stricter, (await Stored(submitted.Id)).Document, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ScheduledVersion_StartsAtItsTime()
    {
        var start = _clock.GetUtcNow().AddHours(2);
        var submitted = await SubmittedStricterAsync(start);
        await Policies(p => p.ApproveAsync(_board1, submitted.Id, null));
        var approved = await Policies(p => p.ApproveAsync(_board2, submitted.Id, null));
        Assert.Equal(PolicyVersionStatus.Scheduled, approved.Status);
        Assert.Equal(1, (await PricingScope()).ActiveNumber);
        Assert.Equal(DecisionStatus.AutoApproved, (await _harness.ProposeAsync(TestCases.ConfidentPricing())).Status);

        _clock.Advance(TimeSpan.FromHours(2));
        // Routing follows the start time even before the job records the change.
        Assert.Equal(DecisionStatus.Pending, (await _harness.ProposeAsync(TestCases.ConfidentPricing())).Status);
        var started = await Policies(p => p.ActivateDueAsync());

        Assert.Equal(1, started);
        Assert.Equal(PolicyVersionStatus.Active, (await Stored(submitted.Id)).Status);
        Assert.Equal(2, (await PricingScope()).ActiveNumber);
    }

    [Fact]
    public async Task Withdrawn_ScheduledVersion_NeverStarts()
    {
        var submitted = await SubmittedStricterAsync(_clock.GetUtcNow().AddHours(1));
        await Policies(p => p.ApproveAsync(_board1, submitted.Id, null));
        await Policies(p => p.ApproveAsync(_board2, submitted.Id, null));

        await Policies(p => p.WithdrawAsync(_author, submitted.Id, "Wrong week."));
        _clock.Advance(TimeSpan.FromHours(2));

        Assert.Equal(0, await Policies(p => p.ActivateDueAsync()));
        Assert.Equal(1, (await PricingScope()).ActiveNumber);
        Assert.Null((await PricingScope()).ScheduledVersionId);
    }

    [Fact]
    public async Task Rollback_GoesThroughTheSameApproval()
    {
        var v1 = (await PricingScope()).ActiveVersionId!.Value;
        var v2 = await SubmittedStricterAsync();
        await Policies(p => p.ApproveAsync(_board1, v2.Id, null));
        await Policies(p => p.ApproveAsync(_board2, v2.Id, null));

        var rollback = await Policies(p => p.ProposeRollbackAsync(_author, v1, "Queue load doubled."));
        Assert.Equal(PolicyVersionStatus.Submitted, rollback.Status);
        Assert.Equal(1, rollback.RestoresNumber);
        Assert.Equal(2, (await PricingScope()).ActiveNumber);
        await Policies(p => p.ApproveAsync(_board1, rollback.Id, null));
        await Policies(p => p.ApproveAsync(_board2, rollback.Id, null));

        var scope = await PricingScope();
        Assert.Equal(3, scope.ActiveNumber);
        Assert.Equal((await Stored(v1)).Document, (await Stored(rollback.Id)).Document);
        Assert.Equal(PolicyVersionStatus.Superseded, (await Stored(v2.Id)).Status);
    }

    [Fact]
    public async Task EmergencyRollback_ByAnAdmin_IsImmediateAndAudited()
    {
        var v1 = (await PricingScope()).ActiveVersionId!.Value;
        var v2 = await SubmittedStricterAsync();
        await Policies(p => p.ApproveAsync(_board1, v2.Id, null));
        await Policies(p => p.ApproveAsync(_board2, v2.Id, null));

        Assert.Equal("policy.role", (await Refused(p => p.EmergencyRollbackAsync(_author, v1, "now"))).Code);
        Assert.Equal("policy.note-required", (await Refused(p => p.EmergencyRollbackAsync(_admin, v1, ""))).Code);
        var restored = await Policies(p => p.EmergencyRollbackAsync(_admin, v1, "Agents blocked every quote."));

        Assert.True(restored.IsEmergency);
        Assert.Equal(PolicyVersionStatus.Active, restored.Status);
        Assert.Equal(restored.Id, (await PricingScope()).ActiveVersionId);
        var audit = await _harness.WithDbAsync(db => db.AuditEntries.AsNoTracking().SingleAsync(a => a.Action == "policy.emergency-rollback"));
        Assert.Equal("Ada Admin", audit.ActorName);
        Assert.Equal("Agents blocked every quote.", audit.Reason);
    }

    [Fact]
    public async Task ApprovalAgainstAnOutdatedActiveVersion_IsRefused_SoTwoActivationsHaveOneWinner()
    {
        var seen = (await PricingScope()).ActiveVersionId;
        var a = await SubmittedStricterAsync();
        var b = await SubmittedStricterAsync();
        await Policies(p => p.ApproveAsync(_board1, a.Id, null, reviewedAgainst: seen));
        await Policies(p => p.ApproveAsync(_board1, b.Id, null, reviewedAgainst: seen));

        await Policies(p => p.ApproveAsync(_board2, a.Id, null, reviewedAgainst: seen));
        var loser = await Refused(p => p.ApproveAsync(_board2, b.Id, null, reviewedAgainst: seen));

        Assert.Equal("policy.active-changed", loser.Code);
        Assert.Equal(a.Id, (await PricingScope()).ActiveVersionId);
        Assert.Equal(PolicyVersionStatus.Submitted, (await Stored(b.Id)).Status);
    }

    [Fact]
    public async Task ConcurrentActivations_LeaveExactlyOneActiveVersion()
    {
        var a = await SubmittedStricterAsync();
        var b = await SubmittedStricterAsync();
        await Policies(p => p.ApproveAsync(_board1, a.Id, null));
        await Policies(p => p.ApproveAsync(_board1, b.Id, null));

        var results = await Task.WhenAll(
            Task.Run(async () => { try { await Policies(p => p.ApproveAsync(_board2, a.Id, null)); return null; } catch (DomainException ex) { return ex; } }),
            Task.Run(async () => { try { await Policies(p => p.ApproveAsync(_board2, b.Id, null)); return null; } catch (DomainException ex) { return ex; } }));

        Assert.All(results.Where(r => r is not null), r => Assert.Equal("policy.changed", r!.Code));
        var scope = await PricingScope();
        var active = await _harness.WithDbAsync(db => db.PolicyVersions.AsNoTracking().Where(v => v.ScopeId == scope.Id && v.Status == PolicyVersionStatus.Active).ToListAsync());
        Assert.Equal(scope.ActiveVersionId, Assert.Single(active).Id);
    }

    [Fact]
    public async Task Masking_HidesFieldsFromTheRolesThePolicyNames_AndLetsOnlyTheNamedOnesReveal()
    {
        var decision = await _harness.ProposeAsync(TestCases.UncertainPricing());
        await using var scope = _harness.Scope(DemoData.ContosoId);
        var queries = scope.ServiceProvider.GetRequiredService<DecisionQueries>();

        var trainee = await queries.GetAsync(decision.Id, new HashSet<string> { Roles.Trainee });
        var operatorView = await queries.GetAsync(decision.Id, new HashSet<string> { Roles.Operator });
        var senior = await queries.GetAsync(decision.Id, new HashSet<string> { Roles.SeniorOperator });

        Assert.Equal(PolicyMasking.Hidden, trainee!.Inputs["marginFloorPercent"]!.GetValue<string>());
        Assert.Contains("marginFloorPercent", trainee.MaskedInputs);
        Assert.False(trainee.View.Mask["marginFloorPercent"]!.MayReveal);
        Assert.Equal(PolicyMasking.Hidden, operatorView!.Inputs["marginFloorPercent"]!.GetValue<string>());
        Assert.True(operatorView.View.Mask["marginFloorPercent"]!.MayReveal);
        Assert.Equal(25.0, senior!.Inputs["marginFloorPercent"]!.GetValue<double>());
        Assert.Empty(senior.MaskedInputs);
        Assert.Equal("Dynamic pricing v1", operatorView.PolicyLabel);
    }

    [Fact]
    public async Task ApprovalsRequired_IsSetPerTenantByAnAdmin_AndAppliesToVersionsSubmittedAfterwards()
    {
        var before = await SubmittedStricterAsync();

        Assert.Equal("policy.role", (await Refused(p => p.SetApprovalsRequiredAsync(_board1, 1))).Code);
        Assert.Equal("tenant.policy-approvals", (await Refused(p => p.SetApprovalsRequiredAsync(_admin, 0))).Code);
        await Policies(async p => { await p.SetApprovalsRequiredAsync(_admin, 1); return 0; });
        var after = await SubmittedStricterAsync();

        Assert.Equal(2, before.ApprovalsRequired);
        Assert.Equal(1, after.ApprovalsRequired);
        Assert.Equal(PolicyVersionStatus.Active, (await Policies(p => p.ApproveAsync(_board1, after.Id, null))).Status);
        Assert.Equal(1, await Policies(p => p.ApprovalsRequiredAsync(_author)));
    }

    [Fact]
    public async Task FourEyes_FromThePolicy_NeedsTwoDistinctSeniorsBeforeTheDecisionExecutes()
    {
        var scope = await PricingScope();
        var draft = await Policies(p => p.CreateDraftAsync(_author, scope.Id));
        var rule = "riskRules:\n  - id: four-eyes-test\n    when: inputs.customer == 'Four Eyes AB'\n    then: review\n    tier: 2\n    raiseRiskTo: critical\n";
        await Policies(p => p.SaveDraftAsync(_author, draft.Id, draft.Document.Replace("riskRules:\n", rule, StringComparison.Ordinal), "Four eyes for one customer."));
        await Policies(p => p.SubmitAsync(_author, draft.Id, null));
        await Policies(p => p.ApproveAsync(_board1, draft.Id, null));
        await Policies(p => p.ApproveAsync(_board2, draft.Id, null));

        var decision = await _harness.ProposeAsync(TestCases.UncertainPricing("Four Eyes AB"));
        Assert.Equal((RiskLevel.Critical, "SeniorOperator", 2), (decision.Risk, decision.ReviewRole, decision.ReviewersRequired));
        var sam = await _harness.ActorAsync("senior");
        var sienna = await _harness.ActorAsync("senior2");
        await using var services = _harness.Scope(DemoData.ContosoId);
        var decisions = services.ServiceProvider.GetRequiredService<DecisionService>();

        var first = await decisions.ApproveAsync(decision.Id, sam, "Checked the quote.");
        var again = await Assert.ThrowsAsync<DomainException>(() => decisions.ApproveAsync(decision.Id, sam, "Still fine."));
        Assert.Equal(DecisionStatus.Pending, first.Status);
        Assert.Equal("decision.already-approved", again.Code);
        Assert.DoesNotContain(decision.Id, _harness.Scheduler.Executions);

        var second = await decisions.ApproveAsync(decision.Id, sienna, "Agreed.");

        Assert.Equal(DecisionStatus.Approved, second.Status);
        Assert.Contains(decision.Id, _harness.Scheduler.Executions);
        var audit = await _harness.WithDbAsync(db => db.AuditEntries.AsNoTracking().Where(a => a.EntityId == decision.Id.ToString() && a.ActorKind == ActorKind.User).Select(a => a.Action).ToListAsync());
        Assert.Equal(["decision.approval-recorded", "decision.approved"], audit);
    }

    [Fact]
    public async Task ScheduledVersion_OvertakenByAnEmergencyRollback_NeverStarts()
    {
        var v1 = (await PricingScope()).ActiveVersionId!.Value;
        var v2 = await SubmittedStricterAsync();
        await Policies(p => p.ApproveAsync(_board1, v2.Id, null));
        await Policies(p => p.ApproveAsync(_board2, v2.Id, null));
        var v3 = await SubmittedStricterAsync(_clock.GetUtcNow().AddHours(1));
        await Policies(p => p.ApproveAsync(_board1, v3.Id, null));
        await Policies(p => p.ApproveAsync(_board2, v3.Id, null));

        var rollback = await Policies(p => p.EmergencyRollbackAsync(_admin, v1, "Stop the stricter routing now."));
        _clock.Advance(TimeSpan.FromHours(2));

        Assert.Equal(0, await Policies(p => p.ActivateDueAsync()));
        Assert.Equal(rollback.Id, (await PricingScope()).ActiveVersionId);
        Assert.Equal(PolicyVersionStatus.Withdrawn, (await Stored(v3.Id)).Status);
        Assert.Equal(DecisionStatus.AutoApproved, (await _harness.ProposeAsync(TestCases.ConfidentPricing())).Status);
    }

    [Fact]
    public async Task AnAgentsOwnPolicy_IsComparedWithItsUseCasePolicy_AndOnceInForce_RoutesThatAgent()
    {
        var agentScope = await Policies(p => p.CreateAgentScopeAsync(_author, "pricing"));
        var draft = await Policies(p => p.CreateDraftAsync(_author, agentScope.Id));
        await Policies(p => p.SaveDraftAsync(_author, draft.Id, draft.Document.Replace("minConfidence: 0.85", Stricter, StringComparison.Ordinal), "Stricter for this agent."));
        var useCaseV1 = (await PricingScope()).ActiveVersionId;
        await using (var scope = _harness.Scope(DemoData.ContosoId))
        {
            var detail = await scope.ServiceProvider.GetRequiredService<PolicyQueries>().VersionAsync(draft.Id);
            Assert.Equal(useCaseV1, detail!.BaselineId);
            var simulation = await scope.ServiceProvider.GetRequiredService<PolicySimulator>().SimulateAsync(draft.Id, new HashSet<string> { Roles.GovernanceBoard });
            Assert.Equal(1, simulation.CurrentNumber);
        }

        await Policies(p => p.SubmitAsync(_author, draft.Id, null));
        await Policies(p => p.ApproveAsync(_board1, draft.Id, null));
        await Policies(p => p.ApproveAsync(_board2, draft.Id, null));
        var decision = await _harness.ProposeAsync(TestCases.ConfidentPricing());

        Assert.Equal(draft.Id, decision.PolicyVersionId);
        Assert.Equal("policy:pricing v1", decision.RoutedBy);
        Assert.Equal(DecisionStatus.Pending, decision.Status);
    }
}
