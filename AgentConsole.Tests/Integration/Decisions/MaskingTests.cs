using AgentConsole.Domain;
using AgentConsole.Domain.Agents;
using AgentConsole.Domain.Audit;
using AgentConsole.Domain.Decisions;
using AgentConsole.Domain.Persistence;
using AgentConsole.Domain.Pipelines;
using AgentConsole.Domain.Policies;
using AgentConsole.Domain.Tenancy;
using AgentConsole.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AgentConsole.Tests.Integration.Decisions;

public sealed class SqliteMaskingTests() : MaskingTests(TestEngine.Sqlite);

public sealed class PostgreSqlMaskingTests() : MaskingTests(TestEngine.PostgreSql);

/// <summary>
/// Masking by the policy version that routed each decision, on every reading surface of the Domain, and reveals:
/// allowed, refused, audited. The default pricing policy hides the margin floor from operators and lets them reveal it.
/// </summary>
public abstract class MaskingTests(TestEngine engine) : IAsyncLifetime
{
    private static readonly HashSet<string> Operator = [Roles.Operator];
    private DomainHarness _harness = default!;

    public async Task InitializeAsync() => _harness = await DomainHarness.CreateAsync(engine: engine);

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    private Task<Guid> ActivatePricingAsync(string masking) =>
        PolicyVersions.ActivateAsync(_harness.Services, UseCase.DynamicPricing, d => PolicyVersions.WithMasking(d, masking));

    private async Task<T> Read<T>(Func<DecisionQueries, Task<T>> read)
    {
        await using var scope = _harness.Scope(DemoData.ContosoId);
        return await read(scope.ServiceProvider.GetRequiredService<DecisionQueries>());
    }

    private async Task<RevealedField> RevealAsync(Guid decisionId, string userName, string? field, string? reason)
    {
        var actor = await _harness.ActorAsync(userName);
        await using var scope = _harness.Scope(DemoData.ContosoId);
        return await scope.ServiceProvider.GetRequiredService<MaskedFieldReveal>().RevealAsync(decisionId, actor, field, reason);
    }

    private Task<List<AuditEntry>> RevealsAuditedAsync() =>
        _harness.WithDbAsync(db => db.AuditEntries.AsNoTracking().Where(a => a.Action == MaskedFieldReveal.AuditAction).ToListAsync());

    [Fact]
    public async Task ADecision_StaysMaskedByTheVersionThatRoutedIt_WhenANewerVersionInForceMasksNothing()
    {
        var routedByV1 = await _harness.ProposeAsync(TestCases.UncertainPricing("Older Routing AB"));
        await ActivatePricingAsync("");
        var routedByV2 = await _harness.ProposeAsync(TestCases.UncertainPricing("Newer Routing AB"));

        var older = await Read(q => q.GetAsync(routedByV1.Id, Operator));
        var newer = await Read(q => q.GetAsync(routedByV2.Id, Operator));

        Assert.Equal(["marginFloorPercent"], older!.MaskedInputs);
        Assert.Equal(PolicyMasking.Hidden, older.Inputs["marginFloorPercent"]!.GetValue<string>());
        Assert.Contains(older.View.Evidence, e => e is { Hidden: true, Text: "Hidden by policy: margin floor" });
        Assert.Empty(newer!.MaskedInputs);
        Assert.Contains(newer.View.Evidence, e => e.Text == "Margin floor allows at most 25 % discount.");
    }

    [Fact]
    public async Task ADecision_StaysAsItWasShown_WhenANewerVersionInForceMasksMore()
    {
        await ActivatePricingAsync("");
        var before = await _harness.ProposeAsync(TestCases.UncertainPricing("Before The Change AB"));
        await ActivatePricingAsync(PolicyVersions.Masking("quoteValueEur", "Operator"));
        var after = await _harness.ProposeAsync(TestCases.UncertainPricing("After The Change AB"));

        var routedBefore = await Read(q => q.GetAsync(before.Id, Operator));
        var routedAfter = await Read(q => q.GetAsync(after.Id, Operator));

        Assert.Empty(routedBefore!.MaskedInputs);
        Assert.Equal(20_000m, routedBefore.Inputs["quoteValueEur"]!.GetValue<decimal>());
        Assert.Equal(["quoteValueEur"], routedAfter!.MaskedInputs);
        Assert.Contains(routedAfter.View.Evidence, e => e is { Hidden: true, Text: "Hidden by policy: quote value" });
    }

    [Fact]
    public async Task ADecisionNoPolicyRouted_IsMaskedByThePolicyInForce()
    {
        var decision = await UnroutedDecisionAsync();

        var underV1 = await Read(q => q.GetAsync(decision, Operator));
        await ActivatePricingAsync("");
        var underV2 = await Read(q => q.GetAsync(decision, Operator));

        Assert.Equal(["marginFloorPercent"], underV1!.MaskedInputs);
        Assert.Empty(underV2!.MaskedInputs);
    }

    [Fact]
    public async Task QueueAndRunLists_MaskTheSubject_ByEachDecisionsRoutingVersion()
    {
        var shown = await _harness.ProposeAsync(TestCases.UncertainPricing("Visible Customer AB"));
        await ActivatePricingAsync(PolicyVersions.Masking("customer", "Operator, SeniorOperator"));
        var hidden = await _harness.ProposeAsync(TestCases.UncertainPricing("Secret Customer AB"));
        await using var scope = _harness.Scope(DemoData.ContosoId);
        var decisions = scope.ServiceProvider.GetRequiredService<DecisionQueries>();
        var agents = scope.ServiceProvider.GetRequiredService<AgentQueries>();

        var list = await decisions.ListOpenAsync(shown.QueueId!.Value, new DecisionFilter(), Operator);
        var row = await decisions.GetListItemAsync(hidden.Id, Operator);
        var runs = await agents.RecentRunsAsync(10, Operator);
        var run = await agents.GetRunAsync(hidden.RunId, Operator);
        var auditor = await decisions.GetListItemAsync(hidden.Id, new HashSet<string> { Roles.Auditor });

        Assert.Contains(list, i => i.Id == shown.Id && i.Subject == "Discount for Visible Customer AB");
        Assert.Contains(list, i => i.Id == hidden.Id && i.Subject == "Discount for •••");
        Assert.Equal("Discount for •••", row!.Subject);
        Assert.Contains(runs, r => r.Id == hidden.RunId && r.Subject == "Discount for •••");
        Assert.Contains(runs, r => r.Id == shown.RunId && r.Subject == "Discount for Visible Customer AB");
        Assert.Equal("Discount for •••", run!.Subject);
        Assert.Equal("Discount for Secret Customer AB", auditor!.Subject);
    }

    [Fact]
    public async Task TheSimulation_ListsFlippedDecisions_WithSubjectsMaskedForTheBoard()
    {
        await ActivatePricingAsync(PolicyVersions.Masking("customer", "GovernanceBoard"));
        var decision = await _harness.ProposeAsync(TestCases.ConfidentPricing());
        var board = await _harness.ActorAsync("board1");
        var author = await _harness.ActorAsync("author");
        await using var scope = _harness.Scope(DemoData.ContosoId);
        var policies = scope.ServiceProvider.GetRequiredService<PolicyService>();
        var scopeId = await _harness.WithDbAsync(db => db.PolicyVersions.Where(v => v.Id == decision.PolicyVersionId).Select(v => v.ScopeId).SingleAsync());
        var draft = await policies.CreateDraftAsync(author, scopeId);
        await policies.SaveDraftAsync(author, draft.Id, draft.Document.Replace("minConfidence: 0.85", "minConfidence: 0.99", StringComparison.Ordinal), "Stricter.");

        var simulation = await scope.ServiceProvider.GetRequiredService<PolicySimulator>().SimulateAsync(draft.Id, board.Roles);

        var flipped = Assert.Single(simulation.Flipped, f => f.DecisionId == decision.Id);
        Assert.Equal("Discount for •••", flipped.Subject);
    }

    [Fact]
    public async Task Reveal_ByARoleThePolicyLets_ShowsTheFieldAndItsEvidence_AndIsAuditedWithWhoWhichFieldAndWhy()
    {
        var decision = await _harness.ProposeAsync(TestCases.UncertainPricing("Reveal Me AB"));
        var olivia = await _harness.ActorAsync("operator");

        var revealed = await RevealAsync(decision.Id, "operator", "marginFloorPercent", "Checking the floor before approving a deep discount");
        var withReveal = await Read(q => q.GetAsync(decision.Id, olivia.Roles, [revealed.Reveal]));
        var nextVisit = await Read(q => q.GetAsync(decision.Id, olivia.Roles));

        Assert.Equal(25.0, revealed.Value!.GetValue<double>());
        Assert.Equal("Margin floor", revealed.Label);
        Assert.Equal(["Margin floor allows at most 25 % discount."], revealed.Evidence);
        Assert.Equal(25.0, withReveal!.Inputs["marginFloorPercent"]!.GetValue<double>());
        Assert.Equal(["marginFloorPercent"], withReveal.View.Mask.Revealed);
        Assert.DoesNotContain(withReveal.View.Evidence, e => e.Hidden);
        Assert.Equal(PolicyMasking.Hidden, nextVisit!.Inputs["marginFloorPercent"]!.GetValue<string>());
        var audit = Assert.Single(await RevealsAuditedAsync());
        Assert.Equal((olivia.Id, "Olivia Operator", "decision", decision.Id.ToString()), (audit.ActorId, audit.ActorName, audit.EntityType, audit.EntityId));
        Assert.Equal("Checking the floor before approving a deep discount", audit.Reason);
        Assert.Equal("""{"Field":"marginFloorPercent"}""", audit.AfterJson);
        var history = Assert.Single(nextVisit.Audit, h => h.Action == MaskedFieldReveal.AuditAction);
        Assert.Equal(("marginFloorPercent", "Olivia Operator"), (history.Field, history.ActorName));
    }

    [Fact]
    public async Task Reveal_IsRefused_AndNothingIsAudited_WhenThePolicyDoesNotLetTheRole_TheFieldIsNotHidden_OrNoReasonIsGiven()
    {
        await ActivatePricingAsync(PolicyVersions.Masking("marginFloorPercent", "Operator, Auditor", "Operator"));
        var decision = await _harness.ProposeAsync(TestCases.UncertainPricing("Refuse Me AB"));

        var auditor = await Assert.ThrowsAsync<DomainException>(() => RevealAsync(decision.Id, "auditor", "marginFloorPercent", "Curious"));
        var senior = await Assert.ThrowsAsync<DomainException>(() => RevealAsync(decision.Id, "senior", "marginFloorPercent", "Curious"));
        var unknown = await Assert.ThrowsAsync<DomainException>(() => RevealAsync(decision.Id, "operator", "quoteValueEur", "Curious"));
        var noReason = await Assert.ThrowsAsync<DomainException>(() => RevealAsync(decision.Id, "operator", "marginFloorPercent", "  "));
        var trainee = await Assert.ThrowsAsync<DomainException>(() => RevealAsync(decision.Id, "trainee", "marginFloorPercent", "Curious"));
        var otherTenant = await Assert.ThrowsAsync<DomainException>(() => RevealAsync(decision.Id, "fabrikam", "marginFloorPercent", "Curious"));

        Assert.Equal((DomainErrorKind.Forbidden, "reveal.not-allowed"), (auditor.Kind, auditor.Code));
        Assert.Equal("The policy that routed this decision does not let your role reveal the margin floor.", auditor.Message);
        Assert.Equal((DomainErrorKind.Invalid, "reveal.not-masked"), (senior.Kind, senior.Code));
        Assert.Equal((DomainErrorKind.Invalid, "reveal.not-masked"), (unknown.Kind, unknown.Code));
        Assert.Contains("field", unknown.FieldErrors.Keys);
        Assert.Equal((DomainErrorKind.Invalid, "reveal.reason"), (noReason.Kind, noReason.Code));
        Assert.Contains("reason", noReason.FieldErrors.Keys);
        Assert.Equal(DomainErrorKind.Forbidden, trainee.Kind);
        Assert.Equal(DomainErrorKind.NotFound, otherTenant.Kind);
        Assert.Empty(await RevealsAuditedAsync());
    }

    [Fact]
    public async Task ARevealOfOneDecision_ShowsNothingOnAnother()
    {
        var first = await _harness.ProposeAsync(TestCases.UncertainPricing("First Reveal AB"));
        var second = await _harness.ProposeAsync(TestCases.UncertainPricing("Second Reveal AB"));
        var revealed = await RevealAsync(first.Id, "operator", "marginFloorPercent", "Needed for the first one");

        var other = await Read(q => q.GetAsync(second.Id, Operator, [revealed.Reveal]));

        Assert.Equal(PolicyMasking.Hidden, other!.Inputs["marginFloorPercent"]!.GetValue<string>());
        Assert.Empty(other.View.Mask.Revealed);
    }

    /// <summary>A pricing decision recorded without a routing policy, as before policies existed.</summary>
    private async Task<Guid> UnroutedDecisionAsync()
    {
        var c = TestCases.UncertainPricing("No Policy Yet AB");
        await using var scope = _harness.Scope(DemoData.ContosoId);
        await using var db = scope.ServiceProvider.GetRequiredService<IAgentConsoleDbFactory>().Create();
        var agent = await db.Agents.Include(a => a.Versions).SingleAsync(a => a.Key == "pricing");
        var queues = await db.Queues.Where(q => q.UseCase == UseCase.DynamicPricing).OrderBy(q => q.Tier).ToListAsync();
        var proposal = await new Domain.Agents.BuiltIn.DynamicPricingAgent().ProposeAsync(c.Inputs, CancellationToken.None);
        var now = DateTimeOffset.UtcNow;
        var run = new PipelineRun(Guid.NewGuid(), DemoData.ContosoId, agent.Id, agent.UseCase, c.Subject, c.Inputs.ToJsonString(), c.Truth.ToJsonString(), null, now);
        run.StartAttempt(now);
        var decision = Decision.Propose(Guid.NewGuid(), run.Id, agent, agent.Versions.Single(v => v.Version == agent.CurrentVersion), c.Subject, c.Inputs, proposal,
            PolicyDecisionRouter.NoPolicy(UseCase.DynamicPricing, queues), now);
        run.Proposed(decision.Id, true, false, now);
        db.Runs.Add(run);
        db.Decisions.Add(decision);
        await db.SaveChangesAsync();
        Assert.Null(decision.PolicyVersionId);
        return decision.Id;
    }
}
