using System.Globalization;
using AgentConsole.Domain.Tenancy;
using NodaTime;

namespace AgentConsole.Domain.Queues.Sla;

/// <summary>
/// A tenant's business calendar: the time zone (IANA id), working days and hours, a country whose public holidays
/// count as closed, and the tenant's own holidays. SLA ladder thresholds count in its business time. Without one a
/// tenant works around the clock in UTC.
/// </summary>
public sealed class BusinessCalendar : ITenantOwned
{
    public const int MaxHolidays = 400;

    private BusinessCalendar()
    {
    }

    public Guid Id { get; private set; }

    public Guid TenantId { get; private set; }

    /// <summary>An IANA time zone id, e.g. <c>Europe/Berlin</c>.</summary>
    public string TimeZone { get; private set; } = "UTC";

    /// <summary>The working days, e.g. <c>Monday,Tuesday,Wednesday,Thursday,Friday</c>.</summary>
    public string WorkingDaysCsv { get; private set; } = AllDays;

    /// <summary>Minutes after local midnight when a working day starts (0–1439).</summary>
    public int DayStartsMinute { get; private set; }

    /// <summary>Minutes after local midnight when a working day ends (1–1440; after the start).</summary>
    public int DayEndsMinute { get; private set; } = 1440;

    /// <summary>The ISO 3166-1 code of the country whose public holidays are closed days (the PublicHoliday library's), or null.</summary>
    public string? HolidayCountry { get; private set; }

    /// <summary>The tenant's own closed days, as <c>yyyy-MM-dd</c>, comma-separated.</summary>
    public string HolidaysCsv { get; private set; } = "";

    public DateTimeOffset UpdatedAt { get; private set; }

    public string UpdatedByName { get; private set; } = "";

    /// <summary>Incremented by every change; the concurrency token.</summary>
    public int Version { get; private set; }

    public IReadOnlyList<IsoDayOfWeek> WorkingDays =>
        [.. WorkingDaysCsv.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(d => Enum.Parse<IsoDayOfWeek>(d))];

    public IReadOnlyList<LocalDate> Holidays =>
        [.. HolidaysCsv.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(d => LocalDate.FromDateTime(DateTime.ParseExact(d, "yyyy-MM-dd", CultureInfo.InvariantCulture)))];

    private const string AllDays = "Monday,Tuesday,Wednesday,Thursday,Friday,Saturday,Sunday";

    /// <summary>The calendar a tenant has until an admin sets one: every day, all day, UTC, no holidays.</summary>
    public static BusinessCalendar AroundTheClock(Guid tenantId) => new() { Id = tenantId, TenantId = tenantId };

    /// <summary>Sets the whole calendar from what an admin entered; refuses it with an error per field, changing nothing.</summary>
    public void Update(BusinessCalendarInput input, Actor admin, DateTimeOffset now)
    {
        var checkedInput = BusinessCalendarInput.Check(input);
        TimeZone = checkedInput.TimeZone;
        WorkingDaysCsv = string.Join(',', checkedInput.WorkingDays);
        DayStartsMinute = checkedInput.StartMinute;
        DayEndsMinute = checkedInput.EndMinute;
        HolidayCountry = checkedInput.HolidayCountry;
        HolidaysCsv = string.Join(',', checkedInput.Holidays.Select(h => h.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)));
        UpdatedAt = now;
        UpdatedByName = admin.Name;
        Version++;
    }

    /// <summary>The calendar as the clock that adds business time reads it.</summary>
    public BusinessClock Clock() => BusinessClock.For(TimeZone, WorkingDays, DayStartsMinute, DayEndsMinute, HolidayCountry, Holidays);

    public object Snapshot() => new { TimeZone, WorkingDays = WorkingDaysCsv, DayStarts = MinuteText(DayStartsMinute), DayEnds = MinuteText(DayEndsMinute), HolidayCountry, Holidays = HolidaysCsv };

    /// <summary>A minute of the day as <c>HH:mm</c> (1440 as <c>24:00</c>).</summary>
    public static string MinuteText(int minute) => $"{minute / 60:00}:{minute % 60:00}";
}
