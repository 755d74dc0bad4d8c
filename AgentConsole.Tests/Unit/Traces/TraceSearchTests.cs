using AgentConsole.Domain;
using AgentConsole.Domain.Traces;

namespace AgentConsole.Tests.Unit.Traces;

/// <summary>A trace search read from text takes what makes sense and refuses the rest with a message per field, never a crash.</summary>
public sealed class TraceSearchTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Parse_ReadsEveryCriterion()
    {
        var decision = Guid.NewGuid();

        var search = TraceSearch.Parse(Now, decision.ToString(), null, "pricing", "ERROR", "2026-11-30T09:00:00Z", "2026-12-01T09:00", "250", "2", "10");

        Assert.Equal(decision, search.DecisionId);
        Assert.Equal("pricing", search.AgentKey);
        Assert.True(search.Errors);
        Assert.Equal(new DateTimeOffset(2026, 11, 30, 9, 0, 0, TimeSpan.Zero), search.From);
        Assert.Equal(new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero), search.To);
        Assert.Equal(TimeSpan.FromMilliseconds(250), search.MinDuration);
        Assert.Equal((2, 10), (search.Page, search.PageSize));
    }

    [Fact]
    public void Parse_WithNothing_SearchesTheLast24Hours_AndWithAnId_AnyTime()
    {
        Assert.Equal((Now.AddHours(-24), (DateTimeOffset?)null), TraceSearch.Parse(Now).RangeAt(Now));
        Assert.Equal(((DateTimeOffset?)null, (DateTimeOffset?)null), TraceSearch.Parse(Now, runId: Guid.NewGuid().ToString()).RangeAt(Now));
    }

    [Theory]
    [InlineData("decisionId", "not-a-guid", null, null, null, null, null, "is not a decision's id")]
    [InlineData("status", null, "maybe", null, null, null, null, "use ok (traces without errors) or error")]
    [InlineData("from", null, null, "yesterday-ish", null, null, null, "write it as ISO 8601")]
    [InlineData("from", null, null, "0001-01-01T00:00:00Z", null, null, null, "between the years 2000 and 2999")]
    [InlineData("to", null, null, "2026-11-30T10:00:00Z", "2026-11-30T09:00:00Z", null, null, "must come after its start")]
    [InlineData("to", null, null, "2026-01-01T00:00:00Z", "2026-11-30T00:00:00Z", null, null, "at most 31 days")]
    [InlineData("from", null, null, "2026-12-24T00:00:00Z", null, null, null, "starts in the future")]
    [InlineData("minDurationMs", null, null, null, null, "-5", null, "whole milliseconds from 0")]
    [InlineData("minDurationMs", null, null, null, null, "99999999999999999999", null, "whole milliseconds from 0")]
    [InlineData("page", null, null, null, null, null, "0", "from 1 to 100000")]
    public void Parse_RefusesMalformedAndAbsurdInput_NamingTheField(
        string field, string? decisionId, string? status, string? from, string? to, string? minDurationMs, string? page, string message)
    {
        var error = Assert.Throws<DomainException>(() => TraceSearch.Parse(Now, decisionId, null, null, status, from, to, minDurationMs, page));

        Assert.Equal(DomainErrorKind.Invalid, error.Kind);
        Assert.Contains(message, Assert.Single(error.FieldErrors[field]), StringComparison.Ordinal);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_RefusesEveryBadFieldAtOnce_AndAHugePageSize()
    {
        var error = Assert.Throws<DomainException>(() => TraceSearch.Parse(Now, "x", "y", "pricing; drop table", pageSize: "100000"));

        Assert.Equal(["agent", "decisionId", "pageSize", "runId"], error.FieldErrors.Keys.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("4bf92f3577b34da6a3ce929d0e0e4736", true)]
    [InlineData("4BF92F3577B34DA6A3CE929D0E0E4736", true)]
    [InlineData("00000000000000000000000000000000", false)]
    [InlineData("4bf92f3577b34da6a3ce929d0e0e473", false)]
    [InlineData("zzf92f3577b34da6a3ce929d0e0e4736", false)]
    [InlineData("", false)]
    public void ATraceId_Is32HexCharacters_NotAllZero(string id, bool valid)
    {
        Assert.Equal(valid, StoredSpan.IsTraceId(id));
        if (!valid)
        {
            Assert.Equal("traces.trace-id", Assert.Throws<DomainException>(() => TraceQueries.Normalize(id)).Code);
        }
    }
}
