using System.Data.Common;
using AgentConsole.Domain;
using AgentConsole.Domain.Decisions;
using AgentConsole.Domain.Tenancy;
using AgentConsole.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AgentConsole.Tests.Integration.Queues;

public sealed class SqliteQueuePagingTests() : QueuePagingTests(TestEngine.Sqlite);

public sealed class PostgreSqlQueuePagingTests() : QueuePagingTests(TestEngine.PostgreSql);

/// <summary>A queue read a page at a time by the database: every order and filter, the count, J/K neighbours, and the indexes the queries run on.</summary>
public abstract class QueuePagingTests(TestEngine engine) : IAsyncLifetime
{
    private static readonly Guid PricingQueue = ConsoleFactory.QueueId("pricing-t1");
    private DomainHarness _harness = default!;
    private Actor _olivia = default!;

    public async Task InitializeAsync()
    {
        _harness = await DomainHarness.CreateAsync(engine: engine);
        _olivia = await _harness.ActorAsync("operator");
    }

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    private async Task<T> Queries<T>(Func<DecisionQueries, Task<T>> read)
    {
        await using var scope = _harness.Scope(DemoData.ContosoId);
        return await read(scope.ServiceProvider.GetRequiredService<DecisionQueries>());
    }

    private async Task<List<Decision>> ProposeAsync(int count)
    {
        var proposed = new List<Decision>();
        for (var i = 0; i < count; i++)
        {
            proposed.Add(await _harness.ProposeAsync(TestCases.UncertainPricing($"Buyer {i:00}")));
        }

        return proposed;
    }

    [Fact]
    public async Task PagesTogether_AreTheWholeQueue_InEachOrder_WithTheCountOfWhatMatches()
    {
        await ProposeAsync(13);

        foreach (var sort in Enum.GetValues<DecisionSort>())
        {
            foreach (var filter in new[] { new DecisionFilter(Sort: sort), new DecisionFilter(MinRisk: RiskLevel.Medium, MaxConfidence: 0.9, Sort: sort) })
            {
                var all = await Queries(q => q.ListOpenAsync(PricingQueue, filter, _olivia.Roles));
                var paged = new List<DecisionListItem>();
                for (var offset = 0; ; offset += 5)
                {
                    var page = await Queries(q => q.PageOpenAsync(PricingQueue, filter, offset, 5, _olivia.Roles));
                    Assert.Equal(all.Count, page.Total);
                    paged.AddRange(page.Items);
                    if (!page.HasMore)
                    {
                        break;
                    }
                }

                Assert.Equal(all.Select(i => i.Id), paged.Select(i => i.Id));
                Assert.All(all, i => Assert.True(filter.Matches(i)));

                // The database orders as the list orders rows in memory (live arrivals are placed with it).
                Assert.Equal(filter.Order(all).Select(i => i.Id), all.Select(i => i.Id));
            }
        }
    }

    [Fact]
    public async Task AFilterOnRisk_KeepsTheLevelsAtOrAboveIt()
    {
        var decisions = await ProposeAsync(6);
        await _harness.WithDbAsync(db => db.Decisions.Where(d => d.Id == decisions[0].Id).ExecuteUpdateAsync(s => s.SetProperty(d => d.Risk, RiskLevel.Critical)));
        await _harness.WithDbAsync(db => db.Decisions.Where(d => d.Id == decisions[1].Id).ExecuteUpdateAsync(s => s.SetProperty(d => d.Risk, RiskLevel.Low)));

        var page = await Queries(q => q.PageOpenAsync(PricingQueue, new DecisionFilter(MinRisk: RiskLevel.High), 0, 25, _olivia.Roles));

        var all = await Queries(q => q.ListOpenAsync(PricingQueue, new DecisionFilter(), _olivia.Roles));
        Assert.Equal(all.Where(i => i.Risk >= RiskLevel.High).Select(i => i.Id).Order(), page.Items.Select(i => i.Id).Order());
        Assert.Contains(page.Items, i => i.Id == decisions[0].Id);
        Assert.DoesNotContain(page.Items, i => i.Id == decisions[1].Id);
    }

    [Fact]
    public async Task APageOutOfRange_IsRefusedNamingTheField()
    {
        var offset = await Assert.ThrowsAsync<DomainException>(() => Queries(q => q.PageOpenAsync(PricingQueue, new DecisionFilter(), -1, 25, _olivia.Roles)));
        Assert.Equal(["offset"], offset.FieldErrors.Keys);
        var limit = await Assert.ThrowsAsync<DomainException>(() => Queries(q => q.PageOpenAsync(PricingQueue, new DecisionFilter(), 0, DecisionQueries.MaxPageSize + 1, _olivia.Roles)));
        Assert.Equal(["limit"], limit.FieldErrors.Keys);
        Assert.Equal(DomainErrorKind.Invalid, limit.Kind);

        var beyond = await Queries(q => q.PageOpenAsync(PricingQueue, new DecisionFilter(), 1_000, 25, _olivia.Roles));
        Assert.Empty(beyond.Items);
        Assert.False(beyond.HasMore);
    }

    [Fact]
    public async Task NextAndPrevious_WalkTheQueueInItsOrder_ThroughItemsDueAtTheSameMoment()
    {
        var decisions = await ProposeAsync(7);

        // Four items due at one moment with one priority: told apart by id, as the list orders them.
        var tie = decisions[2].DueAt!.Value;
        var tied = decisions.Skip(2).Take(4).Select(d => d.Id).ToList();
        await _harness.WithDbAsync(db => db.Decisions.Where(d => tied.Contains(d.Id)).ExecuteUpdateAsync(s => s.SetProperty(d => d.DueAt, tie).SetProperty(d => d.Priority, 2)));
        var order = (await Queries(q => q.ListOpenAsync(PricingQueue, new DecisionFilter(), _olivia.Roles))).Select(i => i.Id).ToList();

        var walked = new List<Guid> { order[0] };
        while ((await Queries(q => q.AroundAsync(PricingQueue, walked[^1]))).Next is { } next)
        {
            walked.Add(next);
            Assert.True(walked.Count <= order.Count, "The walk went round in a circle.");
        }

        Assert.Equal(order, walked);
        var back = new List<Guid> { order[^1] };
        while ((await Queries(q => q.AroundAsync(PricingQueue, back[^1]))).Previous is { } previous)
        {
            back.Add(previous);
            Assert.True(back.Count <= order.Count, "The walk went round in a circle.");
        }

        Assert.Equal(Enumerable.Reverse(order), back);

        // A decision no longer in the queue has no previous; its next is the queue's first.
        Assert.Equal((null, order[0]), await Queries(q => q.AroundAsync(PricingQueue, Guid.NewGuid())));
    }

    [Theory]
    [InlineData(DecisionSort.DueAt, "IX_Decisions_Open_Due")]
    [InlineData(DecisionSort.Priority, "IX_Decisions_Open_Priority")]
    [InlineData(DecisionSort.ConfidenceAscending, "IX_Decisions_Open_Confidence")]
    [InlineData(DecisionSort.Newest, "IX_Decisions_Open_Created")]
    [InlineData(DecisionSort.Oldest, "IX_Decisions_Open_Created")]
    public async Task EachOrder_IsReadThroughItsIndexOverOpenDecisions(DecisionSort sort, string index)
    {
        await ProposeAsync(3);

        var plan = await _harness.WithDbAsync(async db =>
        {
            await using var command = DecisionQueries.PageQuery(db, PricingQueue, new DecisionFilter(Sort: sort)).Skip(25).Take(25).CreateDbCommand();
            await db.Database.OpenConnectionAsync();
            if (engine == TestEngine.PostgreSql)
            {
                // A table this small is cheaper to scan: the plan is asked whether the index can serve the query at all.
                await db.Database.ExecuteSqlRawAsync("SET enable_seqscan = off");
            }

            command.CommandText = (engine == TestEngine.Sqlite ? "EXPLAIN QUERY PLAN " : "EXPLAIN ") + command.CommandText;
            return await ReadAllAsync(command);
        });

        Assert.Contains(index, plan, StringComparison.Ordinal);
        if (engine == TestEngine.Sqlite)
        {
            // Read in the index's order: no sorting step over the queue.
            Assert.DoesNotContain("TEMP B-TREE FOR ORDER BY", plan, StringComparison.Ordinal);
        }
    }

    private static async Task<string> ReadAllAsync(DbCommand command)
    {
        await using var reader = await command.ExecuteReaderAsync();
        var lines = new List<string>();
        while (await reader.ReadAsync())
        {
            lines.Add(string.Join(" ", Enumerable.Range(0, reader.FieldCount).Select(i => reader.GetValue(i)?.ToString())));
        }

        return string.Join("\n", lines);
    }
}
