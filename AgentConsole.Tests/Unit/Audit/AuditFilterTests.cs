using AgentConsole.Domain;
using AgentConsole.Domain.Audit;

namespace AgentConsole.Tests.Unit.Audit;

/// <summary>An audit search is read field by field; every field that cannot be read gets its own message, and nothing is searched.</summary>
public sealed class AuditFilterTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);

    private static IReadOnlyDictionary<string, string[]> Errors(AuditSearchInput input) => AuditFilter.Parse(input, Now).Errors;

    [Fact]
    public void Parse_ReadsEveryField_AsTheDatabaseIsAsked()
    {
        var (filter, errors) = AuditFilter.Parse(new AuditSearchInput
        {
            Actor = "  Olivia ", Action = "Decision.*", EntityType = "Decision", EntityId = "3FA85F64-5717-4562-B3FC-2C963F66AFA6",
            From = "2026-11-01", To = "2026-11-30", Text = "Margin Floor",
        }, Now);

        Assert.Empty(errors);
        Assert.Equal(("Olivia", "olivia"), (filter!.ActorId, filter.ActorName));
        Assert.Equal(("decision.", true), (filter.Action, filter.ActionIsPrefix));
        Assert.Equal(("decision", "3fa85f64-5717-4562-b3fc-2c963f66afa6"), (filter.EntityType, filter.EntityId));
        Assert.Equal(new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero), filter.From);
        Assert.Equal(new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero), filter.Before);
        Assert.Equal("margin floor", filter.Text);
    }

    [Fact]
    public void Parse_ReadsATimeWithItsOffset_AsUtc_AndAnExactAction()
    {
        var (filter, _) = AuditFilter.Parse(new AuditSearchInput { From = "2026-11-30T14:00+02:00", Action = "decision.approved" }, Now);

        Assert.Equal(new DateTimeOffset(2026, 11, 30, 12, 0, 0, TimeSpan.Zero), filter!.From);
        Assert.Equal(("decision.approved", false), (filter.Action, filter.ActionIsPrefix));
    }

    [Fact]
    public void Parse_OfNothing_SearchesEverything()
    {
        var (filter, errors) = AuditFilter.Parse(new AuditSearchInput { Actor = " ", Text = "" }, Now);

        Assert.Empty(errors);
        Assert.Equal(AuditFilter.Everything, filter);
    }

    [Theory]
    [InlineData("from", "yesterday", "'yesterday' is not a date: write 2026-11-30, or 2026-11-30T14:00Z for a time (UTC).")]
    [InlineData("from", "2026-13-01", "'2026-13-01' is not a date: write 2026-11-30, or 2026-11-30T14:00Z for a time (UTC).")]
    [InlineData("to", "30/11/2026", "'30/11/2026' is not a date: write 2026-11-30, or 2026-11-30T14:00Z for a time (UTC).")]
    [InlineData("from", "2027-01-01", "2027-01-01 00:00 UTC is in the future: no entry can be that new.")]
    [InlineData("action", "approve it", "'approve it' is not an action: actions read like decision.approved, or decision.* for every decision action.")]
    [InlineData("entityType", "decision;drop", "'decision;drop' is not an entity type: use one of decision, run, policy-version, policy-scope, user, tenant.")]
    public void Parse_NamesTheFieldThatCannotBeRead_WithAMessageThatSaysWhatToWrite(string field, string value, string message)
    {
        var input = new AuditSearchInput();
        typeof(AuditSearchInput).GetProperty(char.ToUpperInvariant(field[0]) + field[1..])!.SetValue(input, value);

        var (filter, errors) = AuditFilter.Parse(input, Now);

        Assert.Null(filter);
        Assert.Equal(message, Assert.Single(errors[field]));
    }

    [Fact]
    public void Parse_RefusesAMalformedId_ForAnEntityWhoseIdsAreGuids_NamingTheEntity()
    {
        var errors = Errors(new AuditSearchInput { EntityType = "policy-version", EntityId = "42" });

        Assert.Equal("'42' is not a policy version id: ids look like 3fa85f64-5717-4562-b3fc-2c963f66afa6.", errors["entityId"][0]);
    }

    [Fact]
    public void Parse_RefusesARangeThatEndsBeforeItStarts_BesideTheEnd()
    {
        var errors = Errors(new AuditSearchInput { From = "2026-11-20", To = "2026-11-02" });

        Assert.Equal("The end (2026-11-02) comes before the start (2026-11-20): swap them.", Assert.Single(errors).Value[0]);
        Assert.True(errors.ContainsKey("to"));
    }

    [Fact]
    public void Parse_RefusesARangeOverTenYears_SayingHowToSearchEverything()
    {
        var open = Errors(new AuditSearchInput { From = "0001-01-01" });
        var closed = Errors(new AuditSearchInput { From = "2001-01-01", To = "2026-01-01" });

        Assert.Equal("This range spans 2,025 years; a search covers at most 10. Leave 'from' empty to search from the first entry.", open["from"][0]);
        Assert.StartsWith("This range spans 25 years", closed["to"][0], StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_OfTheCalendarsFirstAndLastDays_RefusesTheRange_AndAcceptsTheLastDayAloneAsNoEnd()
    {
        var whole = Errors(new AuditSearchInput { From = "0001-01-01", To = "9999-12-31" });
        var (untilTheEnd, errors) = AuditFilter.Parse(new AuditSearchInput { To = "9999-12-31" }, Now);

        Assert.Equal("This range spans 9,998 years; a search covers at most 10. Leave 'from' empty to search from the first entry.", whole["to"][0]);
        Assert.Empty(errors);
        Assert.Equal(DateTimeOffset.MaxValue, untilTheEnd!.Before);
    }

    [Fact]
    public void Parse_NamesEveryBadFieldAtOnce_AndRequireRefusesWithThemAll()
    {
        var input = new AuditSearchInput { From = "soon", EntityType = "run", EntityId = "x", Text = new string('a', 201) };

        var error = Assert.Throws<DomainException>(() => AuditFilter.Require(input, Now));

        Assert.Equal(DomainErrorKind.Invalid, error.Kind);
        Assert.Equal("audit.search-invalid", error.Code);
        Assert.Equal(["entityId", "from", "text"], error.FieldErrors.Keys.Order());
    }
}
