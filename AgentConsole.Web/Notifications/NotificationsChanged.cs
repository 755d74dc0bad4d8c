namespace AgentConsole.Web.Notifications;

/// <summary>Within one console: the notifications page tells the layout's bell that it marked something read.</summary>
public sealed class NotificationsChanged
{
    public event Action? Changed;

    public void Raise() => Changed?.Invoke();
}
