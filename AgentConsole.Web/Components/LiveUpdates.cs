namespace AgentConsole.Web.Components;

/// <summary>
/// Whether this console's live views are current. Live components report when a reload from the
/// database fails (they keep retrying) and when it succeeds again; the layout shows a notice meanwhile.
/// One per circuit.
/// </summary>
public sealed class LiveUpdates
{
    private readonly HashSet<object> _stale = [];

    public event Action? Changed;

    /// <summary>True while at least one view could not be refreshed.</summary>
    public bool Paused => _stale.Count > 0;

    internal void ReportFailed(object view)
    {
        if (_stale.Add(view) && _stale.Count == 1)
        {
            Changed?.Invoke();
        }
    }

    internal void ReportCurrent(object view)
    {
        if (_stale.Remove(view) && _stale.Count == 0)
        {
            Changed?.Invoke();
        }
    }
}
