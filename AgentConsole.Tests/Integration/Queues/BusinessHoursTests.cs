using AgentConsole.Domain;
using AgentConsole.Domain.Queues.Sla;
using AgentConsole.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AgentConsole.Tests.Integration.Queues;

public sealed class SqliteBusinessHoursTests() : BusinessHoursTests(TestEngine.Sqlite);

public sealed class PostgreSqlBusinessHoursTests() : BusinessHoursTests(TestEngine.PostgreSql);

/// <summary>The tenant's business calendar, set by an admin, is what the SLA ladder counts in.</summary>
public abstract class BusinessHoursTests(TestEngine engine) : IAsyncLifetime
{
    // Friday 18 December 2026, 16:55 in Berlin.
    private static readonly DateTimeOffset FridayLate = new(2026, 12, 18, 15, 55, 0, TimeSpan.Zero);
    private SlaHarness _sla = default!;

    public async Task InitializeAsync() => _sla = await SlaHarness.CreateAsync(engine, FridayLate, leaseSeconds: 86_400);

    public async Task DisposeAsync() => await _sla.DisposeAsync();

    private static BusinessCalendarInput BerlinOffice => new("Europe/Berlin", ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"], "09:00", "17:00", "DE", ["2026-12-21"]);

    [Fact]
    public async Task Warn_FallsDueInBusinessTime_OverTheWeekendAndATenantHoliday()
    {
        var admin = await _sla.ActorAsync("admin");
        await _sla.As(s => s.GetRequiredService<BusinessCalendars>().UpdateAsync(admin, BerlinOffice));
        var decision = await _sla.ProposeAsync();

        await _sla.SweepAsync();

        // Five minutes on Friday, five on Tuesday (Monday is the tenant's holiday): 09:05 in Berlin.
        var tuesday = new DateTimeOffset(2026, 12, 22, 8, 5, 0, TimeSpan.Zero);
        Assert.Equal(tuesday, (await _sla.ReadAsync(decision.Id)).NextSlaStepAt);
        _sla.Clock.Advance(tuesday - FridayLate - TimeSpan.FromMinutes(1));
        await _sla.SweepAsync();
        Assert.Null((await _sla.ReadAsync(decision.Id)).SlaWarnedAt);

        _sla.Clock.Advance(TimeSpan.FromMinutes(2));
        await _sla.SweepAsync();
        Assert.NotNull((await _sla.ReadAsync(decision.Id)).SlaWarnedAt);
        Assert.Single(await _sla.AuditAsync(decision.Id, "decision.sla-warned"));
    }

    [Fact]
    public async Task Calendar_IsAroundTheClockInUtc_UntilAnAdminSetsIt_AndEachChangeIsAudited()
    {
        var before = await _sla.As(s => s.GetRequiredService<BusinessCalendars>().GetAsync());
        Assert.True(before.IsDefault);
        Assert.Equal(("UTC", 7, "00:00", "24:00"), (before.TimeZone, before.WorkingDays.Count, before.DayStarts, before.DayEnds));

        var admin = await _sla.ActorAsync("admin");
        var saved = await _sla.As(s => s.GetRequiredService<BusinessCalendars>().UpdateAsync(admin, BerlinOffice));

        Assert.False(saved.IsDefault);
        Assert.Equal(("Europe/Berlin", "DE", "2026-12-21", admin.Name), (saved.TimeZone, saved.HolidayCountry, Assert.Single(saved.Holidays), saved.UpdatedBy));
        var audit = await _sla.Domain.ReadAsync(db => db.AuditEntries.CountAsync(a => a.Action == "tenant.business-calendar-updated"));
        Assert.Equal(1, audit);
    }

    [Fact]
    public async Task Calendar_RefusesANonAdmin_AndBadInputPerField_ChangingNothing()
    {
        var senior = await _sla.ActorAsync("senior");
        var admin = await _sla.ActorAsync("admin");

        var forbidden = await Assert.ThrowsAsync<DomainException>(() => _sla.As(s => s.GetRequiredService<BusinessCalendars>().UpdateAsync(senior, BerlinOffice)));
        var invalid = await Assert.ThrowsAsync<DomainException>(() => _sla.As(s => s.GetRequiredService<BusinessCalendars>().UpdateAsync(admin,
            BerlinOffice with { TimeZone = "Europe/Atlantis", Holidays = ["next friday"] })));

        Assert.Equal(DomainErrorKind.Forbidden, forbidden.Kind);
        Assert.Equal(DomainErrorKind.Invalid, invalid.Kind);
        Assert.Equal(["holidays", "timeZone"], invalid.FieldErrors.Keys.Order(StringComparer.Ordinal));
        Assert.True((await _sla.As(s => s.GetRequiredService<BusinessCalendars>().GetAsync())).IsDefault);
    }
}
