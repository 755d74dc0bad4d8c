using AgentConsole.Domain.Decisions;
using AgentConsole.Domain.Tenancy;
using AgentConsole.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AgentConsole.Tests.Integration.Decisions;

public sealed class SqliteBlindFourEyesTests() : BlindFourEyesTests(TestEngine.Sqlite);

public sealed class PostgreSqlBlindFourEyesTests() : BlindFourEyesTests(TestEngine.PostgreSql);

/// <summary>
/// Four-eyes is blind: while a decision needing two reviewers is open, a reviewer who has not given their verdict sees
/// nothing of the other's — not on the page's read, the list rows, the lineage or the live message — and sees it once
/// they have given theirs; people who do not review (auditors) see everything.
/// </summary>
public abstract class BlindFourEyesTests(TestEngine engine) : IAsyncLifetime
{
    private DomainHarness _harness = default!;
    private Actor _olivia = default!;
    private Actor _omar = default!;
    private Actor _auditor = default!;

    public async Task InitializeAsync()
    {
        _harness = await DomainHarness.CreateAsync(engine: engine);
        _olivia = await _harness.ActorAsync("operator");
        _omar = await _harness.ActorAsync("operator2");
        _auditor = await _harness.ActorAsync("auditor");
    }

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    private async Task<T> As<T>(Func<IServiceProvider, Task<T>> act)
    {
        await using var scope = _harness.Scope(DemoData.ContosoId);
        return await act(scope.ServiceProvider);
    }

    [Fact]
    public async Task AReviewerWhoHasNotGivenTheirVerdict_SeesNothingOfTheOther_UntilTheyGiveIt()
    {
        var decision = await _harness.ProposeAsync(TestCases.UncertainPricing("Blind Review AB"));
        await _harness.WithDbAsync(db => db.Decisions.Where(d => d.Id == decision.Id).ExecuteUpdateAsync(s => s.SetProperty(d => d.ReviewersRequired, 2)));
        var published = new List<DecisionEvent>();
        using (_harness.Services.GetRequiredService<DecisionEventBus>().Subscribe(e =>
        {
            lock (published)
            {
                published.Add(e);
            }

            return Task.CompletedTask;
        }))
        {
            await As(s => s.GetRequiredService<DecisionService>().ApproveAsync(decision.Id, _olivia, "Looks right to me"));
        }

        // The live message says something changed, not who gave which verdict.
        Assert.Equal("a reviewer", Assert.Single(published, e => e.DecisionId == decision.Id).ActorName);

        var omarSees = (await As(s => s.GetRequiredService<DecisionQueries>().GetForAsync(decision.Id, _omar)))!;
        Assert.DoesNotContain(omarSees.Reviews, r => r.Action == ReviewAction.Approved);
        var hidden = Assert.Single(omarSees.Audit, e => e.Action == DecisionQueries.HiddenVerdictAction);
        Assert.Null(hidden.Reason);
        Assert.DoesNotContain(omarSees.Audit, e => e.ActorName == _olivia.Name || (e.Reason ?? "").Contains("Looks right", StringComparison.Ordinal));

        var rows = await As(s => s.GetRequiredService<DecisionQueries>().ListOpenAsync(decision.QueueId!.Value, new DecisionFilter(null, null, null, null, DecisionSort.DueAt), _omar.Roles));
        var row = Assert.Single(DecisionQueries.BlindFor(_omar, rows), r => r.Id == decision.Id);
        Assert.True(row.VerdictsHidden);
        Assert.Null(row.ApproverIdsCsv);

        var lineage = (await As(s => s.GetRequiredService<DecisionLineageQueries>().GetAsync(decision.Id, _omar)))!;
        Assert.DoesNotContain(lineage.Reviews, r => r.ActorName == _olivia.Name);
        Assert.DoesNotContain(lineage.Records, r => r.Action == Decision.ApprovalRecordedAction);

        // The one who approved sees their own verdict; someone who does not review (an auditor) sees it all.
        var oliviaSees = (await As(s => s.GetRequiredService<DecisionQueries>().GetForAsync(decision.Id, _olivia)))!;
        Assert.Contains(oliviaSees.Audit, e => e.Action == Decision.ApprovalRecordedAction && e.ActorName == _olivia.Name);
        Assert.False(DecisionQueries.BlindFor(_olivia, rows).Single(r => r.Id == decision.Id).VerdictsHidden);
        var auditorSees = (await As(s => s.GetRequiredService<DecisionQueries>().GetForAsync(decision.Id, _auditor)))!;
        Assert.Contains(auditorSees.Audit, e => e.Action == Decision.ApprovalRecordedAction);

        // Once Omar gives his, the decision is resolved and nothing is hidden from anyone.
        await As(s => s.GetRequiredService<DecisionService>().ApproveAsync(decision.Id, _omar, "Agreed"));
        var after = (await As(s => s.GetRequiredService<DecisionQueries>().GetForAsync(decision.Id, _omar)))!;
        Assert.Equal(DecisionStatus.Approved, after.Decision.Status);
        Assert.Contains(after.Audit, e => e.Action == Decision.ApprovalRecordedAction && e.ActorName == _olivia.Name);
    }
}
