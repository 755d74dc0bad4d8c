using System.Text.Json;
using System.Text.Json.Serialization;
using AgentConsole.Domain.Tenancy;

namespace AgentConsole.Domain.Audit;

/// <summary>What kind of tampering a finding reports.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<AuditFindingKind>))]
public enum AuditFindingKind
{
    /// <summary>An entry's content no longer matches its hash (or its hash was recomputed, breaking the next link).</summary>
    Edited,

    /// <summary>Entries are missing: the sequence numbers have a gap.</summary>
    Deleted,

    /// <summary>An entry that the chain does not link through: a duplicate sequence number, or one the next entry skips.</summary>
    Inserted,

    /// <summary>An entry sits at another place than the one it was chained at.</summary>
    Reordered,

    /// <summary>The chain ends before its head or a signed checkpoint says it reached.</summary>
    Truncated,

    /// <summary>A checkpoint whose signature is not valid, that is unreadable, or whose root is not on the chain.</summary>
    ForgedCheckpoint,
}

/// <summary>How a verification ended.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<AuditVerificationOutcome>))]
public enum AuditVerificationOutcome
{
    /// <summary>Every entry and checkpoint checked out.</summary>
    Intact,

    /// <summary>At least one finding.</summary>
    Tampered,

    /// <summary>Verification could not run to the end (a missing or wrong checkpoint key); <see cref="AuditVerification.Problem"/> says why.</summary>
    Stopped,
}

/// <summary>
/// One thing verification found wrong: its kind, the entry (sequence number and id) where known — a deleted entry
/// has no id left — and what was found, in words.
/// </summary>
public sealed record AuditFinding(AuditFindingKind Kind, long? Sequence, long? EntryId, string Detail)
{
    /// <summary>The finding on one line, e.g. <c>#1234 (id 5678) edited: its content no longer matches its hash</c>.</summary>
    public string Line => $"{Where} {KindWord(Kind)}: {Detail}";

    /// <summary>The entry it is about, e.g. <c>#1234 (id 5678)</c>, or <c>checkpoint</c>.</summary>
    public string Where => (Sequence, EntryId) switch
    {
        ({ } s, { } id) => $"#{s} (id {id})",
        ({ } s, null) when Kind == AuditFindingKind.ForgedCheckpoint => $"checkpoint of #{s}",
        ({ } s, null) => $"#{s}",
        _ => "checkpoint",
    };

    public static string KindWord(AuditFindingKind kind) => kind switch
    {
        AuditFindingKind.ForgedCheckpoint => "forged checkpoint",
        _ => kind.ToString().ToLowerInvariant(),
    };
}

/// <summary>
/// One run of the verifier over a tenant's audit chain, kept as history: when, who or which job asked, the range of
/// entries checked, how many checkpoints, the outcome and the findings.
/// </summary>
public sealed class AuditVerification : ITenantOwned
{
    /// <summary>The findings kept per run; the count says how many there were in all.</summary>
    public const int MaxStoredFindings = 1000;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private AuditVerification()
    {
    }

    internal AuditVerification(Guid id, Guid tenantId, Actor requestedBy, DateTimeOffset startedAt)
    {
        Id = id;
        TenantId = tenantId;
        RequestedByKind = requestedBy.Kind;
        RequestedById = requestedBy.Id;
        RequestedBy = requestedBy.Name;
        StartedAt = startedAt;
    }

    public Guid Id { get; private set; }

    public Guid TenantId { get; private set; }

    public DateTimeOffset StartedAt { get; private set; }

    public DateTimeOffset FinishedAt { get; private set; }

    /// <summary>A person, or the system (the <c>verify-audit</c> command, a job).</summary>
    public ActorKind RequestedByKind { get; private set; }

    public string RequestedById { get; private set; } = "";

    /// <summary>Who asked, e.g. "Aude Auditor" or "verify-audit command".</summary>
    public string RequestedBy { get; private set; } = "";

    /// <summary>The first entry checked (1), or 0 when the chain was empty.</summary>
    public long FirstSequence { get; private set; }

    /// <summary>The last entry checked.</summary>
    public long LastSequence { get; private set; }

    public long EntriesChecked { get; private set; }

    public int CheckpointsChecked { get; private set; }

    /// <summary>The size of the largest checkpoint with a valid signature, if any.</summary>
    public long? LatestCheckpointSize { get; private set; }

    public AuditVerificationOutcome Outcome { get; private set; }

    /// <summary>Why verification stopped, when it did.</summary>
    public string? Problem { get; private set; }

    /// <summary>How many findings there were (at most <see cref="MaxStoredFindings"/> are kept).</summary>
    public int FindingCount { get; private set; }

    /// <summary>The findings kept, as JSON.</summary>
    public string FindingsJson { get; private set; } = "[]";

    public IReadOnlyList<AuditFinding> Findings => JsonSerializer.Deserialize<List<AuditFinding>>(FindingsJson, Json) ?? [];

    public TimeSpan Duration => FinishedAt - StartedAt;

    internal void Completed(ChainWalk walk, int checkpoints, long? latestCheckpoint, DateTimeOffset at)
    {
        FirstSequence = walk.EntriesChecked > 0 ? walk.FirstSequence : 0;
        LastSequence = walk.LastSequence;
        EntriesChecked = walk.EntriesChecked;
        CheckpointsChecked = checkpoints;
        LatestCheckpointSize = latestCheckpoint;
        FindingCount = walk.FindingCount;
        FindingsJson = JsonSerializer.Serialize(walk.Findings, Json);
        Outcome = walk.FindingCount == 0 ? AuditVerificationOutcome.Intact : AuditVerificationOutcome.Tampered;
        FinishedAt = at;
    }

    internal void Stopped(string problem, DateTimeOffset at)
    {
        Outcome = AuditVerificationOutcome.Stopped;
        Problem = problem;
        FinishedAt = at;
    }
}
