using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace AgentConsole.Domain.Training.Certifications;

/// <summary>The key that makes certificates' verification codes (section <c>Certifications</c>).</summary>
public sealed class CertificationOptions
{
    public const string Section = "Certifications";

    /// <summary>
    /// The HMAC key verification codes are derived with: at least 32 bytes in base64 (default empty). Required in
    /// Production and the same on every node; elsewhere, when empty, the key in <see cref="CodeKeyFile"/> is used
    /// (generated on first start). Whoever has this key can mint codes: keep it out of the database.
    /// </summary>
    public string? CodeKey { get; set; }

    /// <summary>Where the key is kept outside Production when <see cref="CodeKey"/> is empty (default <c>data/certificate-code.key</c>).</summary>
    public string CodeKeyFile { get; set; } = "data/certificate-code.key";
}

/// <summary>Refuses, at start, a code key that is not base64 of at least 32 bytes, and a Production host without one; names the setting.</summary>
internal sealed class CertificationOptionsValidator(IHostEnvironment environment) : IValidateOptions<CertificationOptions>
{
    public ValidateOptionsResult Validate(string? name, CertificationOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.CodeKey))
        {
            return environment.IsProduction()
                ? ValidateOptionsResult.Fail("Certifications:CodeKey is not set: Production derives certificate verification codes with a key from configuration. " +
                    "Set Certifications:CodeKey to at least 32 random bytes in base64 (openssl rand -base64 32), the same on every node.")
                : ValidateOptionsResult.Success;
        }

        var bytes = new byte[options.CodeKey.Length];
        return Convert.TryFromBase64String(options.CodeKey.Trim(), bytes, out var length) && length >= 32
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail("Certifications:CodeKey is not at least 32 bytes in base64: set it to the output of openssl rand -base64 32.");
    }
}
