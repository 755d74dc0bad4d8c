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

    public static bool Supports(string country) => Countries.Contains(country, StringComparer.Ordinal);

    public static bool IsHoliday(string country, LocalDate date) =>
        ByYear.GetOrAdd((country, date.Year), key => PublicHolidayFactory.GetPublicHolidayForCountry(Enum.Parse<PublicHolidayCountryCode>(key.Country, ignoreCase: true))
            .PublicHolidays(key.Year).Select(LocalDate.FromDateTime).ToHashSet()).Contains(date);
}
