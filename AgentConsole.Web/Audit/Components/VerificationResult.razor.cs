using System.Globalization;

namespace AgentConsole.Web.Audit.Components;

/// <summary>One verification run: its outcome, what it checked, and its findings explained in plain words.</summary>
public sealed partial class VerificationResult
{
    private static readonly CultureInfo Culture = CultureInfo.InvariantCulture;

    /// <summary>The run to show; null before the first verification.</summary>
    [Parameter]
    [EditorRequired]
    public AuditVerification? Result { get; set; }

    /// <summary>Now, for relative times.</summary>
    [Parameter]
    [EditorRequired]
    public DateTimeOffset Now { get; set; }

    private string Checked => Result!.Outcome == AuditVerificationOutcome.Stopped
        ? "Nothing was checked"
        : Result.EntriesChecked == 0
        ? "The trail had no entries"
        : $"Entries #{Result.FirstSequence.ToString("#,0", Culture)} to #{Result.LastSequence.ToString("#,0", Culture)} ({Result.EntriesChecked.ToString("#,0", Culture)}) "
          + $"and {Result.CheckpointsChecked.ToString("#,0", Culture)} {(Result.CheckpointsChecked == 1 ? "checkpoint" : "checkpoints")} checked";

    /// <summary>A kind as a person says it.</summary>
    private string IntactSummary => Result!.CheckpointsChecked > 0
        ? "No entry was changed, removed, added or moved since it was written, and the chain matches every signed checkpoint."
        : "No entry was changed, removed, added or moved since it was written. No checkpoint has been written yet, so a chain rewritten "
          + "as a whole could not be told apart; checkpoints are written every few minutes, or now with Write checkpoint now.";

    public static string Label(AuditFindingKind kind) => kind switch
    {
        AuditFindingKind.Edited => "Edited",
        AuditFindingKind.Deleted => "Deleted",
        AuditFindingKind.Inserted => "Inserted",
        AuditFindingKind.Reordered => "Reordered",
        AuditFindingKind.Truncated => "Truncated",
        _ => "Forged checkpoint",
    };

    /// <summary>What a kind of finding means, and what to do about it.</summary>
    public static string Meaning(AuditFindingKind kind) => kind switch
    {
        AuditFindingKind.Edited =>
            "The entry was changed in the database after it was written: its content (reason, before and after, actor, action, time) no longer gives the hash it was sealed with, or its hash was recomputed and the next entry no longer links to it. Compare it with a backup to see what it said.",
        AuditFindingKind.Deleted =>
            "Entries were removed from the database: their sequence numbers are missing from the chain. A backup still holds them.",
        AuditFindingKind.Inserted =>
            "The entry was never written by the console: it was added to the database directly, and the chain does not pass through it.",
        AuditFindingKind.Reordered =>
            "The entry sits at another place in the chain than where it was written: its sequence number was changed, e.g. swapped with another entry's.",
        AuditFindingKind.Truncated =>
            "The most recent entries were removed: the chain ends before the point its head in the database, or a signed checkpoint, says it had reached.",
        _ =>
            "A checkpoint file cannot be trusted: its signature does not match its text, it cannot be read, or its head hash is not on the chain. Either the file was altered, or the entries it covers were rewritten and re-hashed after it was signed.",
    };

    private static string Entry(AuditFinding finding) => (finding.Sequence, finding.EntryId) switch
    {
        ({ } s, { } id) => $"#{s.ToString("#,0", Culture)} · id {id.ToString(Culture)}",
        ({ } s, null) when finding.Kind == AuditFindingKind.ForgedCheckpoint => $"checkpoint of #{s.ToString("#,0", Culture)}",
        ({ } s, null) => $"#{s.ToString("#,0", Culture)}",
        _ => "checkpoint",
    };

    private static string Sentence(string detail) => detail.Length == 0 ? detail : char.ToUpperInvariant(detail[0]) + detail[1..] + ".";

    private static string Seconds(TimeSpan span) =>
        span.TotalSeconds < 1 ? $"{span.TotalMilliseconds.ToString("0", Culture)} ms" : $"{span.TotalSeconds.ToString("0.0", Culture)} s";
}
