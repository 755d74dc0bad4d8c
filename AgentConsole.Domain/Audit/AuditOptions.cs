using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace AgentConsole.Domain.Audit;

/// <summary>Signed checkpoints of the audit chains and the key that signs them (section <c>Audit</c>).</summary>
public sealed class AuditOptions
{
    public const string Section = "Audit";

    /// <summary>
    /// The Ed25519 private key that signs checkpoints: the 32-byte seed in base64 (default empty). Required in
    /// Production; elsewhere, when empty, the key in <see cref="CheckpointKeyFile"/> is used (generated on first start).
    /// </summary>
    public string? CheckpointKey { get; set; }

    /// <summary>
    /// The matching public key, 32 bytes in base64 (default empty: derived from the private key). Enough on its own for a
    /// host that only verifies, e.g. the <c>verify-audit</c> command on an auditor's machine.
    /// </summary>
    public string? CheckpointPublicKey { get; set; }

    /// <summary>Where the key is kept outside Production when <see cref="CheckpointKey"/> is empty (default <c>data/audit-checkpoint.key</c>).</summary>
    [Required]
    public string CheckpointKeyFile { get; set; } = "data/audit-checkpoint.key";

    /// <summary>The folder checkpoints are written to, one sub-folder per tenant (default <c>data/checkpoints</c>); mount a WORM volume or another host's share here.</summary>
    [Required]
    public string CheckpointDirectory { get; set; } = "data/checkpoints";

    /// <summary>
    /// The start of each checkpoint's origin line and key name; the tenant's slug follows (default
    /// <c>agentconsole.local/audit</c>, giving <c>agentconsole.local/audit/contoso</c>). Use your console's host name.
    /// </summary>
    [Required]
    [RegularExpression(@"^[^\s+]+$", ErrorMessage = "Audit:CheckpointOrigin must not contain spaces or '+', e.g. console.example.com/audit.")]
    public string CheckpointOrigin { get; set; } = "agentconsole.local/audit";

    /// <summary>How often the recurring job writes a checkpoint of every chain that grew (default 10 minutes; a divisor of 60, or a whole number of hours dividing 24).</summary>
    [AllowedValues(1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30, 60, 120, 180, 240, 360, 480, 720, 1440,
        ErrorMessage = "Audit:CheckpointEveryMinutes must divide an hour (1–30, 60) or a day in whole hours (120–1440).")]
    public int CheckpointEveryMinutes { get; set; } = 10;
}

/// <summary>Refuses keys that are not base64 Ed25519 keys, naming the setting.</summary>
internal sealed class AuditOptionsValidator : IValidateOptions<AuditOptions>
{
    public ValidateOptionsResult Validate(string? name, AuditOptions options)
    {
        var problems = new List<string>();
        if (!string.IsNullOrWhiteSpace(options.CheckpointKey) && !CheckpointKeys.IsKey(options.CheckpointKey))
        {
            problems.Add("Audit:CheckpointKey is not an Ed25519 private key: set it to the 32-byte seed in base64 (see the README's Audit trail section).");
        }

        if (!string.IsNullOrWhiteSpace(options.CheckpointPublicKey) && !CheckpointKeys.IsKey(options.CheckpointPublicKey))
        {
            problems.Add("Audit:CheckpointPublicKey is not an Ed25519 public key: set it to the 32-byte key in base64, as the verification page shows it.");
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
