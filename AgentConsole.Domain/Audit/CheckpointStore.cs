using System.Globalization;
using System.Text;
using Microsoft.Extensions.Options;

namespace AgentConsole.Domain.Audit;

/// <summary>A checkpoint as stored: where it is and its signed text.</summary>
public sealed record StoredCheckpoint(string Name, long Size, string Note);

/// <summary>
/// Where signed checkpoints are kept, outside the database. Written once and never overwritten, so the store can be
/// append-only storage (a WORM volume, an object store with retention lock mounted as a folder, another host's share).
/// </summary>
public interface ICheckpointStore
{
    /// <summary>Where a tenant's checkpoints are, for people.</summary>
    string Describe(string tenantSlug);

    /// <summary>Writes a checkpoint of a size; false when one of that size is already there (it is kept, never replaced).</summary>
    Task<bool> WriteAsync(string tenantSlug, long size, string note, CancellationToken cancellationToken);

    /// <summary>Writes a file beside a tenant's checkpoints unless one of that name exists (the verifier keys).</summary>
    Task PublishAsync(string tenantSlug, string name, string content, CancellationToken cancellationToken);

    /// <summary>The size of a tenant's latest checkpoint, or null when there is none.</summary>
    long? LatestSize(string tenantSlug);

    /// <summary>Every checkpoint of a tenant, smallest first.</summary>
    IAsyncEnumerable<StoredCheckpoint> ReadAllAsync(string tenantSlug, CancellationToken cancellationToken);
}

/// <summary>
/// Checkpoints as files: <c>{Audit:CheckpointDirectory}/{tenant slug}/{size}.checkpoint</c>. A file is written beside
/// its final name and moved there without replacing anything, so a reader never sees half a checkpoint.
/// </summary>
internal sealed class FileCheckpointStore(IOptions<AuditOptions> options) : ICheckpointStore
{
    private const string Extension = ".checkpoint";

    public string Describe(string tenantSlug) => Folder(tenantSlug);

    public async Task<bool> WriteAsync(string tenantSlug, long size, string note, CancellationToken cancellationToken)
    {
        var folder = Folder(tenantSlug);
        var path = Path.Combine(folder, size.ToString(CultureInfo.InvariantCulture) + Extension);
        if (File.Exists(path))
        {
            return false;
        }

        Directory.CreateDirectory(folder);
        var temporary = Path.Combine(folder, $".{Guid.NewGuid():N}.tmp");
        await File.WriteAllTextAsync(temporary, note, new UTF8Encoding(false), cancellationToken);
        try
        {
            File.Move(temporary, path, overwrite: false);
            return true;
        }
        catch (IOException) when (File.Exists(path))
        {
            // Another node wrote this size at the same moment; its checkpoint stands.
            File.Delete(temporary);
            return false;
        }
    }

    public async Task PublishAsync(string tenantSlug, string name, string content, CancellationToken cancellationToken)
    {
        var folder = Folder(tenantSlug);
        var path = Path.Combine(folder, name);
        if (File.Exists(path))
        {
            return;
        }

        Directory.CreateDirectory(folder);
        try
        {
            await using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None);
            await file.WriteAsync(Encoding.UTF8.GetBytes(content), cancellationToken);
        }
        catch (IOException) when (File.Exists(path))
        {
        }
    }

    public long? LatestSize(string tenantSlug) => Sizes(tenantSlug).Select(s => (long?)s.Size).Max();

    public async IAsyncEnumerable<StoredCheckpoint> ReadAllAsync(string tenantSlug, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var (size, path) in Sizes(tenantSlug).OrderBy(s => s.Size))
        {
            yield return new StoredCheckpoint(Path.GetFileName(path), size, await File.ReadAllTextAsync(path, Encoding.UTF8, cancellationToken));
        }
    }

    private IEnumerable<(long Size, string Path)> Sizes(string tenantSlug)
    {
        var folder = Folder(tenantSlug);
        if (!Directory.Exists(folder))
        {
            yield break;
        }

        foreach (var path in Directory.EnumerateFiles(folder, "*" + Extension))
        {
            if (long.TryParse(Path.GetFileNameWithoutExtension(path), NumberStyles.None, CultureInfo.InvariantCulture, out var size))
            {
                yield return (size, path);
            }
        }
    }

    private string Folder(string tenantSlug)
    {
        var safe = string.Concat(tenantSlug.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_'));
        return Path.Combine(Path.GetFullPath(options.Value.CheckpointDirectory), safe);
    }
}
