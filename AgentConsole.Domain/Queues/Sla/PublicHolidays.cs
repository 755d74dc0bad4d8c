using System.Collections.Concurrent;
using NodaTime;
using PublicHoliday;

namespace AgentConsole.Domain.Queues.Sla;

/// <summary>A country's public holidays, from the PublicHoliday library, cached per country and year.</summary>
public static class PublicHolidays
{
    private static readonly ConcurrentDictionary<(string Country, int Year), IReadOnlySet<LocalDate>> ByYear = new();

    /// <summary>The ISO codes the library knows.</summary>
    public static IReadOnlyList<string> Countries { get; } =
        [.. Enum.GetNames<PublicHolidayCountryCode>().Select(c => c.ToUpperInvariant()).Order(StringComparer.Ordinal)];

    /// <summary>The country's English name, e.g. "Germany" for <c>DE</c> (the code itself where the system knows no name).</summary>
    public static string Name(string country)
    {
        try
        {
            return new System.Globalization.RegionInfo(country).EnglishName;
        }
        catch (ArgumentException)
        {
            return country;
        }
    }

    public static bool Supports(string country) => Countries.Contains(country, StringComparer.Ordinal);

    public static bool IsHoliday(string country, LocalDate date) =>
        ByYear.GetOrAdd((country, date.Year), key => PublicHolidayFactory.GetPublicHolidayForCountry(Enum.Parse<PublicHolidayCountryCode>(key.Country, ignoreCase: true))
            .PublicHolidays(key.Year).Select(LocalDate.FromDateTime).ToHashSet()).Contains(date);
}
