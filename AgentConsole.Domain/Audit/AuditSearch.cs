using System.Globalization;
using System.Text.RegularExpressions;

namespace AgentConsole.Domain.Audit;

/// <summary>
/// An audit search as a person types it or an API client sends it: every field optional, all of them text, read by
/// <see cref="AuditFilter.Parse"/>, which says what is wrong with each field.
/// </summary>
public sealed class AuditSearchInput
{
    /// <summary>Who acted: part of their name (any case), or their exact id (a user's id, <c>system</c>, <c>agent:pricing</c>).</summary>
    public string? Actor { get; set; }

    /// <summary>What happened, e.g. <c>decision.approved</c>; <c>decision.*</c> for every action that starts so.</summary>
    public string? Action { get; set; }

    /// <summary>The kind of thing it happened to, e.g. <c>decision</c> (see <see cref="AuditEntityTypes"/>).</summary>
    public string? EntityType { get; set; }

    /// <summary>The id of the thing it happened to.</summary>
    public string? EntityId { get; set; }

    /// <summary>From this date (<c>2026-11-30</c>) or time (<c>2026-11-30T14:00Z</c>), UTC, inclusive.</summary>
    public string? From { get; set; }

    /// <summary>Up to this date (the whole day) or time, UTC.</summary>
    public string? To { get; set; }

    /// <summary>Words in the reason people gave (any case).</summary>
    public string? Text { get; set; }

    /// <summary>Whether nothing narrows the search.</summary>
    public bool IsEmpty =>
        new[] { Actor, Action, EntityType, EntityId, From, To, Text }.All(string.IsNullOrWhiteSpace);
}

/// <summary>The kinds of things the audit trail records changes to.</summary>
public static class AuditEntityTypes
{
    public const string Decision = "decision";
    public const string Run = "run";
    public const string PolicyVersion = "policy-version";
    public const string PolicyScope = "policy-scope";
    public const string User = "user";
    public const string Tenant = "tenant";

    /// <summary>The types the console records today, for pickers; a search accepts others too.</summary>
    public static IReadOnlyList<string> Known { get; } = [Decision, Run, PolicyVersion, PolicyScope, User, Tenant];

    /// <summary>How people call a type, e.g. "policy version".</summary>
    public static string Label(string type) => type.Replace('-', ' ');

    /// <summary>Types whose ids are GUIDs, so a malformed id can be told at once.</summary>
    public static bool HasGuidIds(string type) => Known.Contains(type, StringComparer.Ordinal);
}

/// <summary>
/// A checked audit search, as the database is asked it. Times are UTC; <see cref="Before"/> is exclusive (a date
/// given as <c>to</c> includes its whole day). Built only by <see cref="Parse"/>.
/// </summary>
public sealed partial record AuditFilter
{
    /// <summary>A search covers at most this many years: a longer range is a typing mistake more often than a question.</summary>
    public const int MaxYears = 10;

    public const int MaxTextLength = 200;

    private AuditFilter()
    {
    }

    /// <summary>No narrowing: the whole audit trail of the tenant.</summary>
    public static AuditFilter Everything { get; } = new();

    /// <summary>An exact actor id to match, or null.</summary>
    public string? ActorId { get; private init; }

    /// <summary>Lower-case text the actor's name must contain, or null.</summary>
    public string? ActorName { get; private init; }

    /// <summary>The action, or with <see cref="ActionIsPrefix"/> what actions start with.</summary>
    public string? Action { get; private init; }

    public bool ActionIsPrefix { get; private init; }

    public string? EntityType { get; private init; }

    public string? EntityId { get; private init; }

    public DateTimeOffset? From { get; private init; }

    public DateTimeOffset? Before { get; private init; }

    /// <summary>Lower-case text the reason must contain, or null.</summary>
    public string? Text { get; private init; }

    /// <summary>Reads a search; every field that cannot be read has its message (field names as in the API's query).</summary>
    public static (AuditFilter? Filter, IReadOnlyDictionary<string, string[]> Errors) Parse(AuditSearchInput input, DateTimeOffset now)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        void Fail(string field, string message) => errors[field] = [message];

        var actor = Clean(input.Actor);
        if (actor is { Length: > 200 })
        {
            Fail("actor", "At most 200 characters.");
        }

        var action = Clean(input.Action)?.ToLowerInvariant();
        var prefix = false;
        if (action is not null)
        {
            prefix = action.EndsWith('*');
            if (action.Length > 64 || !ActionPattern().IsMatch(action))
            {
                Fail("action", $"'{Echo(action)}' is not an action: actions read like decision.approved, or decision.* for every decision action.");
            }
        }

        var entityType = Clean(input.EntityType)?.ToLowerInvariant();
        if (entityType is not null && (entityType.Length > 64 || !EntityTypePattern().IsMatch(entityType)))
        {
            Fail("entityType", $"'{Echo(entityType)}' is not an entity type: use one of {string.Join(", ", AuditEntityTypes.Known)}.");
        }

        var entityId = Clean(input.EntityId);
        if (entityId is not null)
        {
            if (Guid.TryParse(entityId, out var guid))
            {
                entityId = guid.ToString();
            }
            else if (entityType is not null && AuditEntityTypes.HasGuidIds(entityType))
            {
                Fail("entityId", $"'{Echo(entityId)}' is not a {AuditEntityTypes.Label(entityType)} id: ids look like 3fa85f64-5717-4562-b3fc-2c963f66afa6.");
            }
            else if (entityId.Length > 64 || entityId.Any(char.IsControl))
            {
                Fail("entityId", "An id has at most 64 characters and no line breaks.");
            }
        }

        var from = ReadTime(input.From, "from", endOfDay: false, errors);
        var before = ReadTime(input.To, "to", endOfDay: true, errors);
        if (from is { } start && !errors.ContainsKey("from"))
        {
            if (start > now)
            {
                Fail("from", $"{Show(start)} is in the future: no entry can be that new.");
            }
            else if (before is { } end && end <= start)
            {
                Fail("to", $"The end ({Clean(input.To)}) comes before the start ({Clean(input.From)}): swap them.");
            }
            else if ((before ?? now) - start > TimeSpan.FromDays(365.25 * MaxYears))
            {
                var years = (int)(((before ?? now) - start).TotalDays / 365.25);
                Fail(before is null ? "from" : "to",
                    $"This range spans {years:#,0} years; a search covers at most {MaxYears}. Leave 'from' empty to search from the first entry.");
            }
        }

        var text = Clean(input.Text);
        if (text is { Length: > MaxTextLength })
        {
            Fail("text", $"At most {MaxTextLength} characters.");
        }

        if (errors.Count > 0)
        {
            return (null, errors);
        }

        return (new AuditFilter
        {
            ActorId = actor is null ? null : Guid.TryParse(actor, out var actorGuid) ? actorGuid.ToString() : actor,
            ActorName = actor?.ToLowerInvariant(),
            Action = prefix ? action![..^1] : action,
            ActionIsPrefix = prefix,
            EntityType = entityType,
            EntityId = entityId,
            From = from,
            Before = before,
            Text = text?.ToLowerInvariant(),
        }, errors);
    }

    /// <summary>Reads a search, or refuses it naming each field that cannot be read.</summary>
    public static AuditFilter Require(AuditSearchInput input, DateTimeOffset now)
    {
        var (filter, errors) = Parse(input, now);
        return filter ?? throw DomainException.Invalid("audit.search-invalid",
            "The search cannot be read: " + string.Join(" ", errors.Select(e => $"{e.Key}: {e.Value[0]}")), errors);
    }

    private static DateTimeOffset? ReadTime(string? raw, string field, bool endOfDay, Dictionary<string, string[]> errors)
    {
        var text = Clean(raw);
        if (text is null)
        {
            return null;
        }

        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            var start = new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

            // The last day of the calendar has no next day: its end is the end of time.
            return !endOfDay ? start : date == DateOnly.MaxValue ? DateTimeOffset.MaxValue : start.AddDays(1);
        }

        if (TimePattern().IsMatch(text)
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time))
        {
            return time;
        }

        errors[field] = [$"'{Echo(text)}' is not a date: write 2026-11-30, or 2026-11-30T14:00Z for a time (UTC)."];
        return null;
    }

    private static string? Clean(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static string Echo(string value) => value.Length > 40 ? value[..40] + "…" : value;

    private static string Show(DateTimeOffset time) => time.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^[a-z0-9][a-z0-9.\-]*\*?$")]
    private static partial Regex ActionPattern();

    [GeneratedRegex(@"^[a-z0-9][a-z0-9\-]*$")]
    private static partial Regex EntityTypePattern();

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?(Z|[+-]\d{2}:?\d{2})?$", RegexOptions.IgnoreCase)]
    private static partial Regex TimePattern();
}
