using AgentConsole.Domain;
using AgentConsole.Domain.Queues.Sla;
using NodaTime;

namespace AgentConsole.Tests.Unit.Queues;

/// <summary>Business time: only working hours of working days that are no holiday count, in the calendar's time zone.</summary>
public sealed class BusinessClockTests
{
    private static readonly IsoDayOfWeek[] Weekdays = [IsoDayOfWeek.Monday, IsoDayOfWeek.Tuesday, IsoDayOfWeek.Wednesday, IsoDayOfWeek.Thursday, IsoDayOfWeek.Friday];

    private static BusinessClock Berlin(string? country = null, params LocalDate[] holidays) =>
        BusinessClock.For("Europe/Berlin", Weekdays, 9 * 60, 17 * 60, country, holidays);

    private static DateTimeOffset BerlinTime(int month, int day, int hour, int minute) =>
        new(2026, month, day, hour, minute, 0, TimeSpan.FromHours(1));

    [Fact]
    public void Add_AroundTheClock_IsPlainTime()
    {
        var start = new DateTimeOffset(2026, 12, 19, 23, 0, 0, TimeSpan.Zero);
        Assert.Equal(start.AddHours(5), BusinessClock.AroundTheClock.Add(start, TimeSpan.FromHours(5)));
    }

    [Fact]
    public void Add_SkipsTheWeekend_AndATenantHoliday()
    {
        // Friday 18 December 16:30 in Berlin; Monday the 21st is the tenant's own holiday.
        var due = Berlin(null, new LocalDate(2026, 12, 21)).Add(BerlinTime(12, 18, 16, 30), TimeSpan.FromMinutes(60));

        Assert.Equal(BerlinTime(12, 22, 9, 30), due);
    }

    [Fact]
    public void Add_SkipsTheCountrysPublicHolidays()
    {
        // Thursday 24 December 16:00: Christmas Day and Boxing Day are German public holidays, then the weekend.
        var due = Berlin("DE").Add(BerlinTime(12, 24, 16, 0), TimeSpan.FromHours(2));

        Assert.Equal(BerlinTime(12, 28, 10, 0), due);
        Assert.Equal(BerlinTime(12, 25, 10, 0), Berlin().Add(BerlinTime(12, 24, 16, 0), TimeSpan.FromHours(2)));
    }

    [Fact]
    public void Add_StartingBeforeOpening_CountsFromOpening_AndKeepsLocalHoursAcrossDaylightSaving()
    {
        // Friday 27 March 2026 18:00 (after hours); clocks go forward on Sunday the 29th: Monday opens at 09:00 CEST.
        var due = Berlin().Add(new DateTimeOffset(2026, 3, 27, 18, 0, 0, TimeSpan.FromHours(1)), TimeSpan.FromMinutes(30));

        Assert.Equal(new DateTimeOffset(2026, 3, 30, 9, 30, 0, TimeSpan.FromHours(2)), due);
    }

    [Fact]
    public void Input_WithEveryFieldWrong_AnswersPerField()
    {
        var calendar = BusinessCalendar.AroundTheClock(Guid.NewGuid());
        var ex = Assert.Throws<DomainException>(() => calendar.Update(
            new BusinessCalendarInput("Mars/Olympus", ["Funday"], "9am", "08:00", "XX", ["2026-13-01"]),
            AgentConsole.Domain.Tenancy.Actor.System(calendar.TenantId), DateTimeOffset.UtcNow));

        Assert.Equal(["dayStarts", "holidayCountry", "holidays", "timeZone", "workingDays"], ex.FieldErrors.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("'Mars/Olympus' is not an IANA time zone id; use one like Europe/Berlin, America/New_York or UTC.", ex.FieldErrors["timeZone"][0]);
        Assert.Equal("UTC", calendar.TimeZone);
    }

    [Fact]
    public void Input_EndingBeforeItStarts_IsRefused()
    {
        var calendar = BusinessCalendar.AroundTheClock(Guid.NewGuid());
        var ex = Assert.Throws<DomainException>(() => calendar.Update(
            new BusinessCalendarInput("Europe/Berlin", ["Monday"], "17:00", "09:00", null, []), AgentConsole.Domain.Tenancy.Actor.System(calendar.TenantId), DateTimeOffset.UtcNow));

        Assert.Equal("The working day must end after it starts.", Assert.Single(ex.FieldErrors["dayEnds"]));
    }
}
