using System.Globalization;
using NodaTime;

namespace AgentConsole.Domain.Queues.Sla;

/// <summary>A business calendar as an admin enters it (the API's body, the settings form).</summary>
/// <param name="TimeZone">An IANA time zone id, e.g. <c>Europe/Berlin</c>.</param>
/// <param name="WorkingDays">Day names, e.g. <c>Monday</c>.</param>
/// <param name="DayStarts">When a working day starts, <c>HH:mm</c>.</param>
/// <param name="DayEnds">When it ends, <c>HH:mm</c> (<c>24:00</c> for midnight).</param>
/// <param name="HolidayCountry">An ISO 3166-1 code whose public holidays are closed days, or empty for none.</param>
/// <param name="Holidays">The tenant's own closed days, <c>yyyy-MM-dd</c>.</param>
public sealed record BusinessCalendarInput(
    string? TimeZone, IReadOnlyList<string>? WorkingDays, string? DayStarts, string? DayEnds, string? HolidayCountry, IReadOnlyList<string>? Holidays)
{
    internal sealed record Checked(string TimeZone, IReadOnlyList<IsoDayOfWeek> WorkingDays, int StartMinute, int EndMinute, string? HolidayCountry, IReadOnlyList<LocalDate> Holidays);

    /// <summary>The input read and checked; a <see cref="DomainException"/> with an error per field when anything is wrong.</summary>
    internal static Checked Check(BusinessCalendarInput input)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var zone = input.TimeZone?.Trim() ?? "";
        if (zone.Length == 0)
        {
            errors["timeZone"] = ["A time zone is required, e.g. Europe/Berlin or UTC."];
        }
        else if (DateTimeZoneProviders.Tzdb.GetZoneOrNull(zone) is null)
        {
            errors["timeZone"] = [$"'{zone}' is not an IANA time zone id; use one like Europe/Berlin, America/New_York or UTC."];
        }

        var days = new List<IsoDayOfWeek>();
        foreach (var name in input.WorkingDays ?? [])
        {
            if (!Enum.TryParse<IsoDayOfWeek>(name?.Trim(), ignoreCase: true, out var day) || day == IsoDayOfWeek.None || int.TryParse(name, out _))
            {
                errors["workingDays"] = [$"'{name}' is not a day of the week; use Monday … Sunday."];
                break;
            }

            if (!days.Contains(day))
            {
                days.Add(day);
            }
        }

        if (days.Count == 0 && !errors.ContainsKey("workingDays"))
        {
            errors["workingDays"] = ["At least one working day is required."];
        }

        var start = Minute(input.DayStarts, "dayStarts", errors);
        var end = Minute(input.DayEnds, "dayEnds", errors);
        if (start is { } s && end is { } e && e <= s)
        {
            errors["dayEnds"] = ["The working day must end after it starts."];
        }

        var country = string.IsNullOrWhiteSpace(input.HolidayCountry) ? null : input.HolidayCountry.Trim().ToUpperInvariant();
        if (country is not null && !PublicHolidays.Supports(country))
        {
            errors["holidayCountry"] = [$"'{country}' is not a country whose public holidays are known; use one of {string.Join(", ", PublicHolidays.Countries)}, or leave it empty."];
        }

        var holidays = new SortedSet<LocalDate>();
        foreach (var text in input.Holidays ?? [])
        {
            if (!DateTime.TryParseExact(text?.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            {
                errors["holidays"] = [$"'{text}' is not a date written as yyyy-MM-dd."];
                break;
            }

            holidays.Add(LocalDate.FromDateTime(date));
        }

        if (holidays.Count > BusinessCalendar.MaxHolidays)
        {
            errors["holidays"] = [$"At most {BusinessCalendar.MaxHolidays} holidays."];
        }

        if (errors.Count > 0)
        {
            throw DomainException.Invalid("calendar.invalid", "The business calendar was not saved: " + string.Join(" ", errors.SelectMany(x => x.Value)), errors);
        }

        return new Checked(zone, days.Order().ToList(), start!.Value, end!.Value, country, [.. holidays]);
    }

    private static int? Minute(string? text, string field, Dictionary<string, string[]> errors)
    {
        var t = text?.Trim() ?? "";
        if (t == "24:00")
        {
            return 1440;
        }

        if (TimeOnly.TryParseExact(t, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var time))
        {
            return (time.Hour * 60) + time.Minute;
        }

        errors[field] = [t.Length == 0 ? "A time is required, as HH:mm." : $"'{t}' is not a time written as HH:mm (00:00 to 24:00)."];
        return null;
    }
}
