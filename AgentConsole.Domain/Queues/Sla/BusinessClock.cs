using NodaTime;

namespace AgentConsole.Domain.Queues.Sla;

/// <summary>
/// Adds business time to an instant: only the working hours of working days that are not holidays count, in the
/// calendar's time zone (so across daylight saving changes a working day keeps its local hours).
/// </summary>
public sealed class BusinessClock
{
    // A calendar has at least one working day a week, but holidays could close many: give up after ten years.
    private const int MaxDays = 3660;

    private readonly DateTimeZone _zone;
    private readonly HashSet<IsoDayOfWeek> _days;
    private readonly int _start;
    private readonly int _end;
    private readonly string? _country;
    private readonly HashSet<LocalDate> _holidays;

    private BusinessClock(DateTimeZone zone, IEnumerable<IsoDayOfWeek> days, int start, int end, string? country, IEnumerable<LocalDate> holidays)
    {
        _zone = zone;
        _days = [.. days];
        _start = start;
        _end = end;
        _country = country;
        _holidays = [.. holidays];
        IsAroundTheClock = zone == DateTimeZone.Utc && _days.Count == 7 && start == 0 && end == 1440 && country is null && _holidays.Count == 0;
    }

    /// <summary>Every hour of every day counts: business time is plain time.</summary>
    public bool IsAroundTheClock { get; }

    public static BusinessClock AroundTheClock { get; } = new(DateTimeZone.Utc, Enum.GetValues<IsoDayOfWeek>().Where(d => d != IsoDayOfWeek.None), 0, 1440, null, []);

    public static BusinessClock For(string timeZone, IEnumerable<IsoDayOfWeek> days, int startMinute, int endMinute, string? holidayCountry, IEnumerable<LocalDate> holidays) =>
        new(DateTimeZoneProviders.Tzdb[timeZone], days, startMinute, endMinute, holidayCountry, holidays);

    /// <summary>Whether <paramref name="date"/> is a working day (a working weekday that is no holiday).</summary>
    public bool IsWorkingDay(LocalDate date) =>
        _days.Contains(date.DayOfWeek) && !_holidays.Contains(date) && (_country is null || !PublicHolidays.IsHoliday(_country, date));

    /// <summary>The instant when <paramref name="duration"/> of business time has passed since <paramref name="start"/>.</summary>
    public DateTimeOffset Add(DateTimeOffset start, TimeSpan duration)
    {
        if (IsAroundTheClock)
        {
            return start + duration;
        }

        var cursor = Instant.FromDateTimeOffset(start);
        var left = Duration.FromTimeSpan(duration);
        var date = cursor.InZone(_zone).Date;
        for (var i = 0; i < MaxDays; i++, date = date.PlusDays(1))
        {
            if (!IsWorkingDay(date))
            {
                continue;
            }

            var opens = At(date, _start);
            var closes = At(date, _end);
            var from = cursor > opens ? cursor : opens;
            if (from >= closes)
            {
                continue;
            }

            var available = closes - from;
            if (left <= available)
            {
                return (from + left).ToDateTimeOffset();
            }

            left -= available;
            cursor = closes;
        }

        throw new InvalidOperationException("The business calendar has no working time in the next ten years.");
    }

    private Instant At(LocalDate date, int minute) =>
        minute >= 1440
            ? date.PlusDays(1).AtStartOfDayInZone(_zone).ToInstant()
            : _zone.AtLeniently(date.At(LocalTime.FromMinutesSinceMidnight(minute))).ToInstant();
}
