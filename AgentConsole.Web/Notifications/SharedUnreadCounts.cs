using System.Collections.Concurrent;

namespace AgentConsole.Web.Notifications;

/// <summary>
/// A person's unread count, read once for all their open consoles on this node: every console of theirs hears the same
/// decision event and recounts at the same moment, so they share one read (kept a quarter of a second). A recount the
/// person asked for (marking read) reads afresh. A failed read is not kept.
/// </summary>
public sealed class SharedUnreadCounts
{
    private static readonly TimeSpan KeepFor = TimeSpan.FromMilliseconds(250);
    private readonly ConcurrentDictionary<(Guid Tenant, string Person), Lazy<Task<int>>> _counts = new();

    public Task<int> GetAsync(Actor person, Func<Task<int>> read)
    {
        var key = (person.TenantId, person.Id);
        Lazy<Task<int>>? entry = null;
        entry = _counts.GetOrAdd(key, _ => new Lazy<Task<int>>(() => ReadAsync(key, read, entry!)));
        return entry.Value;
    }

    private async Task<int> ReadAsync((Guid, string) key, Func<Task<int>> read, Lazy<Task<int>> entry)
    {
        try
        {
            var count = await read();
            _ = ForgetLaterAsync(key, entry);
            return count;
        }
        catch
        {
            _counts.TryRemove(KeyValuePair.Create(key, entry));
            throw;
        }
    }

    private async Task ForgetLaterAsync((Guid, string) key, Lazy<Task<int>> entry)
    {
        await Task.Delay(KeepFor);
        _counts.TryRemove(KeyValuePair.Create(key, entry));
    }
}
