using System.Runtime.CompilerServices;
using AgentConsole.Domain.Persistence;
using AgentConsole.Domain.Policies;
using Microsoft.EntityFrameworkCore;

namespace AgentConsole.Domain.Audit;

/// <summary>
/// Reads the audit trail of the current tenant for auditors: a search a page at a time, and a whole search as a
/// stream for exports. Read-only; the data layer's tenant filter keeps other tenants' entries out.
/// </summary>
public sealed class AuditQueries(IAgentConsoleDbFactory dbs, CaseMasks masks)
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 200;

    /// <summary>How many recorded actions a refusal of an unknown action lists.</summary>
    public const int KnownActionsShown = 30;

    /// <summary>One page of the entries matching <paramref name="filter"/>, newest first, with how many match in all.</summary>
    public async Task<AuditSearchResult> SearchAsync(
        AuditFilter filter, int page, int pageSize, IReadOnlyCollection<string> viewerRoles, CancellationToken cancellationToken = default)
    {
        CheckPage(page, pageSize);
        await using var db = dbs.Create();
        var matching = Matching(db, filter);
        var total = await matching.CountAsync(cancellationToken);
        var entries = await Project(matching.OrderByDescending(a => a.Sequence).Skip((page - 1) * pageSize).Take(pageSize)).ToListAsync(cancellationToken);

        var runIds = entries.Where(e => e.EntityType == AuditEntityTypes.Run).Select(e => Guid.TryParse(e.EntityId, out var id) ? id : Guid.Empty).Distinct().ToList();
        var runDecisions = runIds.Count == 0
            ? new Dictionary<Guid, Guid>()
            : await db.Runs.AsNoTracking().Where(r => runIds.Contains(r.Id) && r.DecisionId != null).ToDictionaryAsync(r => r.Id, r => r.DecisionId!.Value, cancellationToken);

        await using var lookups = dbs.Create();
        var masking = await AuditMasking.OpenAsync(lookups, masks, viewerRoles, cancellationToken);
        return new AuditSearchResult(await masking.ApplyAsync(entries, cancellationToken), page, pageSize, total, runDecisions);
    }

    /// <summary>
    /// Every entry matching <paramref name="filter"/>, oldest first, read from the database as it is enumerated: one
    /// query whose rows are never gathered, so a year of entries takes no more memory than a few.
    /// </summary>
    public async IAsyncEnumerable<AuditRecord> StreamAsync(
        AuditFilter filter, IReadOnlyCollection<string> viewerRoles, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using var db = dbs.Create();
        await using var lookups = dbs.Create();
        var masking = await AuditMasking.OpenAsync(lookups, masks, viewerRoles, cancellationToken);
        var rows = Project(Matching(db, filter).OrderBy(a => a.Sequence)).AsAsyncEnumerable().WithCancellation(cancellationToken);
        if (!masking.IsActive)
        {
            await foreach (var row in rows)
            {
                yield return row;
            }

            yield break;
        }

        var batch = new List<AuditRecord>(AuditMasking.BatchSize);
        await foreach (var row in rows)
        {
            batch.Add(row);
            if (batch.Count == AuditMasking.BatchSize)
            {
                foreach (var shown in await masking.ApplyAsync(batch, cancellationToken))
                {
                    yield return shown;
                }

                batch.Clear();
            }
        }

        foreach (var shown in await masking.ApplyAsync(batch, cancellationToken))
        {
            yield return shown;
        }
    }

    /// <summary>
    /// Why a search's action cannot match, or null: a search for an action no entry of the tenant has (a typo, most
    /// often) is answered with the actions the trail does have, rather than with an empty result.
    /// </summary>
    public async Task<string?> UnknownActionAsync(AuditFilter filter, CancellationToken cancellationToken = default)
    {
        if (filter.Action is not { } action)
        {
            return null;
        }

        await using var db = dbs.Create();
        var entries = db.AuditEntries.AsNoTracking();
        var matching = filter.ActionIsPrefix ? entries.Where(a => a.Action.StartsWith(action)) : entries.Where(a => a.Action == action);
        if (await matching.AnyAsync(cancellationToken))
        {
            return null;
        }

        var recorded = await entries.Select(a => a.Action).Distinct().OrderBy(a => a).Take(KnownActionsShown + 1).ToListAsync(cancellationToken);
        var asked = filter.ActionIsPrefix ? action + "*" : action;
        return recorded.Count == 0
            ? $"No entry has the action '{asked}': the trail has no entries yet."
            : $"No entry has the action '{asked}'. Actions recorded: {string.Join(", ", recorded.Take(KnownActionsShown))}{(recorded.Count > KnownActionsShown ? ", …" : "")}.";
    }

    /// <summary>Refuses a search whose action no entry has (see <see cref="UnknownActionAsync"/>), naming the field.</summary>
    public async Task RequireKnownActionAsync(AuditFilter filter, CancellationToken cancellationToken = default)
    {
        if (await UnknownActionAsync(filter, cancellationToken) is { } message)
        {
            throw DomainException.Invalid("audit.action-unknown", message, new Dictionary<string, string[]> { ["action"] = [message] });
        }
    }

    private static void CheckPage(int page, int pageSize)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (pageSize is < 1 or > MaxPageSize)
        {
            errors["pageSize"] = [$"From 1 to {MaxPageSize}."];
        }
        else if (page < 1 || (long)(page - 1) * pageSize > int.MaxValue)
        {
            errors["page"] = [page < 1 ? "Pages are counted from 1." : "There is no page that far."];
        }

        if (errors.Count > 0)
        {
            throw DomainException.Invalid("audit.page-invalid", string.Join(" ", errors.Select(e => $"{e.Key}: {e.Value[0]}")), errors);
        }
    }

    // Case-insensitive matching runs in the database as lower(...) on every provider: EF translates ToLower() and
    // Contains(string), not their culture or StringComparison overloads (the filter's text is already lower-case).
#pragma warning disable CA1304, CA1311, CA1862
    private static IQueryable<AuditEntry> Matching(AgentConsoleDbContext db, AuditFilter f)
    {
        var entries = db.AuditEntries.AsNoTracking();
        if (f.ActorName is { } name)
        {
            var id = f.ActorId;
            entries = entries.Where(a => a.ActorId == id || a.ActorName.ToLower().Contains(name));
        }

        if (f.Action is { } action)
        {
            entries = f.ActionIsPrefix ? entries.Where(a => a.Action.StartsWith(action)) : entries.Where(a => a.Action == action);
        }

        if (f.EntityType is { } type)
        {
            entries = entries.Where(a => a.EntityType == type);
        }

        if (f.EntityId is { } entityId)
        {
            entries = entries.Where(a => a.EntityId == entityId);
        }

        if (f.From is { } from)
        {
            entries = entries.Where(a => a.At >= from);
        }

        if (f.Before is { } before)
        {
            entries = entries.Where(a => a.At < before);
        }

        if (f.Text is { } text)
        {
            entries = entries.Where(a => a.Reason != null && a.Reason.ToLower().Contains(text));
        }

        return entries;
    }
#pragma warning restore CA1304, CA1311, CA1862

    private static IQueryable<AuditRecord> Project(IQueryable<AuditEntry> entries) =>
        entries.Select(a => new AuditRecord(a.Id, a.Sequence, Convert.ToHexStringLower(a.Hash), a.At, a.ActorKind, a.ActorId, a.ActorName, a.Action, a.EntityType, a.EntityId, a.Reason, a.BeforeJson, a.AfterJson, a.TraceId));
}
