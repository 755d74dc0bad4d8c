using System.Text.Json.Nodes;
using AgentConsole.Domain;
using AgentConsole.Domain.Agents;
using AgentConsole.Domain.Agents.BuiltIn;
using AgentConsole.Domain.Decisions;
using AgentConsole.Domain.Policies;
using AgentConsole.Domain.Tenancy;
using AgentConsole.Domain.Training.Scenarios;
using AgentConsole.Domain.Training.Tracks;
using AgentConsole.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AgentConsole.Tests.Integration.Training;

public sealed class SqliteTrainingAuthoringTests() : TrainingAuthoringTests(TestEngine.Sqlite);

public sealed class PostgreSqlTrainingAuthoringTests() : TrainingAuthoringTests(TestEngine.PostgreSql);

/// <summary>Trainers build tracks on a real database: settings and scenarios checked field by field, generation, masked import, freezing, roles and tenants.</summary>
public abstract class TrainingAuthoringTests(TestEngine engine) : IAsyncLifetime
{
    private DomainHarness _harness = default!;
    private Actor _trainer = default!;

    public async Task InitializeAsync()
    {
        _harness = await DomainHarness.CreateAsync(engine: engine);
        _trainer = await _harness.ActorAsync("trainer");
    }

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    private async Task<T> Tracks<T>(Func<TrackAuthoring, Task<T>> act, Guid? tenantId = null)
    {
        await using var scope = _harness.Scope(tenantId ?? DemoData.ContosoId);
        return await act(scope.ServiceProvider.GetRequiredService<TrackAuthoring>());
    }

    private async Task<T> Library<T>(Func<ScenarioLibrary, Task<T>> act, Guid? tenantId = null)
    {
        await using var scope = _harness.Scope(tenantId ?? DemoData.ContosoId);
        return await act(scope.ServiceProvider.GetRequiredService<ScenarioLibrary>());
    }

    private static TrackSettings Settings(string key) => new(key, "Invoice reviewer", "Holds and blocks.", key, 80, 15, 2, 180);

    private async Task<(Track Track, Guid ExerciseId)> DraftAsync(string key = "invoice-reviewer")
    {
        var track = await Tracks(t => t.CreateAsync(Settings(key), _trainer));
        track = await Tracks(t => t.AddExerciseAsync(track.Id, "Bank changes", "", _trainer));
        return (track, track.Exercises.Single().Id);
    }

    private Task<Guid> AgentIdAsync(string key) => _harness.WithDbAsync(db => db.Agents.Where(a => a.Key == key).Select(a => a.Id).SingleAsync());

    private static WrittenScenario Pricing(Guid agentId) => new(
        agentId, "Discount for Written Case AB", TestCases.UncertainPricing("Written Case AB").Inputs,
        new JsonObject { ["discountPercent"] = 7.5 }, 0.62, GoldAction.Override, new JsonObject { ["discountPercent"] = "4.5" }, "Few comparable deals: stay near the competitor gap.");

    [Fact]
    public async Task DemoTenant_StartsWithAPublishedPricingTrack_AndADraft()
    {
        var list = await Tracks(t => t.ListAsync(_trainer));

        var pricing = Assert.Single(list, t => t.Key == DemoTracks.PricingKey);
        Assert.Equal((TrackState.Published, "pricing-reviewer", 1, 10), (pricing.State, pricing.CertificationKey, pricing.Exercises, pricing.Scenarios));
        Assert.Contains(list, t => t.State == TrackState.Draft);
        var track = await Tracks(t => t.GetAsync(pricing.Id, _trainer));
        Assert.Equal((80, 20, 3, 365), (track.PassMarkPercent, track.TimeLimitMinutes, track.AttemptsAllowed, track.ValidityDays));
        Assert.Equal(3, track.Exercises.Single().Scenarios.Count(s => s.GoldAction != GoldAction.Approve));
    }

    [Fact]
    public async Task Create_WithBadSettings_IsRefusedNamingTheFields_AndSavesNothing()
    {
        var before = await _harness.WithDbAsync(db => db.TrainingTracks.CountAsync());

        var ex = await Assert.ThrowsAsync<DomainException>(() => Tracks(t => t.CreateAsync(Settings("x") with { TimeLimitMinutes = 0 }, _trainer)));
        var taken = await Assert.ThrowsAsync<DomainException>(() => Tracks(t => t.CreateAsync(Settings(DemoTracks.PricingKey), _trainer)));

        Assert.Equal(["certificationKey", "key", "timeLimitMinutes"], ex.FieldErrors.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(["key"], taken.FieldErrors.Keys);
        Assert.Equal(before, await _harness.WithDbAsync(db => db.TrainingTracks.CountAsync()));
    }

    [Fact]
    public async Task WrittenScenario_WithInvalidInputsOrValues_IsRefusedNamingEachField_AndSavesNothing()
    {
        var (track, exerciseId) = await DraftAsync();
        var agentId = await AgentIdAsync("pricing");
        var inputs = TestCases.UncertainPricing().Inputs;
        inputs["quoteValueEur"] = -5;
        inputs["segment"] = "Galactic";
        var bad = Pricing(agentId) with
        {
            Inputs = inputs,
            Proposal = new JsonObject { ["discountPercent"] = 99 },
            Confidence = 1.4,
            GoldValues = new JsonObject { ["discountPercent"] = "4.7" },
            Explanation = " ",
        };

        var ex = await Assert.ThrowsAsync<DomainException>(() => Library(l => l.AddWrittenAsync(track.Id, exerciseId, bad, _trainer)));

        Assert.Equal(
            ["confidence", "explanation", "goldValues.discountPercent", "inputs.quoteValueEur", "inputs.segment", "proposal.discountPercent"],
            ex.FieldErrors.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("Discount must be in steps of 0.5 %, e.g. 4.5 or 5.", ex.FieldErrors["goldValues.discountPercent"][0]);
        Assert.Equal(0, await _harness.WithDbAsync(db => db.TrainingScenarios.CountAsync(s => s.ExerciseId == exerciseId)));
    }

    [Fact]
    public async Task WrittenScenario_IsSavedWithItsGold_AndAudited()
    {
        var (track, exerciseId) = await DraftAsync();

        var scenario = await Library(async l => await l.AddWrittenAsync(track.Id, exerciseId, Pricing(await AgentIdAsync("pricing")), _trainer));

        var saved = await _harness.WithDbAsync(db => db.TrainingScenarios.AsNoTracking().SingleAsync(s => s.Id == scenario.Id));
        Assert.Equal((ScenarioSource.Written, GoldAction.Override, 4.5m), (saved.Source, saved.GoldAction, saved.GoldValues!["discountPercent"]!.GetValue<decimal>()));
        Assert.True(await _harness.WithDbAsync(db => db.AuditEntries.AnyAsync(a => a.Action == "training.scenario-written" && a.EntityId == scenario.Id.ToString() && a.ActorId == _trainer.Id)));
    }

    [Fact]
    public async Task Generate_TakesGoldFromTheGeneratorsTrueAnswer()
    {
        var (track, exerciseId) = await DraftAsync();
        var agentId = await AgentIdAsync("pricing");

        var scenarios = await Library(l => l.GenerateAsync(track.Id, exerciseId, agentId, 12, _trainer, seed: 4242));

        // The same seed gives the same cases: the generator's true answers to hold gold against.
        var generator = new SyntheticCaseGenerator(new Random(4242));
        var schema = ProposalSchema.DynamicPricing;
        Assert.Equal(12, scenarios.Count);
        foreach (var scenario in scenarios)
        {
            var truth = generator.Next(UseCase.DynamicPricing);
            Assert.True(JsonNode.DeepEquals(truth.Inputs, scenario.Inputs));
            var trueDiscount = truth.Truth["discountPercent"]!.GetValue<decimal>();
            if (scenario.GoldAction == GoldAction.Approve)
            {
                Assert.True(schema.SameOutcome(scenario.Proposal, truth.Truth));
            }
            else
            {
                Assert.Equal(GoldAction.Override, scenario.GoldAction);
                Assert.False(schema.SameOutcome(scenario.Proposal, truth.Truth));
                Assert.Equal(schema.Fields[0].Snap(trueDiscount), scenario.GoldValues!["discountPercent"]!.GetValue<decimal>());
            }
        }

        Assert.Contains(scenarios, s => s.GoldAction == GoldAction.Override);
        Assert.All(scenarios, s => Assert.Equal(ScenarioSource.Generated, s.Source));
    }

    [Fact]
    public async Task Import_MasksWhatThePolicyHidesFromTrainees_AndNeverCopiesTheHiddenValues()
    {
        await PolicyVersions.ActivateAsync(_harness.Services, UseCase.DynamicPricing, d => PolicyVersions.WithMasking(d,
            "masking:\n  - field: inputs.customer\n    roles: [Trainee]\n  - field: inputs.quoteValueEur\n    roles: [Trainee]\n"));
        var decision = await _harness.ProposeAsync(TestCases.UncertainPricing("Hidden Customer AB"));
        var reviewer = await _harness.ActorAsync("operator");
        await using (var scope = _harness.Scope(DemoData.ContosoId))
        {
            var decisions = scope.ServiceProvider.GetRequiredService<DecisionService>();
            await decisions.ClaimAsync(decision.Id, reviewer);
            await decisions.ApproveAsync(decision.Id, reviewer, "Fine for Hidden Customer AB.");
        }

        var (track, exerciseId) = await DraftAsync();
        var found = await Library(l => l.SearchResolvedAsync(_trainer, UseCase.DynamicPricing, null, null));
        var imported = Assert.Single(await Library(l => l.ImportAsync(track.Id, exerciseId, [decision.Id], ImportGold.FinalVerdict, _trainer)));

        var listed = Assert.Single(found, f => f.DecisionId == decision.Id);
        Assert.DoesNotContain("Hidden Customer AB", listed.Subject, StringComparison.Ordinal);
        var saved = await _harness.WithDbAsync(db => db.TrainingScenarios.AsNoTracking().SingleAsync(s => s.Id == imported.Id));
        Assert.Equal(PolicyMasking.Hidden, saved.Inputs["quoteValueEur"]!.GetValue<string>());
        Assert.Equal(PolicyMasking.Hidden, saved.Inputs["customer"]!.GetValue<string>());
        foreach (var text in new[] { saved.Subject, saved.InputsJson, saved.ProposalJson, saved.GoldValuesJson ?? "", saved.Explanation })
        {
            Assert.DoesNotContain("Hidden Customer AB", text, StringComparison.Ordinal);
            Assert.DoesNotContain("20000", text, StringComparison.Ordinal);
        }

        Assert.Equal(["customer", "quoteValueEur"], saved.MaskedFields.Order(StringComparer.Ordinal));
        Assert.Equal((ScenarioSource.Imported, GoldAction.Approve, decision.Id), (saved.Source, saved.GoldAction, saved.SourceDecisionId));
        Assert.Equal(25.0, saved.Inputs["marginFloorPercent"]!.GetValue<double>());
    }

    [Fact]
    public async Task Import_WithTheTrueAnswer_TakesGoldFromTheCasesTruth()
    {
        var decision = await _harness.ProposeAsync(TestCases.UncertainPricing("Truth Buyer AB"));
        var reviewer = await _harness.ActorAsync("operator");
        await using (var scope = _harness.Scope(DemoData.ContosoId))
        {
            var decisions = scope.ServiceProvider.GetRequiredService<DecisionService>();
            await decisions.ClaimAsync(decision.Id, reviewer);
            await decisions.RejectAsync(decision.Id, reviewer, "Not convinced.");
        }

        var (track, exerciseId) = await DraftAsync();
        var second = (await Tracks(t => t.AddExerciseAsync(track.Id, "By the true answer", "", _trainer))).Exercises[1].Id;
        var byVerdict = Assert.Single(await Library(l => l.ImportAsync(track.Id, exerciseId, [decision.Id], ImportGold.FinalVerdict, _trainer)));
        var again = await Assert.ThrowsAsync<DomainException>(() => Library(l => l.ImportAsync(track.Id, exerciseId, [decision.Id], ImportGold.TrueAnswer, _trainer)));
        var byTruth = Assert.Single(await Library(l => l.ImportAsync(track.Id, second, [decision.Id], ImportGold.TrueAnswer, _trainer)));

        Assert.Equal("One of the picked decisions is already in this exercise.", again.FieldErrors["decisionIds"][0]);
        Assert.Equal(GoldAction.Reject, byVerdict.GoldAction);
        var expected = ScenarioLibrary.FromTruth(UseCase.DynamicPricing, decision.Proposal, TestCases.UncertainPricing().Truth);
        Assert.Equal(expected.Action, byTruth.GoldAction);
    }

    [Fact]
    public async Task APublishedTrack_IsFrozen_AndChangesThroughItsNextVersion()
    {
        var (track, exerciseId) = await DraftAsync();
        var agentId = await AgentIdAsync("invoices");
        await Library(l => l.GenerateAsync(track.Id, exerciseId, agentId, 3, _trainer, seed: 7));
        await Tracks(t => t.PublishAsync(track.Id, _trainer));

        var frozen = new Func<Task>[]
        {
            () => Tracks(t => t.ChangeAsync(track.Id, Settings("invoice-reviewer") with { PassMarkPercent = 50 }, null, _trainer)),
            () => Tracks(t => t.AddExerciseAsync(track.Id, "More", "", _trainer)),
            () => Library(l => l.GenerateAsync(track.Id, exerciseId, agentId, 1, _trainer)),
        };
        foreach (var change in frozen)
        {
            Assert.Equal("training.track-frozen", (await Assert.ThrowsAsync<DomainException>(change)).Code);
        }

        var next = await Tracks(t => t.StartNextVersionAsync(track.Id, _trainer));
        Assert.Equal((2, TrackState.Draft, 3), (next.Version, next.State, next.ScenarioCount));
        await Tracks(t => t.ChangeAsync(next.Id, Settings("invoice-reviewer") with { PassMarkPercent = 90 }, next.Revision, _trainer));
        await Tracks(t => t.PublishAsync(next.Id, _trainer));

        var first = await Tracks(t => t.GetAsync(track.Id, _trainer));
        Assert.Equal((TrackState.Retired, 80, 3), (first.State, first.PassMarkPercent, first.ScenarioCount));
        Assert.Equal(90, (await Tracks(t => t.GetAsync(next.Id, _trainer))).PassMarkPercent);
    }

    [Fact]
    public async Task OnlyTrainers_MayBuildTracks()
    {
        var pricing = (await Tracks(t => t.ListAsync(_trainer))).Single(t => t.Key == DemoTracks.PricingKey);
        foreach (var userName in new[] { "operator", "senior", "trainee", "auditor", "admin" })
        {
            var actor = await _harness.ActorAsync(userName);
            Assert.Equal(DomainErrorKind.Forbidden, (await Assert.ThrowsAsync<DomainException>(() => Tracks(t => t.ListAsync(actor)))).Kind);
            Assert.Equal(DomainErrorKind.Forbidden, (await Assert.ThrowsAsync<DomainException>(() => Tracks(t => t.GetAsync(pricing.Id, actor)))).Kind);
            Assert.Equal(DomainErrorKind.Forbidden, (await Assert.ThrowsAsync<DomainException>(() => Tracks(t => t.CreateAsync(Settings("x-" + userName), actor)))).Kind);
            Assert.Equal(DomainErrorKind.Forbidden, (await Assert.ThrowsAsync<DomainException>(() => Library(l => l.SearchResolvedAsync(actor, null, null, null)))).Kind);
        }
    }

    [Fact]
    public async Task AnotherTenantsTracksAndDecisions_DoNotExist()
    {
        var fabrikamTrainer = Actor.User(Guid.NewGuid(), "Fabrikam Trainer", DemoData.FabrikamId, [Roles.Trainer]);
        var contosoTrack = (await Tracks(t => t.ListAsync(_trainer))).Single(t => t.Key == DemoTracks.PricingKey);
        var (draft, exerciseId) = await DraftAsync();
        var fabrikamDecision = await _harness.ProposeAsync(TestCases.UncertainPricing("Fabrikam Only Oy"), tenantId: DemoData.FabrikamId);

        Assert.Equal(DomainErrorKind.NotFound, (await Assert.ThrowsAsync<DomainException>(() => Tracks(t => t.GetAsync(contosoTrack.Id, fabrikamTrainer), DemoData.FabrikamId))).Kind);
        Assert.Equal(DomainErrorKind.NotFound, (await Assert.ThrowsAsync<DomainException>(() => Tracks(t => t.PublishAsync(draft.Id, fabrikamTrainer), DemoData.FabrikamId))).Kind);
        Assert.Equal(DomainErrorKind.NotFound, (await Assert.ThrowsAsync<DomainException>(
            () => Library(l => l.ImportAsync(draft.Id, exerciseId, [fabrikamDecision.Id], ImportGold.FinalVerdict, _trainer)))).Kind);
        Assert.DoesNotContain((await Tracks(t => t.ListAsync(fabrikamTrainer), DemoData.FabrikamId)), t => t.Id == contosoTrack.Id || t.Id == draft.Id);
        Assert.Equal(2, (await Tracks(t => t.ListAsync(fabrikamTrainer), DemoData.FabrikamId)).Count);
    }
}
