namespace AgentConsole.Domain.Notifications;

/// <summary>What a notification tells a person.</summary>
public enum NotificationKind
{
    /// <summary>New items arrived in a queue the person may act on (counted per queue since they last looked, never a row per item).</summary>
    NewItems,

    /// <summary>The SLA ladder warned that an item is about to breach.</summary>
    SlaWarning,

    /// <summary>A senior operator assigned an item to the person.</summary>
    Assigned,

    /// <summary>A senior operator took back an item the person held or was given.</summary>
    TakenBack,

    /// <summary>The circuit breaker paused an agent (senior operators).</summary>
    AgentPaused,
}

/// <summary>Names and labels of the kinds, and which of them can also go out by e-mail or webhook.</summary>
public static class NotificationKinds
{
    /// <summary>The kinds that are written as a person's notification and can also be delivered (new items are only counted in the console).</summary>
    public static IReadOnlyList<NotificationKind> Deliverable { get; } =
        [NotificationKind.Assigned, NotificationKind.TakenBack, NotificationKind.SlaWarning, NotificationKind.AgentPaused];

    /// <summary>The event type a webhook receives, e.g. <c>decision.assigned</c>.</summary>
    public static string EventType(NotificationKind kind) => kind switch
    {
        NotificationKind.NewItems => "queue.items_arrived",
        NotificationKind.SlaWarning => "decision.sla_warning",
        NotificationKind.Assigned => "decision.assigned",
        NotificationKind.TakenBack => "decision.taken_back",
        _ => "agent.paused",
    };

    /// <summary>How people read the kind, e.g. "Assigned to me".</summary>
    public static string Label(NotificationKind kind) => kind switch
    {
        NotificationKind.NewItems => "New items in my queues",
        NotificationKind.SlaWarning => "SLA warnings on my items",
        NotificationKind.Assigned => "Items assigned to me",
        NotificationKind.TakenBack => "Items a senior took back from me",
        _ => "Agents paused by the circuit breaker",
    };

    /// <summary>How an admin reads the kind for a webhook, which hears of everyone's, e.g. "Items assigned to someone".</summary>
    public static string WebhookLabel(NotificationKind kind) => kind switch
    {
        NotificationKind.SlaWarning => "SLA warnings on items",
        NotificationKind.Assigned => "Items assigned to someone",
        NotificationKind.TakenBack => "Items a senior took back from someone",
        _ => Label(kind),
    };

    /// <summary>Reads kinds from their names (as the API and the settings store them); unknown names are returned apart.</summary>
    public static (IReadOnlyList<NotificationKind> Kinds, IReadOnlyList<string> Unknown) Parse(IEnumerable<string>? names)
    {
        var kinds = new List<NotificationKind>();
        var unknown = new List<string>();
        foreach (var name in names ?? [])
        {
            if (Enum.TryParse<NotificationKind>(name?.Trim(), ignoreCase: true, out var kind) && Enum.IsDefined(kind) && !int.TryParse(name, out _))
            {
                if (!kinds.Contains(kind))
                {
                    kinds.Add(kind);
                }
            }
            else
            {
                unknown.Add(name ?? "");
            }
        }

        return (kinds, unknown);
    }

    internal static string Csv(IEnumerable<NotificationKind> kinds) => string.Join(',', kinds.Distinct().Order());

    internal static IReadOnlyList<NotificationKind> FromCsv(string csv) =>
        [.. csv.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(Enum.Parse<NotificationKind>)];
}
