using System.Collections.Concurrent;

namespace AgentConsole.Web.Queues;

/// <summary>
/// The list row of a decision that just changed, loaded once per event on this node: every open
/// console following the queue asks for the same row at the same moment, and those whose people hold
/// the same roles (so see the row masked alike) share one query. Rows are kept for a few seconds, per
/// tenant; a failed load is not kept.
/// </summary>
public sealed class LiveListItems
{
    private static readonly TimeSpan KeepFor = TimeSpan.FromSeconds(10);
    private readonly ConcurrentDictionary<(Guid Tenant, Guid Decision, int Version, DecisionEventKind Kind, string Roles), Lazy<Task<DecisionListItem?>>> _rows = new();

    /// <param name="viewerRoles">The roles the row is masked for.</param>
    public Task<DecisionListItem?> GetAsync(DecisionEvent e, IReadOnlyCollection<string> viewerRoles, Func<Task<DecisionListItem?>> load)
    {
        var key = (e.TenantId, e.DecisionId, e.Version, e.Kind, string.Join(',', viewerRoles.Order(StringComparer.Ordinal)));
        return _rows.GetOrAdd(key, k => new Lazy<Task<DecisionListItem?>>(() => LoadAsync(k, load))).Value;
    }

    private async Task<DecisionListItem?> LoadAsync((Guid, Guid, int, DecisionEventKind, string) key, Func<Task<DecisionListItem?>> load)
    {
        try
        {
            var row = await load();
            _ = ForgetLaterAsync(key);
            return row;
        }
        catch
        {
            _rows.TryRemove(key, out _);
            throw;
        }
    }

    private async Task ForgetLaterAsync((Guid, Guid, int, DecisionEventKind, string) key)
    {
        await Task.Delay(KeepFor);
        _rows.TryRemove(key, out _);
    }
}
