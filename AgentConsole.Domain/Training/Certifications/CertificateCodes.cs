using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace AgentConsole.Domain.Training.Certifications;

/// <summary>
/// Verification codes: 128 bits of HMAC-SHA256 over the certificate's id under a key kept outside the database
/// (<see cref="CertificationOptions.CodeKey"/>), written as 26 base32 letters in groups. The database keeps only each
/// code's SHA-256, to find a certificate by the code presented: a database reader learns no code and cannot mint one,
/// while the console can print the code on the certificate again whenever its holder downloads it.
/// </summary>
public sealed class CertificateCodes
{
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    private readonly byte[] _key;

    public CertificateCodes(IOptions<CertificationOptions> options, IHostEnvironment environment)
    {
        var o = options.Value;
        if (!string.IsNullOrWhiteSpace(o.CodeKey))
        {
            _key = Convert.FromBase64String(o.CodeKey);
        }
        else if (environment.IsProduction())
        {
            throw new InvalidOperationException("Set Certifications:CodeKey (at least 32 random bytes in base64) in Production.");
        }
        else
        {
            _key = ReadOrCreate(Path.GetFullPath(o.CodeKeyFile, environment.ContentRootPath));
        }

        if (_key.Length < 32)
        {
            throw new InvalidOperationException("Certifications:CodeKey must be at least 32 bytes in base64.");
        }
    }

    /// <summary>The code printed on a certificate, e.g. <c>ABCD-EFGH-IJKL-MNOP-QRST-UVWXYZ</c>.</summary>
    public string CodeFor(Guid certificationId)
    {
        var mac = HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes("certificate:" + certificationId.ToString("N")));
        var letters = Base32(mac.AsSpan(0, 16));
        return string.Join('-', Enumerable.Range(0, 5).Select(i => letters.Substring(i * 4, 4))) + "-" + letters[20..];
    }

    /// <summary>The stored hash of a code, as presented (case, spaces and dashes do not matter); null when it cannot be a code.</summary>
    public static string? HashOf(string? code)
    {
        var normal = new string((code ?? "").Where(c => c is not ('-' or ' ')).Select(char.ToUpperInvariant).ToArray());
        if (normal.Length != 26 || normal.Any(c => !Alphabet.Contains(c, StringComparison.Ordinal)))
        {
            return null;
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(normal)));
    }

    internal string HashFor(Guid certificationId) => HashOf(CodeFor(certificationId))!;

    private static string Base32(ReadOnlySpan<byte> bytes)
    {
        var text = new StringBuilder();
        int buffer = 0, bits = 0;
        foreach (var b in bytes)
        {
            buffer = (buffer << 8) | b;
            bits += 8;
            while (bits >= 5)
            {
                text.Append(Alphabet[(buffer >> (bits - 5)) & 31]);
                bits -= 5;
            }
        }

        if (bits > 0)
        {
            text.Append(Alphabet[(buffer << (5 - bits)) & 31]);
        }

        return text.ToString();
    }

    private static byte[] ReadOrCreate(string path)
    {
        if (File.Exists(path))
        {
            return Convert.FromBase64String(File.ReadAllText(path).Trim());
        }

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var key = RandomNumberGenerator.GetBytes(32);
        try
        {
            using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write);
            file.Write(Encoding.ASCII.GetBytes(Convert.ToBase64String(key)));
            return key;
        }
        catch (IOException) when (File.Exists(path))
        {
            // Another process created it first: use theirs.
            return Convert.FromBase64String(File.ReadAllText(path).Trim());
        }
    }
}
