using AgentConsole.Domain.Audit;
using AgentConsole.Domain.Persistence;
using AgentConsole.Domain.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace AgentConsole.Domain.Queues.Sla;

/// <summary>The tenant's business calendar as people read and edit it.</summary>
public sealed record BusinessCalendarView(
    string TimeZone, IReadOnlyList<string> WorkingDays, string DayStarts, string DayEnds, string? HolidayCountry, IReadOnlyList<string> Holidays,
    bool IsDefault, DateTimeOffset? UpdatedAt, string? UpdatedBy)
{
    internal static BusinessCalendarView Of(BusinessCalendar c, bool isDefault) => new(
        c.TimeZone, [.. c.WorkingDays.Select(d => d.ToString())], BusinessCalendar.MinuteText(c.DayStartsMinute), BusinessCalendar.MinuteText(c.DayEndsMinute),
        c.HolidayCountry, [.. c.HolidaysCsv.Split(',', StringSplitOptions.RemoveEmptyEntries)], isDefault, isDefault ? null : c.UpdatedAt, isDefault ? null : c.UpdatedByName);
}

/// <summary>Reads and sets the current tenant's business calendar (admins set it; each change audited).</summary>
public sealed class BusinessCalendars(IAgentConsoleDbFactory dbs, ITenantContext tenant, TimeProvider clock)
{
    public async Task<BusinessCalendarView> GetAsync(CancellationToken cancellationToken = default)
    {
        await using var db = dbs.Create();
        var stored = await db.BusinessCalendars.AsNoTracking().SingleOrDefaultAsync(cancellationToken);
        return BusinessCalendarView.Of(stored ?? BusinessCalendar.AroundTheClock(tenant.TenantId ?? Guid.Empty), stored is null);
    }

    /// <summary>The clock SLA thresholds count on for the tenant of <paramref name="db"/>.</summary>
    internal static async Task<BusinessClock> ClockAsync(AgentConsoleDbContext db, CancellationToken cancellationToken) =>
        (await db.BusinessCalendars.AsNoTracking().SingleOrDefaultAsync(cancellationToken))?.Clock() ?? BusinessClock.AroundTheClock;

    /// <summary>Sets the calendar; refuses a non-admin, and bad input with an error per field, changing nothing.</summary>
    public async Task<BusinessCalendarView> UpdateAsync(Actor admin, BusinessCalendarInput input, CancellationToken cancellationToken = default)
    {
        if (!admin.Can(Permissions.Administer))
        {
            throw DomainException.Forbidden("calendar.role", "Only an admin may change the business calendar.");
        }

        await using var db = dbs.Create();
        var calendar = await db.BusinessCalendars.SingleOrDefaultAsync(cancellationToken);
        var isNew = calendar is null;
        calendar ??= BusinessCalendar.AroundTheClock(admin.TenantId);
        var before = isNew ? null : calendar.Snapshot();
        var now = clock.GetUtcNow();
        calendar.Update(input, admin, now);
        if (isNew)
        {
            db.BusinessCalendars.Add(calendar);
        }

        db.AuditEntries.Add(AuditEntry.Record(admin, "tenant.business-calendar-updated", "business-calendar", admin.TenantId.ToString(), null, before, calendar.Snapshot(), now));
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            throw DomainException.Conflict("calendar.changed", "Another admin changed the business calendar a moment ago; your change was not saved. Look at it again.");
        }

        return BusinessCalendarView.Of(calendar, false);
    }
}
